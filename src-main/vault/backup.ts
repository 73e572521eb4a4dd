/**
 * Backups: `VACUUM INTO` writes a consistent, encrypted copy with the same key (SQLite's
 * online backup API refuses encrypted sources). Each backup is `<name>.vzbak` plus a copy
 * of the key file (`<name>.vzbak.keys`), so it can be unlocked on its own with any of its
 * operators' passphrases, even after the live vault's data key was rotated.
 */
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { VzError } from '../core/errors';
import { keyFilePath } from './keyfile';
import type { Db } from './sqlcipher';
import { runWriterTask } from './writer/client';

export const BACKUP_EXT = '.vzbak';

export function backupDir(vaultPath: string): string {
  return `${vaultPath}.backups`;
}

function stamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-');
}

/** Writes `out` (and its key file copy) from the open database; refuses to overwrite. */
export function writeBackup(
  db: Db,
  vaultPath: string,
  out: string,
): { path: string; size: number } {
  if (existsSync(out))
    throw new VzError('BACKUP_EXISTS', `${out} already exists; choose a new file name.`);
  mkdirSync(dirname(out), { recursive: true });
  const tmp = `${out}.partial`;
  rmSync(tmp, { force: true });
  db.prepare('VACUUM INTO ?').run(tmp);
  renameSync(tmp, out);
  copyFileSync(keyFilePath(vaultPath), keyFilePath(out));
  return { path: out, size: statSync(out).size };
}

export function defaultBackupPath(vaultPath: string, reason: string, now = new Date()): string {
  return join(backupDir(vaultPath), `${basename(vaultPath)}-${stamp(now)}-${reason}${BACKUP_EXT}`);
}

/** Keeps the newest `keep` automatic backups in the vault's backup folder. */
export function pruneBackups(vaultPath: string, keep: number): string[] {
  const dir = backupDir(vaultPath);
  if (!existsSync(dir)) return [];
  const automatic = readdirSync(dir)
    .filter((f) => f.endsWith(BACKUP_EXT) && !f.includes('-manual'))
    .sort();
  const removed = automatic.slice(0, Math.max(0, automatic.length - keep));
  for (const f of removed) {
    rmSync(join(dir, f), { force: true });
    rmSync(keyFilePath(join(dir, f)), { force: true });
  }
  return removed.map((f) => join(dir, f));
}

/**
 * Checks a backup with its key before anything is replaced: it must decrypt with the
 * given data key and pass `PRAGMA integrity_check`. Runs in the writer thread, read-only.
 */
export async function verifyBackup(path: string, dataKey: Buffer): Promise<void> {
  if (!existsSync(path)) throw new VzError('BACKUP_NOT_FOUND', `No backup at ${path}.`);
  let problems: string[];
  try {
    ({ problems } = await runWriterTask(path, Buffer.from(dataKey), 'integrity', {}, undefined, {
      readonly: true,
    }));
  } catch (error) {
    if (error instanceof VzError && error.code === 'VAULT_WRONG_KEY') {
      throw new VzError(
        'BACKUP_WRONG_KEY',
        `${basename(path)} cannot be decrypted with this key; it belongs to another vault or is damaged.`,
      );
    }
    throw new VzError(
      'BACKUP_CORRUPT',
      `${basename(path)} is damaged: ${(error as Error).message}`,
    );
  }
  if (problems.length)
    throw new VzError(
      'BACKUP_CORRUPT',
      `${basename(path)} fails the integrity check: ${problems.slice(0, 3).join('; ')}`,
    );
}

/**
 * Replaces the vault files with the backup's; the previous vault is kept beside it as
 * `<vault>.pre-restore-<time>` (database, its write-ahead log if any, and key file). Call
 * with the vault closed.
 */
export function swapInBackup(backupPath: string, vaultPath: string, now = new Date()): string {
  const keep = `${vaultPath}.pre-restore-${stamp(now)}`;
  copyFileSync(backupPath, `${vaultPath}.restoring`);
  // The kept vault takes its write-ahead log along: a change not yet checkpointed into
  // the file stays with it (deleted, it was lost), and none of it reaches the backup.
  if (existsSync(`${vaultPath}-wal`)) renameSync(`${vaultPath}-wal`, `${keep}-wal`);
  rmSync(`${vaultPath}-shm`, { force: true });
  renameSync(vaultPath, keep);
  renameSync(keyFilePath(vaultPath), keyFilePath(keep));
  renameSync(`${vaultPath}.restoring`, vaultPath);
  copyFileSync(keyFilePath(backupPath), keyFilePath(vaultPath));
  return keep;
}
