/**
 * Settings are JSON values in the `settings` table, read and written through these two
 * functions (the session adds roles and audit; the writer thread uses them directly).
 */
import type { Db } from './sqlcipher';

export function readSetting<T>(db: Db, key: string, fallback: T): T {
  const raw = db.prepare('SELECT value FROM settings WHERE key = ?').pluck().get(key) as
    string | undefined;
  return raw === undefined ? fallback : (JSON.parse(raw) as T);
}

export function writeSetting(db: Db, key: string, value: unknown): void {
  db.prepare(
    `INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), new Date().toISOString());
}
