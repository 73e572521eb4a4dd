import type { Migration } from './types';

/**
 * The `viewer` role: reads everything, changes nothing (write-session.ts). The roles live
 * in a CHECK constraint, so the operators table is rebuilt with the same rows.
 */
export const migration013: Migration = {
  version: 13,
  name: 'viewer role',
  up: (db) => {
    db.exec(`
      CREATE TABLE operators_v13 (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'approver', 'analyst', 'viewer')),
        totp_secret TEXT,
        totp_enabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        removed_at TEXT
      );
      INSERT INTO operators_v13(id, name, role, totp_secret, totp_enabled, created_at, removed_at)
        SELECT id, name, role, totp_secret, totp_enabled, created_at, removed_at FROM operators;
      DROP TABLE operators;
      ALTER TABLE operators_v13 RENAME TO operators;
    `);
  },
};
