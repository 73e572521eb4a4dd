import type { Migration } from './types';

/**
 * Remediation drafts: the local model registry, which findings a draft fixes, the model
 * behind each version, and per-version edit notes. Draft states: draft, ready (for
 * approval), blocked (policy), archived.
 */
export const migration006: Migration = {
  version: 6,
  name: 'drafts',
  up: (db) => {
    db.exec(`
      CREATE TABLE models (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        path TEXT NOT NULL,
        size INTEGER NOT NULL,
        sha256 TEXT NOT NULL UNIQUE,
        metadata TEXT NOT NULL DEFAULT '{}',
        warnings TEXT NOT NULL DEFAULT '[]',
        added_by TEXT NOT NULL,
        added_at TEXT NOT NULL,
        removed_at TEXT
      );
      CREATE TABLE draft_findings (
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        PRIMARY KEY (draft_id, finding_id)
      ) WITHOUT ROWID;
      CREATE INDEX draft_findings_finding ON draft_findings(finding_id);
      CREATE INDEX drafts_state ON drafts(state);
      ALTER TABLE draft_versions ADD COLUMN model_id INTEGER REFERENCES models(id);
      ALTER TABLE draft_versions ADD COLUMN note TEXT;
    `);
  },
};
