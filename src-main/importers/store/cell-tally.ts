/**
 * The dashboard's finding counts (finding_cells, migration 010) for the rows an import
 * inserts, kept in memory instead of by the per-row insert trigger.
 *
 * Why: any INSERT trigger on `findings` makes SQLite open a statement journal for every
 * inserted row, copying each index page the row touches first; on a 240,000-finding file
 * that was about a third of the writer's insert time. The import drops the insert trigger
 * inside its own transaction, counts what it inserts here, adds the counts and puts the
 * trigger back before it commits. A failure or a kill rolls the drop back with the rest,
 * so the trigger is never missing outside an import. The update and delete triggers stay:
 * they only fire on the rare rows an import changes.
 */
import type { Db } from '../../vault/sqlcipher';

const TRIGGER = 'finding_cells_insert';

/** decision rank, severity rank, KEV: the cell of an open finding. */
export type Cell = readonly [decisionRank: number, severityRank: number, kev: number];

export class CellTally {
  private readonly counts = new Map<string, { cell: Cell; n: number }>();
  private readonly triggerSql: string | undefined;

  constructor(private readonly db: Db) {
    this.triggerSql = db
      .prepare(`SELECT sql FROM sqlite_schema WHERE type = 'trigger' AND name = ?`)
      .pluck()
      .get(TRIGGER) as string | undefined;
    if (this.triggerSql) db.exec(`DROP TRIGGER ${TRIGGER}`);
  }

  /** One inserted finding; every import insert is an open finding. */
  add(cell: Cell): void {
    const key = cell.join('|');
    const entry = this.counts.get(key);
    if (entry) entry.n += 1;
    else this.counts.set(key, { cell, n: 1 });
  }

  /** Adds the counts so far to finding_cells (before a change of a counted row's status). */
  flush(): void {
    if (!this.counts.size) return;
    const upsert = this.db.prepare(
      `INSERT INTO finding_cells VALUES ('open', ?, ?, ?, ?) ON CONFLICT DO UPDATE SET n = n + excluded.n`,
    );
    for (const { cell, n } of this.counts.values()) upsert.run(...cell, n);
    this.counts.clear();
  }

  /** Adds the counts and restores the trigger, before the import changes anything else. */
  finish(): void {
    this.flush();
    if (this.triggerSql) this.db.exec(this.triggerSql);
  }
}
