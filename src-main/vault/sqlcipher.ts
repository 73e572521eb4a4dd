/**
 * Opens the vault database in SQLCipher mode. Order matters: choose the cipher and its
 * compatibility level before giving the key; the key is raw bytes (no KDF inside
 * SQLCipher: ours runs before). `legacy=4` is the one compatibility setting this
 * project uses: files written with another setting do not open with this one.
 */
import Database from 'better-sqlite3-multiple-ciphers';
import { VzError } from '../core/errors';

export type Db = Database.Database;

export interface OpenOptions {
  readonly?: boolean;
  /** Skip WAL (backups are single files; rekey needs DELETE mode). */
  journal?: 'wal' | 'delete';
}

function applyKey(db: Db, key: Buffer): void {
  db.pragma(`cipher='sqlcipher'`);
  db.pragma('legacy=4');
  db.pragma(`key="x'${key.toString('hex')}'"`);
}

export function openEncrypted(path: string, key: Buffer, options: OpenOptions = {}): Db {
  const db = new Database(path, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  try {
    applyKey(db, key);
    // Reading the schema is the first access that decrypts a page: a wrong key fails here.
    db.prepare('SELECT count(*) AS n FROM sqlite_master').get();
  } catch (error) {
    db.close();
    const code = (error as { code?: string }).code;
    if (code === 'SQLITE_NOTADB') {
      throw new VzError(
        'VAULT_WRONG_KEY',
        'The vault cannot be decrypted with this key (wrong key, or the file is not a VulnZero vault).',
      );
    }
    throw new VzError(
      'VAULT_OPEN_FAILED',
      `The vault file could not be opened: ${(error as Error).message}`,
    );
  }
  if (db.pragma('cipher', { simple: true }) !== 'sqlcipher') {
    db.close();
    throw new VzError(
      'VAULT_NOT_ENCRYPTED',
      'The vault is not encrypted with SQLCipher; refusing to use it.',
    );
  }
  if (!options.readonly) {
    db.pragma(`journal_mode = ${options.journal === 'delete' ? 'DELETE' : 'WAL'}`);
    db.pragma('synchronous = NORMAL');
  }
  db.pragma('foreign_keys = ON');
  // Temporary tables and sort spills stay in memory: nothing in clear in temp files.
  db.pragma('temp_store = MEMORY');
  db.pragma('busy_timeout = 5000');
  // 64 MiB of decrypted pages: triage queries over a million findings stay in memory
  // instead of decrypting the same index pages again (SQLite allocates it as it fills).
  db.pragma('cache_size = -65536');
  return db;
}

/** Re-encrypts the whole file with a new key (SQLCipher cannot rekey in WAL mode). */
export function rekey(db: Db, newKey: Buffer): void {
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('journal_mode = DELETE');
  db.pragma(`rekey="x'${newKey.toString('hex')}'"`);
  db.pragma('journal_mode = WAL');
}

export function integrityCheck(db: Db): string[] {
  const rows = db.pragma('integrity_check') as { integrity_check: string }[];
  const problems = rows.map((r) => r.integrity_check).filter((m) => m !== 'ok');
  return problems;
}
