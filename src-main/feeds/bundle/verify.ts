import { createHash, verify } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { VzError } from '../../core/errors';
import { checkCancelled, formatPath } from '../errors';
import { fingerprintMatches, keyFingerprint, loadPublicKey } from './keys';
import {
  FILES_DIR,
  MANIFEST_NAME,
  MAX_FILES,
  MAX_MANIFEST_BYTES,
  SIGNATURE_BYTES,
  SIGNATURE_NAME,
  isSafeName,
  manifestSchema,
  type BundleFileEntry,
  type BundleManifest,
} from './manifest';
import { BLOCK, decodeHeader, isZeroBlock, paddingFor } from './tar';

/**
 * Error codes of bundle verification, one per reason for refusing a bundle:
 * BUNDLE_TRUNCATED, BUNDLE_MALFORMED, BUNDLE_UNTRUSTED_KEY, BUNDLE_BAD_SIGNATURE,
 * BUNDLE_HASH_MISMATCH, BUNDLE_ROLLBACK, and BUNDLE_TRUST_STORE_INVALID (the vault's own
 * list of trusted keys is wrong, not the bundle).
 */
export const BUNDLE_ERROR_CODES = [
  'BUNDLE_TRUNCATED',
  'BUNDLE_MALFORMED',
  'BUNDLE_UNTRUSTED_KEY',
  'BUNDLE_BAD_SIGNATURE',
  'BUNDLE_HASH_MISMATCH',
  'BUNDLE_ROLLBACK',
  'BUNDLE_TRUST_STORE_INVALID',
] as const;

export interface TrustedKey {
  fingerprint: string;
  publicKeyPem: string;
}

export interface VerifyBundleOptions {
  /** Highest sequence imported so far from any trusted key; null before the first bundle. */
  lastSequence: number | null;
  /** Operator override to re-import an older bundle (e.g. to recover); recorded by the caller. */
  allowRollback?: boolean;
  signal?: AbortSignal;
}

export interface VerifiedBundle {
  path: string;
  manifest: BundleManifest;
  /** Full fingerprint of the trusted key that signed it. */
  signer: string;
  /** True when the sequence was not newer and `allowRollback` let it through. */
  rollback: boolean;
  files: readonly BundleFileEntry[];
  /**
   * Streams one verified feed file. The bytes are hashed again as they are read and the
   * stream fails with BUNDLE_HASH_MISMATCH if the bundle changed on disk since verification.
   */
  open(name: string): Readable;
}

interface TarEntry {
  name: string;
  dataOffset: number;
  size: number;
}

const READ_CHUNK = 1024 * 1024;

/**
 * Verifies everything before returning anything usable: archive structure, manifest
 * schema, trusted key, signature, sequence (anti-rollback), and every file's size and
 * SHA-256 against the signed manifest, with no missing or extra files.
 */
