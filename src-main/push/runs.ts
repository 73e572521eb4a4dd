/** The run history (Push screen's list, `vulnzero push list`). */
import type { Db } from '../vault/sqlcipher';

export interface RunSummary {
  id: number;
  approvalId: number;
  state: string;
  startedAt: string;
  startedBy: string;
}

/** Push runs, newest first (at most 500). */
export function listRuns(db: Db): RunSummary[] {
  return db
    .prepare(
      `SELECT id, approval_id AS approvalId, state, started_at AS startedAt, started_by AS startedBy
       FROM push_runs ORDER BY id DESC LIMIT 500`,
    )
    .all() as RunSummary[];
}
