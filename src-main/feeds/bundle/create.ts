import { createHash, createPublicKey, randomUUID, sign } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { VzError } from '../../core/errors';
import { checkCancelled } from '../errors';
import { detectFeedKindOfFile } from '../detect';
import { parseFeed } from '../parse';
import type { FeedKind } from '../types';
import { fingerprintOf, loadPrivateKey } from './keys';
import {
  FILES_DIR,
  MANIFEST_NAME,
  MAX_FILES,
  SIGNATURE_NAME,
  isSafeName,
  manifestSchema,
  type BundleManifest,
} from './manifest';
import { encodeHeader, endOfArchive, paddingFor } from './tar';

export interface CreateBundleOptions {
  privateKeyPem: string;
  /** Must grow with every bundle the same key signs: the vault refuses older or equal ones. */
  sequence: number;
  /** `name` defaults to the file's base name; `kind` to what detection finds. */
  files: { path: string; kind?: FeedKind; name?: string }[];
  out: string;
  /** Parse every feed fully before signing, so a broken file fails here, not air-side. */
  validate?: boolean;
  now?: Date;
  signal?: AbortSignal;
}

export interface CreateBundleResult {
  path: string;
  manifest: BundleManifest;
  bytes: number;
}

/**
 * Writes a signed feed bundle (see docs/feeds.md): hashes each feed, signs the manifest,
 * then streams everything into a ustar archive in a temporary file next to `out`, which is
 * renamed over `out` only when complete, so a crash never leaves a half bundle under the
 * final name. The feeds are hashed again while being copied, and a file that changed in
 * between fails the bundle (BUNDLE_SOURCE_CHANGED).
 */
export async function createBundle(opts: CreateBundleOptions): Promise<CreateBundleResult> {
  const { signal } = opts;
  const key = loadPrivateKey(opts.privateKeyPem);
  const keyId = fingerprintOf(createPublicKey(key));
  if (!Number.isSafeInteger(opts.sequence) || opts.sequence < 0)
    throw new VzError(
      'INVALID_INPUT',
      `Bundle sequence must be a whole number ≥ 0, not ${opts.sequence}.`,
    );
  if (opts.files.length === 0)
    throw new VzError('INVALID_INPUT', 'A bundle needs at least one feed file.');
  if (opts.files.length > MAX_FILES)
    throw new VzError('INVALID_INPUT', `A bundle holds at most ${MAX_FILES} files.`);

  const entries: BundleManifest['files'] = [];
  const names = new Set<string>();
  for (const file of opts.files) {
    checkCancelled(signal);
    const name = file.name ?? basename(file.path);
    if (!isSafeName(name))
      throw new VzError(
        'INVALID_INPUT',
        `Feed file name "${name}" cannot go into a bundle: use letters, digits, ".", "_" and "-" only (at most 90 characters, not starting with a dot).`,
      );
    if (names.has(name))
      throw new VzError('INVALID_INPUT', `Two feed files are both named "${name}".`);
    names.add(name);
    const withSignal = signal ? { signal } : {};
    const kind =
      file.kind ?? (await detectFeedKindOfFile(file.path, { fileName: name, ...withSignal }));
    if (opts.validate ?? true) {
      for await (const _item of parseFeed(kind, createReadStream(file.path), {
        fileName: name,
        ...withSignal,
      })) {
        // Parsing to the end is the validation; the records themselves are not needed here.
      }
    }
    const { size, sha256 } = await hashFile(file.path, signal);
    entries.push({ name, kind, size, sha256 });
  }

  const now = opts.now ?? new Date();
  const manifest = manifestSchema.parse({
    format: 'vulnzero-feed-bundle',
    version: 1,
    sequence: opts.sequence,
    createdAt: now.toISOString(),
    keyId,
    files: entries,
  });
  const manifestBytes = Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8');
  const signature = sign(null, manifestBytes, key);
  const mtime = Math.floor(now.getTime() / 1000);

  const tmp = join(dirname(opts.out), `.${basename(opts.out)}.${randomUUID()}.tmp`);
  let handle: FileHandle | null = await open(tmp, 'wx', 0o644);
  let bytes = 0;
  const write = async (chunk: Buffer): Promise<void> => {
    if (handle === null) throw new Error('bundle file closed');
    await handle.write(chunk);
    bytes += chunk.length;
  };
  try {
    await writeEntry(write, MANIFEST_NAME, manifestBytes, mtime);
    await writeEntry(write, SIGNATURE_NAME, signature, mtime);
    for (const [i, entry] of entries.entries()) {
      const source = opts.files[i];
      if (source === undefined) throw new Error('bundle: file list changed');
      await write(encodeHeader(`${FILES_DIR}${entry.name}`, entry.size, mtime));
      const hash = createHash('sha256');
      let copied = 0;
      for await (const chunk of createReadStream(source.path) as AsyncIterable<Buffer>) {
        checkCancelled(signal);
        copied += chunk.length;
        if (copied > entry.size) break;
        hash.update(chunk);
        await write(chunk);
      }
      if (copied !== entry.size || hash.digest('hex') !== entry.sha256)
        throw new VzError(
          'BUNDLE_SOURCE_CHANGED',
          `${source.path} changed while the bundle was being written; run the command again.`,
        );
      await write(Buffer.alloc(paddingFor(entry.size), 0));
    }
    await write(endOfArchive());
    await handle.sync();
    await handle.close();
    handle = null;
    await rename(tmp, opts.out);
  } catch (e) {
    await handle?.close().catch(() => undefined);
    handle = null;
    await rm(tmp, { force: true });
    throw e;
  }
  return { path: opts.out, manifest, bytes };
}

async function writeEntry(
  write: (chunk: Buffer) => Promise<void>,
  name: string,
  data: Buffer,
  mtime: number,
): Promise<void> {
  await write(encodeHeader(name, data.length, mtime));
  await write(data);
  await write(Buffer.alloc(paddingFor(data.length), 0));
}

async function hashFile(
  path: string,
  signal?: AbortSignal,
): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path) as AsyncIterable<Buffer>) {
    checkCancelled(signal);
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}
