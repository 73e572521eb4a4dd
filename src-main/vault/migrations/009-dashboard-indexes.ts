import type { Migration } from './types';

/**
 * The dashboard at a million findings without reading every row (BENCH
 * triage.dashboard_ms): the open findings' decision × severity cells with KEV and due
 * date come from one partial covering index, and the "fixed per week" trend from a
 * partial index over fixed findings only. The second costs imports nothing: a finding
 * is never fixed when it is inserted.
 */
export const migration009: Migration = {
  version: 9,
  name: 'dashboard indexes',
  up: (db) => {
    db.exec(`
      CREATE INDEX findings_open_cells ON findings(decision_rank, severity_rank, kev, due_at)
        WHERE status = 'open';
      CREATE INDEX findings_fixed_changed ON findings(status_changed_at, first_seen)
        WHERE status IN ('fixed', 'fixed_verified');
    `);
  },
};
