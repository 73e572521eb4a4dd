import type { Migration } from './types';

/**
 * Approvals and pushes: approval state (approved, rejected, revoked, voided) with the
 * reason, per-host state of a run (for resume after a crash), per-step timings.
 */
export const migration007: Migration = {
  version: 7,
  name: 'push',
  up: (db) => {
    db.exec(`
      ALTER TABLE approvals ADD COLUMN state TEXT NOT NULL DEFAULT 'approved';
      ALTER TABLE approvals ADD COLUMN state_reason TEXT;
      ALTER TABLE approvals ADD COLUMN approver_name TEXT;
      CREATE INDEX approvals_version ON approvals(draft_version_id);
      CREATE TABLE push_run_hosts (
        run_id INTEGER NOT NULL REFERENCES push_runs(id) ON DELETE CASCADE,
        host_id INTEGER NOT NULL REFERENCES hosts(id),
        wave INTEGER NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending',
        step TEXT,
        error TEXT,
        updated_at TEXT NOT NULL,
        PRIMARY KEY (run_id, host_id)
      ) WITHOUT ROWID;
      ALTER TABLE push_steps ADD COLUMN duration_ms INTEGER;
      ALTER TABLE push_steps ADD COLUMN stdout_truncated INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE push_steps ADD COLUMN stderr_truncated INTEGER NOT NULL DEFAULT 0;
      CREATE INDEX push_steps_run_host ON push_steps(run_id, host_id);
      ALTER TABLE push_runs ADD COLUMN error TEXT;
      ALTER TABLE hosts ADD COLUMN created_at TEXT;
    `);
  },
};
