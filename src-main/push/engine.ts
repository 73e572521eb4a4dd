/**
 * The push engine: runs an approved draft on its target hosts in waves — a canary of
 * one host, then `wavePercent` of the rest, then the rest — with a concurrency limit,
 * per-step timeouts and a circuit breaker. Per host: connect → precheck → apply →
 * verify; on failure rollback → verify the rollback (precheck again). Dry runs stop
 * after the precheck.
 *
 * Every step is written to the vault before it starts and when it ends, so after a
 * crash each host shows "interrupted at <step>" (never silently done) and can be
 * resumed or rolled back. The approval's hash is recomputed right before each host.
 * Hosts whose verify passes move the draft's findings on that asset to
 * `fixed_verified`, pending the next scan's confirmation.
 */
import type { JobControls } from '../core/jobs';
import { VzError, isVzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';
import { verifiedApproval, type ApprovalInfo } from './approvals';
import { getHost, type HostInfo, type SudoMode } from './hosts';
import { assertCanRollBack } from './rollback-rules';

export type PushStep = 'connect' | 'precheck' | 'apply' | 'verify' | 'rollback' | 'verify_rollback';
export type HostState =
  | 'pending'
  | 'running'
  | 'verified'
  | 'already_fixed'
  | 'checked'
  | 'not_applicable'
  | 'not_safe'
  | 'failed'
  | 'rolled_back'
  | 'rollback_failed'
  | 'refused'
  | 'interrupted'
  | 'cancelled';

export interface ExecResult {
  exitCode: number | null;
  signal: string | null;
  stdout: string;
  stderr: string;
  stdoutTruncated: boolean;
  stderrTruncated: boolean;
  durationMs: number;
  timedOut: boolean;
}

/** One open connection to a host (the SSH client, or a fake in unit tests). */
export interface HostConnection {
  exec(
    script: string,
    options: {
      sudo: SudoMode;
      timeoutMs: number;
      signal: AbortSignal;
      env: Record<string, string>;
    },
  ): Promise<ExecResult>;
  close(): void;
}
export type Connector = (host: HostInfo, signal: AbortSignal) => Promise<HostConnection>;

export interface PushUpdate {
  runId: number;
  hostId: number;
  host: string;
  step: PushStep | null;
  state: HostState | 'step-running' | 'step-ok' | 'step-failed';
  message?: string;
}

export interface RunRequest {
  dryRun?: boolean;
  /** At most the approved concurrency. */
  concurrency?: number;
}

/** Hosts in waves: [first host], [wavePercent % of the rest, at least 1], [the rest]. */
export function planWaves(hostIds: readonly number[], wavePercent: number): number[][] {
  if (!hostIds.length) return [];
  const [canary, ...rest] = hostIds as [number, ...number[]];
  const second = Math.min(rest.length, Math.max(1, Math.ceil((rest.length * wavePercent) / 100)));
  return [[canary], rest.slice(0, second), rest.slice(second)].filter((w) => w.length > 0);
}

const nowIso = () => new Date().toISOString();

class RunRecorder {
  constructor(
    private readonly db: Db,
    readonly runId: number,
    private readonly onUpdate: (u: PushUpdate) => void,
  ) {}

  host(host: HostInfo, state: HostState, step: PushStep | null, error?: string): void {
    this.db
      .prepare(
        'UPDATE push_run_hosts SET state = ?, step = ?, error = ?, updated_at = ? WHERE run_id = ? AND host_id = ?',
      )
      .run(state, step, error ?? null, nowIso(), this.runId, host.id);
    this.onUpdate({
      runId: this.runId,
      hostId: host.id,
      host: host.name,
      step,
      state,
      ...(error ? { message: error } : {}),
    });
  }

  /** The exit code of the host's first precheck in this run (null when none finished). */
  firstPrecheckExit(host: HostInfo): number | null {
    const row = this.db
      .prepare(
        `SELECT exit_code AS code FROM push_steps
         WHERE run_id = ? AND host_id = ? AND step = 'precheck' AND exit_code IS NOT NULL
         ORDER BY id LIMIT 1`,
      )
      .get(this.runId, host.id) as { code: number } | undefined;
    return row ? row.code : null;
  }

  startStep(host: HostInfo, wave: number, step: PushStep): number {
    const id = Number(
      this.db
        .prepare(
          `INSERT INTO push_steps(run_id, host_id, wave, step, state, started_at) VALUES (?, ?, ?, ?, 'running', ?)`,
        )
        .run(this.runId, host.id, wave, step, nowIso()).lastInsertRowid,
    );
    this.db
      .prepare(
        `UPDATE push_run_hosts SET state = 'running', step = ?, updated_at = ? WHERE run_id = ? AND host_id = ?`,
      )
      .run(step, nowIso(), this.runId, host.id);
    this.onUpdate({
      runId: this.runId,
      hostId: host.id,
      host: host.name,
      step,
      state: 'step-running',
    });
    return id;
  }

  endStep(
    stepId: number,
    host: HostInfo,
    step: PushStep,
    state: 'ok' | 'failed' | 'cancelled',
    result?: Partial<ExecResult>,
    note?: string,
  ): void {
    this.db
      .prepare(
        `UPDATE push_steps SET state = ?, exit_code = ?, stdout = ?, stderr = ?, stdout_truncated = ?, stderr_truncated = ?,
           duration_ms = ?, finished_at = ? WHERE id = ?`,
      )
      .run(
        state,
        result?.exitCode ?? null,
        result?.stdout ?? null,
        [result?.stderr, note].filter(Boolean).join('\n') || null,
        result?.stdoutTruncated ? 1 : 0,
        result?.stderrTruncated ? 1 : 0,
        result?.durationMs ?? null,
        nowIso(),
        stepId,
      );
    this.onUpdate({
      runId: this.runId,
      hostId: host.id,
      host: host.name,
      step,
      state: state === 'ok' ? 'step-ok' : 'step-failed',
      ...(note ? { message: note } : {}),
    });
  }
}

/** A step lost its connection: the host stops where it is. */
class Interrupted extends Error {
  constructor(
    readonly step: PushStep,
    message: string,
  ) {
    super(message);
  }
}

interface HostOutcome {
  state: HostState;
  failed: boolean;
}

async function runHost(
  session: VaultSession,
  rec: RunRecorder,
  approvalId: number,
  host: HostInfo,
  wave: number,
  request: RunRequest,
  connector: Connector,
  signal: AbortSignal,
  resumeRollback = false,
): Promise<HostOutcome> {
  const db = session.db;
  let approval: ApprovalInfo;
  let content;
  try {
    ({ approval, content } = verifiedApproval(db, approvalId));
  } catch (error) {
    const message = isVzError(error) ? error.message : String(error);
    rec.host(host, 'refused', null, message);
    return { state: 'refused', failed: true };
  }
  const timeoutMs = approval.options.stepTimeoutSec * 1000;
  const env = { VZ_RUN_ID: String(rec.runId), VZ_HOST: host.name, VZ_APPROVAL: String(approvalId) };
  let connection: HostConnection | null = null;
  const exec = async (step: PushStep, script: string): Promise<ExecResult | null> => {
    const stepId = rec.startStep(host, wave, step);
    try {
      const result = await (connection as HostConnection).exec(script, {
        sudo: host.sudoMode,
        timeoutMs,
        signal,
        env,
      });
      const note = result.timedOut
        ? `timed out after ${approval.options.stepTimeoutSec} s`
        : undefined;
      rec.endStep(
        stepId,
        host,
        step,
        result.exitCode === 0 && !result.timedOut ? 'ok' : 'failed',
        result,
        note,
      );
      return result;
    } catch (error) {
      const cancelled = signal.aborted || (isVzError(error) && error.code === 'CANCELLED');
      rec.endStep(
        stepId,
        host,
        step,
        cancelled ? 'cancelled' : 'failed',
        undefined,
        isVzError(error) ? `${error.code}: ${error.message}` : String(error),
      );
      if (cancelled) throw new VzError('CANCELLED', `Cancelled during ${step} on ${host.name}.`);
      // The connection is gone: nothing more can run; the host is left "interrupted at step".
      if (isVzError(error) && error.code === 'SSH_DISCONNECTED')
        throw new Interrupted(step, `${error.code}: ${error.message}`);
      return null;
    }
  };
  try {
    const connectId = rec.startStep(host, wave, 'connect');
    try {
      connection = await connector(host, signal);
      rec.endStep(connectId, host, 'connect', 'ok');
    } catch (error) {
      const message = isVzError(error) ? `${error.code}: ${error.message}` : String(error);
      rec.endStep(
        connectId,
        host,
        'connect',
        signal.aborted ? 'cancelled' : 'failed',
        undefined,
        message,
      );
      if (signal.aborted)
        throw new VzError('CANCELLED', `Cancelled while connecting to ${host.name}.`);
      if (isVzError(error) && error.code === 'HOST_KEY_CHANGED')
        session.audit({
          action: 'host.key_changed',
          objectType: 'host',
          objectId: host.id,
          summary: { after: { host: host.name, run: rec.runId, message } },
        });
      rec.host(host, 'failed', 'connect', message);
      return { state: 'failed', failed: true };
    }
    const rollback = async (why: string): Promise<HostOutcome> => {
      // Rolled back means the precheck answers as it did before this run changed anything:
      // "applicable" again after an upgrade was undone, "already fixed" where nothing was.
      const expected = rec.firstPrecheckExit(host);
      const rb = await exec('rollback', content.rollback);
      const check =
        rb && rb.exitCode === 0 ? await exec('verify_rollback', content.precheck) : null;
      const ok =
        rb?.exitCode === 0 &&
        check !== null &&
        (expected === null
          ? check.exitCode === 0 || check.exitCode === 3
          : check.exitCode === expected);
      const mismatch =
        !ok && check !== null && expected !== null
          ? `; the precheck now exits ${check.exitCode ?? '-'}, before this run it exited ${expected}: the host is not at its pre-run state`
          : '';
      rec.host(
        host,
        ok ? 'rolled_back' : 'rollback_failed',
        ok ? 'verify_rollback' : 'rollback',
        `${why}${mismatch}`,
      );
      return { state: ok ? 'rolled_back' : 'rollback_failed', failed: true };
    };
    if (resumeRollback) return await rollback('rolled back by the operator');

    const pre = await exec('precheck', content.precheck);
    if (!pre) {
      rec.host(host, 'failed', 'precheck', 'precheck could not run');
      return { state: 'failed', failed: true };
    }
    if (pre.exitCode === 4) {
      rec.host(host, 'not_applicable', 'precheck', 'precheck: not applicable to this host');
      return { state: 'not_applicable', failed: false };
    }
    if (pre.exitCode === 5) {
      rec.host(host, 'not_safe', 'precheck', 'precheck: not safe to change now');
      return { state: 'not_safe', failed: true };
    }
    if (pre.exitCode !== 0 && pre.exitCode !== 3) {
      rec.host(host, 'failed', 'precheck', `precheck exited ${pre.exitCode ?? pre.signal}`);
      return { state: 'failed', failed: true };
    }
    if (request.dryRun) {
      rec.host(host, 'checked', 'precheck', pre.exitCode === 3 ? 'already fixed' : 'would apply');
      return { state: 'checked', failed: false };
    }
    if (pre.exitCode === 0) {
      const applied = await exec('apply', content.apply);
      if (!applied || applied.exitCode !== 0)
        return await rollback(
          `apply failed (${applied?.timedOut ? 'timeout' : `exit ${applied?.exitCode ?? '-'}`})`,
        );
    }
    const verified = await exec('verify', content.verify);
    if (!verified || verified.exitCode !== 0) {
      if (pre.exitCode === 3) {
        rec.host(host, 'failed', 'verify', 'precheck said fixed but verify disagrees');
        return { state: 'failed', failed: true };
      }
      return await rollback('verify failed');
    }
    const state: HostState = pre.exitCode === 3 ? 'already_fixed' : 'verified';
    markFixed(session, approval, host, rec.runId);
    rec.host(host, state, 'verify');
    return { state, failed: false };
  } catch (error) {
    if (!(error instanceof Interrupted)) throw error;
    rec.host(host, 'interrupted', error.step, error.message);
    return { state: 'interrupted', failed: true };
  } finally {
    connection?.close();
  }
}

function markFixed(
  session: VaultSession,
  approval: ApprovalInfo,
  host: HostInfo,
  runId: number,
): void {
  if (host.assetId === null) return;
  session.transact(
    (db) =>
      db
        .prepare(
          `UPDATE findings SET status = 'fixed_verified', status_reason = ?, status_changed_at = ?
           WHERE asset_id = ? AND status IN ('open', 'not_seen') AND id IN (SELECT finding_id FROM draft_findings WHERE draft_id = ?)`,
        )
        .run(
          `verified by push run #${runId} on ${host.name}`,
          nowIso(),
          host.assetId,
          approval.draftId,
        ).changes,
    (changed) => ({
      action: 'findings.fixed_verified',
      objectType: 'host',
      objectId: host.id,
      summary: { after: { run: runId, draft: approval.draftId, findings: changed } },
    }),
  );
}

/** Runs `fn` over items with at most `limit` at once; stops launching when `stop()` says so. */
async function pool<T>(
  items: readonly T[],
  limit: number,
  stop: () => boolean,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const item = items[next] as T;
      next += 1;
      await fn(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export interface RunResult {
  runId: number;
  state: 'done' | 'failed' | 'paused' | 'cancelled' | 'refused';
}

/** Creates a run for an approval (checked now) and executes it. */
export async function startPush(
  session: VaultSession,
  approvalId: number,
  request: RunRequest,
  connector: Connector,
  controls: Pick<JobControls, 'signal' | 'progress'>,
  onUpdate: (u: PushUpdate) => void = () => undefined,
): Promise<RunResult> {
  session.requireRole('admin', 'approver', 'analyst');
  const { approval } = verifiedApproval(session.db, approvalId);
  if (request.concurrency !== undefined && request.concurrency > approval.options.concurrency)
    throw new VzError(
      'INVALID_INPUT',
      `Concurrency ${request.concurrency} is above the approved ${approval.options.concurrency}.`,
    );
  const waves = planWaves(
    approval.targets.map((t) => t.id),
    approval.options.wavePercent,
  );
  const runId = session.transact(
    (db) => {
      const id = Number(
        db
          .prepare(
            `INSERT INTO push_runs(approval_id, state, options, started_by, started_at) VALUES (?, 'running', ?, ?, ?)`,
          )
          .run(
            approvalId,
            JSON.stringify({
              dryRun: request.dryRun === true,
              concurrency: request.concurrency ?? approval.options.concurrency,
            }),
            session.operator.name,
            nowIso(),
          ).lastInsertRowid,
      );
      const add = db.prepare(
        `INSERT INTO push_run_hosts(run_id, host_id, wave, state, updated_at) VALUES (?, ?, ?, 'pending', ?)`,
      );
      waves.forEach((wave, i) => wave.forEach((hostId) => add.run(id, hostId, i, nowIso())));
      return id;
    },
    (id) => ({
      action: 'push.start',
      objectType: 'push_run',
      objectId: id,
      summary: {
        after: {
          approval: approvalId,
          dryRun: request.dryRun === true,
          waves: waves.map((w) => w.length),
        },
      },
    }),
  );
  return continuePush(session, runId, connector, controls, onUpdate);
}

/** Runs the pending hosts of a run, wave by wave (a new run, a paused or an interrupted one). */
export async function continuePush(
  session: VaultSession,
  runId: number,
  connector: Connector,
  controls: Pick<JobControls, 'signal' | 'progress'>,
  onUpdate: (u: PushUpdate) => void = () => undefined,
): Promise<RunResult> {
  const db = session.db;
  const run = db.prepare('SELECT approval_id, options FROM push_runs WHERE id = ?').get(runId) as
    { approval_id: number; options: string } | undefined;
  if (!run) throw new VzError('NOT_FOUND', `No push run #${runId}.`);
  const request = JSON.parse(run.options) as Required<RunRequest>;
  const { approval } = verifiedApproval(db, run.approval_id);
  const rec = new RunRecorder(db, runId, onUpdate);
  db.prepare(`UPDATE push_runs SET state = 'running', error = NULL WHERE id = ?`).run(runId);
  const rows = db
    .prepare(
      `SELECT host_id, wave, state FROM push_run_hosts WHERE run_id = ? ORDER BY wave, host_id`,
    )
    .all(runId) as { host_id: number; wave: number; state: HostState }[];
  const total = rows.length;
  let done = rows.filter((r) => r.state !== 'pending').length;
  let final: RunResult['state'] = 'done';
  const finish = (state: RunResult['state'], error?: string): RunResult => {
    db.prepare('UPDATE push_runs SET state = ?, error = ?, finished_at = ? WHERE id = ?').run(
      state,
      error ?? null,
      state === 'paused' ? null : nowIso(),
      runId,
    );
    session.audit({
      action: `push.${state}`,
      objectType: 'push_run',
      objectId: runId,
      ...(error ? { summary: { after: { error } } } : {}),
    });
    return { runId, state };
  };
  const waves = [...new Set(rows.map((r) => r.wave))];
  for (const wave of waves) {
    const pending = rows.filter((r) => r.wave === wave && r.state === 'pending');
    if (!pending.length) continue;
    let failures = 0;
    let refused = false;
    try {
      await pool(
        pending,
        request.concurrency,
        () => controls.signal.aborted || refused,
        async (r) => {
          const host = getHost(db, r.host_id);
          const outcome = await runHost(
            session,
            rec,
            run.approval_id,
            host,
            wave,
            request,
            connector,
            controls.signal,
          );
          if (outcome.failed) failures += 1;
          if (outcome.state === 'refused') refused = true;
          done += 1;
          controls.progress('push', done, total, `${host.name}: ${outcome.state}`);
        },
      );
    } catch (error) {
      if (isVzError(error) && error.code === 'CANCELLED') {
        db.prepare(
          `UPDATE push_run_hosts SET state = 'interrupted', updated_at = ? WHERE run_id = ? AND state = 'running'`,
        ).run(nowIso(), runId);
        return finish('cancelled', 'cancelled by the operator');
      }
      throw error;
    }
    if (controls.signal.aborted) return finish('cancelled', 'cancelled by the operator');
    if (refused) return finish('refused', 'the approval no longer matches (see the refused host)');
    const limit = wave === 0 ? 0 : (pending.length * approval.options.maxFailPercent) / 100;
    if (failures > limit) {
      const rest = rows.filter((r) => r.wave > wave && r.state === 'pending').length;
      if (rest > 0)
        return finish(
          'paused',
          `circuit breaker: ${failures} of ${pending.length} host(s) failed in wave ${wave + 1}; resume or abort`,
        );
      final = 'failed';
    } else if (failures > 0) final = 'failed';
  }
  return finish(final);
}

/** After a crash: whatever was running is interrupted at its step (run at unlock). */
export function markInterrupted(db: Db): number {
  const running = db
    .prepare(`SELECT id FROM push_runs WHERE state = 'running'`)
    .pluck()
    .all() as number[];
  if (!running.length) return 0;
  db.transaction(() => {
    db.prepare(
      `UPDATE push_steps SET state = 'interrupted', finished_at = ? WHERE state = 'running'`,
    ).run(nowIso());
    db.prepare(
      `UPDATE push_run_hosts SET state = 'interrupted', updated_at = ? WHERE state = 'running'`,
    ).run(nowIso());
    db.prepare(
      `UPDATE push_runs SET state = 'interrupted', error = 'the app stopped during the run' WHERE state = 'running'`,
    ).run();
  })();
  return running.length;
}

/** Puts interrupted or failed hosts back in the queue of a run (resume them from precheck). */
export function requeueHosts(session: VaultSession, runId: number, hostIds?: number[]): number {
  session.requireRole('admin', 'approver', 'analyst');
  return session.transact(
    (db) =>
      db
        .prepare(
          `UPDATE push_run_hosts SET state = 'pending', error = NULL, updated_at = ? WHERE run_id = ? AND state IN ('interrupted', 'cancelled')
           ${hostIds ? 'AND host_id IN (SELECT value FROM json_each(?))' : ''}`,
        )
        .run(nowIso(), runId, ...(hostIds ? [JSON.stringify(hostIds)] : [])).changes,
    { action: 'push.requeue', objectType: 'push_run', objectId: runId },
  );
}

/** Rolls one host of a run back (operator action). */
export async function rollbackHost(
  session: VaultSession,
  runId: number,
  hostId: number,
  connector: Connector,
  signal: AbortSignal,
  onUpdate: (u: PushUpdate) => void = () => undefined,
): Promise<HostState> {
  session.requireRole('admin', 'approver');
  const row = assertCanRollBack(session.db, runId, hostId);
  const outcome = await runHost(
    session,
    new RunRecorder(session.db, runId, onUpdate),
    row.approvalId,
    getHost(session.db, hostId),
    row.wave,
    {},
    connector,
    signal,
    true,
  );
  session.audit({
    action: 'push.rollback_host',
    objectType: 'push_run',
    objectId: runId,
    summary: { after: { host: hostId, state: outcome.state } },
  });
  return outcome.state;
}

export interface RunStatus {
  id: number;
  approvalId: number;
  state: string;
  error: string | null;
  options: { dryRun: boolean; concurrency: number };
  startedBy: string;
  startedAt: string;
  finishedAt: string | null;
  hosts: {
    hostId: number;
    name: string;
    wave: number;
    state: string;
    step: string | null;
    error: string | null;
  }[];
  steps: {
    hostId: number;
    step: string;
    state: string;
    exitCode: number | null;
    stdout: string | null;
    stderr: string | null;
    stdoutTruncated: boolean;
    stderrTruncated: boolean;
    durationMs: number | null;
    startedAt: string | null;
    finishedAt: string | null;
  }[];
}

export function pushStatus(db: Db, runId: number): RunStatus {
  const run = db.prepare('SELECT * FROM push_runs WHERE id = ?').get(runId) as
    | {
        id: number;
        approval_id: number;
        state: string;
        error: string | null;
        options: string;
        started_by: string;
        started_at: string;
        finished_at: string | null;
      }
    | undefined;
  if (!run) throw new VzError('NOT_FOUND', `No push run #${runId}.`);
  return {
    id: run.id,
    approvalId: run.approval_id,
    state: run.state,
    error: run.error,
    options: JSON.parse(run.options) as RunStatus['options'],
    startedBy: run.started_by,
    startedAt: run.started_at,
    finishedAt: run.finished_at,
    hosts: db
      .prepare(
        `SELECT r.host_id AS hostId, h.name, r.wave, r.state, r.step, r.error FROM push_run_hosts r JOIN hosts h ON h.id = r.host_id
         WHERE r.run_id = ? ORDER BY r.wave, h.name`,
      )
      .all(runId) as RunStatus['hosts'],
    steps: (
      db
        .prepare(
          `SELECT host_id, step, state, exit_code, stdout, stderr, stdout_truncated, stderr_truncated, duration_ms, started_at, finished_at
           FROM push_steps WHERE run_id = ? ORDER BY id`,
        )
        .all(runId) as {
        host_id: number;
        step: string;
        state: string;
        exit_code: number | null;
        stdout: string | null;
        stderr: string | null;
        stdout_truncated: number;
        stderr_truncated: number;
        duration_ms: number | null;
        started_at: string | null;
        finished_at: string | null;
      }[]
    ).map((s) => ({
      hostId: s.host_id,
      step: s.step,
      state: s.state,
      exitCode: s.exit_code,
      stdout: s.stdout,
      stderr: s.stderr,
      stdoutTruncated: s.stdout_truncated === 1,
      stderrTruncated: s.stderr_truncated === 1,
      durationMs: s.duration_ms,
      startedAt: s.started_at,
      finishedAt: s.finished_at,
    })),
  };
}

/** Closes a paused or interrupted run without running the rest: pending hosts are cancelled. */
export function abandonRun(session: VaultSession, runId: number, reason: string): void {
  session.requireRole('admin', 'approver', 'analyst');
  const status = pushStatus(session.db, runId);
  if (!['paused', 'interrupted', 'failed', 'cancelled'].includes(status.state))
    throw new VzError(
      'INVALID_INPUT',
      `Run #${runId} is ${status.state}; only a paused or interrupted run can be abandoned.`,
    );
  session.transact(
    (db) => {
      db.prepare(
        `UPDATE push_run_hosts SET state = 'cancelled', updated_at = ? WHERE run_id = ? AND state = 'pending'`,
      ).run(nowIso(), runId);
      db.prepare(
        `UPDATE push_runs SET state = 'abandoned', error = ?, finished_at = ? WHERE id = ?`,
      ).run(reason, nowIso(), runId);
    },
    {
      action: 'push.abandon',
      objectType: 'push_run',
      objectId: runId,
      summary: { before: { state: status.state }, after: { reason } },
    },
  );
}