export async function verifyBundle(
  path: string,
  trustedKeys: readonly TrustedKey[],
  opts: VerifyBundleOptions,
): Promise<VerifiedBundle> {
  const { signal } = opts;
  // Checked first: a broken trust store must not look like a bad bundle.
  const trust = trustedKeys.map((k, i) => {
    const computed = keyFingerprint(k.publicKeyPem);
    if (computed !== k.fingerprint.toLowerCase())
      throw new VzError(
        'BUNDLE_TRUST_STORE_INVALID',
        `Trusted key ${i + 1} is recorded with fingerprint ${k.fingerprint}, but its public key has fingerprint ${computed}.`,
      );
    return {
      fingerprint: computed,
      key: loadPublicKey(k.publicKeyPem, 'BUNDLE_TRUST_STORE_INVALID'),
    };
  });

  const handle = await open(path, 'r');
  try {
    const { size: fileSize } = await handle.stat();
    const entries = await readEntries(handle, fileSize, signal);

    const manifestEntry = entries.get(MANIFEST_NAME);
    const sigEntry = entries.get(SIGNATURE_NAME);
    if (manifestEntry === undefined)
      throw malformed(`the archive has no ${MANIFEST_NAME}; it is not a VulnZero feed bundle`);
    if (sigEntry === undefined) throw malformed(`the archive has no ${SIGNATURE_NAME}`);
    if (manifestEntry.size > MAX_MANIFEST_BYTES)
      throw malformed(
        `${MANIFEST_NAME} is ${manifestEntry.size} bytes (at most ${MAX_MANIFEST_BYTES})`,
      );

    const manifestBytes = await readRange(handle, manifestEntry.dataOffset, manifestEntry.size);
    const manifest = parseManifest(manifestBytes);

    const signer = trust.find((t) => fingerprintMatches(manifest.keyId, t.fingerprint));
    if (signer === undefined)
      throw new VzError(
        'BUNDLE_UNTRUSTED_KEY',
        `The bundle is signed by key ${manifest.keyId}, which is not a trusted feed key` +
          (trust.length === 0
            ? ' (no feed keys are trusted yet).'
            : ` (trusted: ${trust.map((t) => t.fingerprint).join(', ')}).`),
        { keyId: manifest.keyId },
      );

    if (sigEntry.size !== SIGNATURE_BYTES)
      throw new VzError(
        'BUNDLE_BAD_SIGNATURE',
        `${SIGNATURE_NAME} is ${sigEntry.size} bytes; an Ed25519 signature is ${SIGNATURE_BYTES}.`,
      );
    const signature = await readRange(handle, sigEntry.dataOffset, sigEntry.size);
    if (!verify(null, manifestBytes, signer.key, signature))
      throw new VzError(
        'BUNDLE_BAD_SIGNATURE',
        `The manifest signature does not verify with key ${signer.fingerprint}: the bundle was altered or signed by another key.`,
      );

    // Only a signed sequence means anything, so this comes after the signature; and before
    // hashing, so a replayed bundle is refused without reading its feeds.
    const rollback = opts.lastSequence !== null && manifest.sequence <= opts.lastSequence;
    if (rollback && opts.allowRollback !== true)
      throw new VzError(
        'BUNDLE_ROLLBACK',
        `Bundle sequence ${manifest.sequence} is not newer than the last imported sequence ${opts.lastSequence}: refusing a replayed or older bundle.`,
        { sequence: manifest.sequence, lastSequence: opts.lastSequence },
      );

    const feedEntries = new Map<string, TarEntry>();
    for (const entry of entries.values())
      if (entry.name.startsWith(FILES_DIR))
        feedEntries.set(entry.name.slice(FILES_DIR.length), entry);
    const listed = new Set<string>();
    for (const file of manifest.files) {
      if (listed.has(file.name)) throw malformed(`the manifest lists "${file.name}" twice`);
      listed.add(file.name);
      if (!feedEntries.has(file.name))
        throw malformed(
          `the manifest lists "${file.name}" but the archive has no ${FILES_DIR}${file.name}`,
        );
    }
    for (const name of feedEntries.keys())
      if (!listed.has(name))
        throw malformed(
          `the archive holds ${FILES_DIR}${name}, which the signed manifest does not list`,
        );

    const regions = new Map<string, TarEntry & BundleFileEntry>();
    for (const file of manifest.files) {
      const entry = feedEntries.get(file.name);
      if (entry === undefined) throw new Error('bundle: entry vanished');
      if (entry.size !== file.size)
        throw hashMismatch(
          file.name,
          `is ${entry.size} bytes; the signed manifest says ${file.size}`,
        );
      const actual = await hashRange(handle, entry.dataOffset, entry.size, signal);
      if (actual !== file.sha256)
        throw hashMismatch(
          file.name,
          `has SHA-256 ${actual}; the signed manifest says ${file.sha256}`,
        );
      regions.set(file.name, { ...entry, ...file });
    }

    return {
      path,
      manifest,
      signer: signer.fingerprint,
      rollback,
      files: manifest.files,
      open: (name: string) => {
        const region = regions.get(name);
        if (region === undefined)
          throw new VzError('NOT_FOUND', `The bundle has no feed file named "${name}".`);
        return Readable.from(rehashed(path, region), { objectMode: false });
      },
    };
  } finally {
    await handle.close();
  }
}

function malformed(detail: string): VzError {
  return new VzError('BUNDLE_MALFORMED', `Malformed feed bundle: ${detail}.`);
}

function truncated(detail: string): VzError {
  return new VzError('BUNDLE_TRUNCATED', `The feed bundle is truncated: ${detail}.`);
}

function hashMismatch(name: string, detail: string): VzError {
  return new VzError('BUNDLE_HASH_MISMATCH', `Feed file "${name}" ${detail}.`, { file: name });
}

function parseManifest(bytes: Buffer): BundleManifest {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw malformed(`${MANIFEST_NAME} is not valid UTF-8 JSON`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw malformed(
      `${MANIFEST_NAME}: ${formatPath('', issue?.path ?? []) || '(root)'}: ${issue?.message ?? 'invalid'}`,
    );
  }
  return parsed.data;
}

