/**
 * When one host of a run may be rolled back (the Push screen's "Roll back…" and
 * `vulnzero push rollback`): the run is not running, the host is in a state where the
 * approved rollback script makes sense, and the run's approval still verifies — checked
 * before anything runs, so a refused rollback leaves the host's state as it was.
 */
import { VzError } from '../core/errors';
import type { Db } from '../vault/sqlcipher';
import { verifiedApproval } from './approvals';

/** Host states a single-host rollback applies to. */
export const ROLLBACK_HOST_STATES: readonly string[] = [
  'verified',
  'already_fixed',
  'failed',
  'interrupted',
  'rollback_failed',
  'cancelled',
];

/** Throws a VzError when host `hostId` of run `runId` cannot be rolled back now. */
export function assertCanRollBack(
  db: Db,
  runId: number,
  hostId: number,
): { approvalId: number; wave: number } {
  const row = db
    .prepare(
      `SELECT r.approval_id AS approvalId, r.state AS runState, h.wave, h.state AS hostState, n.name
       FROM push_runs r JOIN push_run_hosts h ON h.run_id = r.id JOIN hosts n ON n.id = h.host_id
       WHERE r.id = ? AND h.host_id = ?`,
    )
    .get(runId, hostId) as
    | { approvalId: number; runState: string; wave: number; hostState: string; name: string }
    | undefined;
  if (!row) throw new VzError('NOT_FOUND', `Host #${hostId} is not part of push run #${runId}.`);
  if (row.runState === 'running')
    throw new VzError(
      'INVALID_INPUT',
      `Run #${runId} is still running; stop it before rolling ${row.name} back.`,
    );
  if (!ROLLBACK_HOST_STATES.includes(row.hostState))
    throw new VzError(
      'INVALID_INPUT',
      `${row.name} is ${row.hostState} in run #${runId}; only a host that is ${ROLLBACK_HOST_STATES.join(', ')} can be rolled back.`,
    );
  verifiedApproval(db, row.approvalId);
  return { approvalId: row.approvalId, wave: row.wave };
}
