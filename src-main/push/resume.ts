/**
 * Resuming a push run, shared by the Push screen (push.resume) and `vulnzero push
 * resume`: a run that is not running and not abandoned, with at least one host left
 * pending, interrupted or cancelled, whose approval still verifies. Interrupted and
 * cancelled hosts go back in the queue (they start again from precheck, which tells
 * whether apply completed); the caller then runs `continuePush`.
 */
import { VzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import { verifiedApproval } from './approvals';
import { pushStatus, requeueHosts } from './engine';

/** Host states a resume picks up again. */
export const RESUMABLE_HOST_STATES: readonly string[] = ['pending', 'interrupted', 'cancelled'];

/** Checks that run `runId` can be resumed and requeues its hosts; returns how many will run. */
export function prepareResume(session: VaultSession, runId: number): number {
  session.requireRole('admin', 'approver', 'analyst');
  const status = pushStatus(session.db, runId);
  if (status.state === 'running' || status.state === 'abandoned')
    throw new VzError(
      'INVALID_INPUT',
      `Run #${runId} is ${status.state === 'running' ? 'still running' : 'abandoned'}; it cannot be resumed.`,
    );
  const resumable = status.hosts.filter((h) => RESUMABLE_HOST_STATES.includes(h.state));
  if (!resumable.length)
    throw new VzError(
      'INVALID_INPUT',
      `Run #${runId} has no pending or interrupted host to resume.`,
    );
  // Refuse before requeueing: a revoked, expired or voided approval runs nothing.
  verifiedApproval(session.db, status.approvalId);
  requeueHosts(session, runId);
  return resumable.length;
}

/**
 * The process that ran `runId` is gone (killed, the machine restarted) but the run still
 * says running: marks it and its running hosts and steps `interrupted`, as the app does
 * for every run at unlock. The CLI has no single-instance lock, so this is the
 * operator's explicit statement, never automatic. Audited as `push.interrupted`.
 */
export function markRunInterrupted(session: VaultSession, runId: number): void {
  session.requireRole('admin', 'approver', 'analyst');
  const status = pushStatus(session.db, runId);
  if (status.state !== 'running')
    throw new VzError('INVALID_INPUT', `Run #${runId} is ${status.state}, not running.`);
  const now = new Date().toISOString();
  session.transact(
    (db) => {
      db.prepare(
        `UPDATE push_steps SET state = 'interrupted', finished_at = ? WHERE run_id = ? AND state = 'running'`,
      ).run(now, runId);
      const hosts = db
        .prepare(
          `UPDATE push_run_hosts SET state = 'interrupted', updated_at = ? WHERE run_id = ? AND state = 'running'`,
        )
        .run(now, runId).changes;
      db.prepare(
        `UPDATE push_runs SET state = 'interrupted', error = ? WHERE id = ? AND state = 'running'`,
      ).run(
        `declared interrupted by ${session.operator.name} (the process running it stopped)`,
        runId,
      );
      return hosts;
    },
    (hosts) => ({
      action: 'push.interrupted',
      objectType: 'push_run',
      objectId: runId,
      summary: { before: { state: 'running' }, after: { state: 'interrupted', hosts } },
    }),
  );
}