/** Walks the ustar headers with positioned reads; nothing but headers is read here. */
async function readEntries(
  handle: FileHandle,
  fileSize: number,
  signal: AbortSignal | undefined,
): Promise<Map<string, TarEntry>> {
  const entries = new Map<string, TarEntry>();
  let offset = 0;
  for (;;) {
    checkCancelled(signal);
    if (offset + BLOCK > fileSize)
      throw truncated(
        offset === fileSize
          ? `it ends at byte ${fileSize} without the end-of-archive marker`
          : `it ends at byte ${fileSize}, inside the header that starts at byte ${offset}`,
      );
    const block = await readRange(handle, offset, BLOCK);
    if (isZeroBlock(block)) {
      if (offset + 2 * BLOCK > fileSize)
        throw truncated(`it ends at byte ${fileSize}, inside the end-of-archive marker`);
      if (!isZeroBlock(await readRange(handle, offset + BLOCK, BLOCK)))
        throw malformed(`an empty header at byte ${offset} is followed by data`);
      await checkTrailingZeros(handle, offset + 2 * BLOCK, fileSize);
      return entries;
    }
    const header = decodeHeader(block);
    if (typeof header === 'string')
      throw malformed(`the header at byte ${offset} is corrupt (${header} check failed)`);
    if (header.typeflag !== '0' && header.typeflag !== '\u0000')
      throw malformed(`entry "${header.name}" is not a regular file (type "${header.typeflag}")`);
    if (!isAllowedName(header.name))
      throw malformed(
        `entry name "${header.name}" is not allowed (only ${MANIFEST_NAME}, ${SIGNATURE_NAME} and ${FILES_DIR}NAME with a safe NAME; no paths)`,
      );
    if (entries.has(header.name)) throw malformed(`entry "${header.name}" appears twice`);
    if (entries.size >= MAX_FILES + 2) throw malformed(`more than ${MAX_FILES} files`);
    const dataOffset = offset + BLOCK;
    const end = dataOffset + header.size + paddingFor(header.size);
    if (end > fileSize)
      throw truncated(
        `entry "${header.name}" needs bytes up to ${end} but the file ends at byte ${fileSize}`,
      );
    entries.set(header.name, { name: header.name, dataOffset, size: header.size });
    offset = end;
  }
}

function isAllowedName(name: string): boolean {
  if (name === MANIFEST_NAME || name === SIGNATURE_NAME) return true;
  return name.startsWith(FILES_DIR) && isSafeName(name.slice(FILES_DIR.length));
}

/** tar writers may pad the archive with zero blocks; anything else after the end is refused. */
async function checkTrailingZeros(
  handle: FileHandle,
  from: number,
  fileSize: number,
): Promise<void> {
  for (let pos = from; pos < fileSize; pos += READ_CHUNK) {
    const chunk = await readRange(handle, pos, Math.min(READ_CHUNK, fileSize - pos));
    if (!isZeroBlock(chunk))
      throw malformed(`data follows the end-of-archive marker at byte ${from}`);
  }
}

async function readRange(handle: FileHandle, position: number, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await handle.read(buf, done, length - done, position + done);
    if (bytesRead === 0) throw truncated(`it ends at byte ${position + done}`);
    done += bytesRead;
  }
  return buf;
}

async function hashRange(
  handle: FileHandle,
  position: number,
  length: number,
  signal: AbortSignal | undefined,
): Promise<string> {
  const hash = createHash('sha256');
  for (let done = 0; done < length; done += READ_CHUNK) {
    checkCancelled(signal);
    hash.update(await readRange(handle, position + done, Math.min(READ_CHUNK, length - done)));
  }
  return hash.digest('hex');
}

async function* rehashed(
  path: string,
  region: TarEntry & BundleFileEntry,
): AsyncGenerator<Buffer, void, undefined> {
  const hash = createHash('sha256');
  let seen = 0;
  if (region.size > 0) {
    const stream = createReadStream(path, {
      start: region.dataOffset,
      end: region.dataOffset + region.size - 1,
    });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      hash.update(chunk);
      seen += chunk.length;
      yield chunk;
    }
  }
  const actual = hash.digest('hex');
  if (seen !== region.size || actual !== region.sha256)
    throw hashMismatch(region.name, 'changed on disk after the bundle was verified');
}
