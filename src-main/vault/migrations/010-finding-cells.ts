import type { Migration } from './types';

/**
 * Counts of findings per (status, decision, severity, KEV), kept by triggers in the same
 * transaction as every insert, delete and change of those columns. The dashboard reads
 * its open cells and total from a few rows instead of decrypting an index of every open
 * finding (the cold cost that kept BENCH triage.dashboard_ms above its target). Overdue
 * counts come from a partial index led by the due date.
 */
export const migration010: Migration = {
  version: 10,
  name: 'finding cells',
  up: (db) => {
    db.exec(`
      CREATE TABLE finding_cells (
        status TEXT NOT NULL,
        decision_rank INTEGER NOT NULL,
        severity_rank INTEGER NOT NULL,
        kev INTEGER NOT NULL,
        n INTEGER NOT NULL,
        PRIMARY KEY (status, decision_rank, severity_rank, kev)
      ) WITHOUT ROWID;
      INSERT INTO finding_cells
        SELECT status, decision_rank, severity_rank, kev, count(*) FROM findings GROUP BY 1, 2, 3, 4;

      CREATE TRIGGER finding_cells_insert AFTER INSERT ON findings BEGIN
        INSERT INTO finding_cells VALUES (new.status, new.decision_rank, new.severity_rank, new.kev, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;
      CREATE TRIGGER finding_cells_delete AFTER DELETE ON findings BEGIN
        UPDATE finding_cells SET n = n - 1
          WHERE status = old.status AND decision_rank = old.decision_rank
            AND severity_rank = old.severity_rank AND kev = old.kev;
      END;
      CREATE TRIGGER finding_cells_update AFTER UPDATE OF status, decision_rank, severity_rank, kev ON findings
        WHEN old.status IS NOT new.status OR old.decision_rank IS NOT new.decision_rank
          OR old.severity_rank IS NOT new.severity_rank OR old.kev IS NOT new.kev
      BEGIN
        UPDATE finding_cells SET n = n - 1
          WHERE status = old.status AND decision_rank = old.decision_rank
            AND severity_rank = old.severity_rank AND kev = old.kev;
        INSERT INTO finding_cells VALUES (new.status, new.decision_rank, new.severity_rank, new.kev, 1)
          ON CONFLICT DO UPDATE SET n = n + 1;
      END;

      -- Only vaults migrated by a development build of 009 have it.
      DROP INDEX IF EXISTS findings_open_cells;
      CREATE INDEX findings_open_due ON findings(due_at) WHERE status = 'open';
    `);
  },
};
