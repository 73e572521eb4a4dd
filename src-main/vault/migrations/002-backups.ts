import type { Migration } from './types';

/** Backup history (for the Settings screen and retention) and a time index for the audit viewer. */
export const migration002: Migration = {
  version: 2,
  name: 'backup history',
  up: (db) => {
    db.exec(`
      CREATE TABLE backups (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL,
        reason TEXT NOT NULL CHECK (reason IN ('manual', 'scheduled', 'pre-migration', 'pre-rekey')),
        size INTEGER NOT NULL,
        created_at TEXT NOT NULL,
        created_by TEXT,
        deleted_at TEXT
      );
      CREATE INDEX audit_ts ON audit(ts);
    `);
  },
};
