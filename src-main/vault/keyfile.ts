/**
 * The sidecar key file (`<vault>.keys`): versioned JSON holding each operator's wrapped
 * private key and wrapped data key. Every wrapped value is AES-GCM with associated data
 * binding it to the vault, the operator and the key epoch; the whole file carries an
 * HMAC under a subkey of the data key, so a file edited without the key is detected at
 * unlock. Written atomically (temp file, fsync, rename).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { VzError } from '../core/errors';
import { subkey } from './crypto';

const sealed = z.object({ iv: z.string(), ct: z.string(), tag: z.string() });
const keyWrap = sealed.extend({ epk: z.string() });

const operatorSlot = z.object({
  id: z.string().min(1),
  name: z.string().min(1),
  kdf: z.object({
    alg: z.literal('scrypt'),
    logN: z.number().int().min(10).max(22),
    r: z.number().int().min(1).max(32),
    p: z.number().int().min(1).max(16),
    salt: z.string(),
  }),
  publicKey: z.string(),
  privateKey: sealed,
  dataKey: keyWrap,
});

export const keyFileSchema = z.object({
  format: z.literal('vulnzero-vault-keys'),
  version: z.literal(1),
  vaultId: z.string().min(1),
  cipher: z.literal('sqlcipher'),
  legacy: z.literal(4),
  epoch: z.number().int().min(1),
  operators: z.array(operatorSlot),
  /** A data-key rotation in progress: the new wraps, committed once the database is rekeyed. */
  pending: z.object({ epoch: z.number().int(), wraps: z.record(z.string(), keyWrap) }).nullable(),
  mac: z.string(),
});

export type KeyFile = z.infer<typeof keyFileSchema>;
export type OperatorSlot = z.infer<typeof operatorSlot>;
export type KeyWrapJson = z.infer<typeof keyWrap>;

export function keyFilePath(vaultPath: string): string {
  return `${vaultPath}.keys`;
}

export function privateKeyAad(vaultId: string, slot: Pick<OperatorSlot, 'id' | 'kdf'>): string {
  return `vz-op-private|${vaultId}|${slot.id}|${slot.kdf.logN}.${slot.kdf.r}.${slot.kdf.p}.${slot.kdf.salt}`;
}

export function dataKeyAad(vaultId: string, operatorId: string, epoch: number): string {
  return `vz-data-key|${vaultId}|${operatorId}|${epoch}`;
}

function canonical(file: Omit<KeyFile, 'mac'>): string {
  return JSON.stringify(file, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => a.localeCompare(b)),
        )
      : v,
  );
}

export function computeMac(file: Omit<KeyFile, 'mac'>, dataKey: Buffer): string {
  return createHmac('sha256', subkey(dataKey, 'keyfile mac')).update(canonical(file)).digest('hex');
}

export function macMatches(file: KeyFile, dataKey: Buffer): boolean {
  const { mac, ...rest } = file;
  const expected = Buffer.from(computeMac(rest, dataKey), 'hex');
  const given = Buffer.from(mac, 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function readKeyFile(path: string): KeyFile {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new VzError(
        'VAULT_KEYFILE_MISSING',
        `The key file ${path} is missing; the vault cannot be opened without it (restore it from a backup).`,
      );
    }
    throw error;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VzError('VAULT_KEYFILE_CORRUPT', `The key file ${path} is not valid JSON.`);
  }
  const parsed = keyFileSchema.safeParse(json);
  if (!parsed.success) {
    const version = (json as { version?: unknown } | null)?.version;
    if (typeof version === 'number' && version > 1) {
      throw new VzError(
        'VAULT_TOO_NEW',
        `The key file ${path} has format version ${version}; this VulnZero only knows version 1. Update VulnZero.`,
      );
    }
    throw new VzError(
      'VAULT_KEYFILE_CORRUPT',
      `The key file ${path} is damaged or not a VulnZero key file.`,
    );
  }
  return parsed.data;
}

/** Seals the file with its MAC and replaces the old one atomically. */
export function writeKeyFile(path: string, file: Omit<KeyFile, 'mac'>, dataKey: Buffer): KeyFile {
  const complete: KeyFile = { ...file, mac: computeMac(file, dataKey) };
  writeFileAtomic(path, JSON.stringify(complete, null, 2) + '\n');
  return complete;
}

export function writeFileAtomic(path: string, content: string | Buffer): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o600);
  try {
    writeSync(fd, typeof content === 'string' ? Buffer.from(content) : content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
  try {
    const dirFd = openSync(dirname(path), 'r');
    fsyncSync(dirFd);
    closeSync(dirFd);
  } catch {
    // Directory fsync is not supported everywhere (e.g. Windows); the rename is done.
  }
}
