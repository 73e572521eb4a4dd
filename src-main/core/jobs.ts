import { randomUUID } from 'node:crypto';
import type { EventSink } from './events';
import { VzError, isVzError, describeThrown } from './errors';
import type { Logger } from './logger';

/** The log message of a finished job's record. */
export const JOB_FINISHED = 'job finished';

export type JobState = 'running' | 'done' | 'failed' | 'cancelled';

export interface JobInfo {
  jobId: string;
  kind: string;
  state: JobState;
  startedAt: string;
  finishedAt?: string;
  durationMs?: number;
  error?: { code: string; message: string };
}

export interface JobControls {
  readonly signal: AbortSignal;
  /** Report progress; cheap to call often (events are throttled per job). */
  progress(phase: string, done: number, total: number | null, message?: string): void;
}

interface JobEntry extends JobInfo {
  controller: AbortController;
  lastEmit: number;
}

/**
 * Long-running work (imports, feed loads, rekey, generation, pushes): every job has an
 * id, reports progress as events and can be cancelled through `jobs.cancel`.
 */
export class JobRegistry {
  private readonly jobs = new Map<string, JobEntry>();
  private readonly keepFinished = 50;

  constructor(
    private readonly events: EventSink,
    private readonly logger: Logger,
    private readonly progressIntervalMs = 100,
  ) {}

  /** Starts `work` and returns its id at once together with the promise of its result. */
  start<T>(
    kind: string,
    work: (controls: JobControls) => Promise<T>,
    /** What the renderer should open when the job is done (a draft id...), sent in jobFinished. */
    resultId?: (value: T) => number,
  ): { jobId: string; done: Promise<T> } {
    const controller = new AbortController();
    const entry: JobEntry = {
      jobId: randomUUID(),
      kind,
      state: 'running',
      startedAt: new Date().toISOString(),
      controller,
      lastEmit: 0,
    };
    this.jobs.set(entry.jobId, entry);
    this.logger.log('info', 'job started', { jobId: entry.jobId, kind });
    const controls: JobControls = {
      signal: controller.signal,
      progress: (phase, done, total, message) => {
        const now = Date.now();
        const last = total !== null && done >= total;
        if (!last && now - entry.lastEmit < this.progressIntervalMs) return;
        entry.lastEmit = now;
        this.events.emit('progress', {
          jobId: entry.jobId,
          kind,
          phase,
          done,
          total,
          ...(message === undefined ? {} : { message }),
        });
      },
    };
    const done = work(controls).then(
      (value) => {
        this.finish(entry, 'done', undefined, resultId?.(value));
        return value;
      },
      (error: unknown) => {
        const cancelled = controller.signal.aborted;
        const vz = isVzError(error) ? error : null;
        this.finish(entry, cancelled ? 'cancelled' : 'failed', {
          code: cancelled ? 'CANCELLED' : (vz?.code ?? 'INTERNAL'),
          message: cancelled ? 'Cancelled by the operator.' : (vz?.message ?? 'Internal error.'),
        });
        if (!vz && !cancelled)
          this.logger.log('error', 'job failed', { kind, error: describeThrown(error) });
        throw cancelled && !vz ? new VzError('CANCELLED', 'Cancelled by the operator.') : error;
      },
    );
    return { jobId: entry.jobId, done };
  }

  cancel(jobId: string): boolean {
    const entry = this.jobs.get(jobId);
    if (!entry || entry.state !== 'running') return false;
    entry.controller.abort();
    return true;
  }

  list(): JobInfo[] {
    return [...this.jobs.values()].map(
      ({ jobId, kind, state, startedAt, finishedAt, durationMs, error }) => ({
        jobId,
        kind,
        state,
        startedAt,
        ...(finishedAt === undefined ? {} : { finishedAt }),
        ...(durationMs === undefined ? {} : { durationMs }),
        ...(error ? { error } : {}),
      }),
    );
  }

  runningCount(): number {
    let n = 0;
    for (const job of this.jobs.values()) if (job.state === 'running') n += 1;
    return n;
  }

  /** Aborts every running job (used on lock and on quit). */
  cancelAll(): void {
    for (const job of this.jobs.values()) if (job.state === 'running') job.controller.abort();
  }

  private finish(
    entry: JobEntry,
    state: Exclude<JobState, 'running'>,
    error?: { code: string; message: string },
    resultId?: number,
  ): void {
    entry.state = state;
    const finished = new Date();
    entry.finishedAt = finished.toISOString();
    entry.durationMs = finished.getTime() - Date.parse(entry.startedAt);
    if (error) entry.error = error;
    // The Jobs view reads these records back from the log files (ops/job-history.ts).
    this.logger.log(state === 'done' ? 'info' : 'warn', JOB_FINISHED, {
      jobId: entry.jobId,
      kind: entry.kind,
      state,
      startedAt: entry.startedAt,
      durationMs: entry.durationMs,
      ...(error ? { errorCode: error.code } : {}),
    });
    this.events.emit('jobFinished', {
      jobId: entry.jobId,
      kind: entry.kind,
      state,
      ...(error ? { error } : {}),
      ...(resultId === undefined ? {} : { resultId }),
    });
    const done = [...this.jobs.values()].filter((j) => j.state !== 'running');
    for (const old of done.slice(0, Math.max(0, done.length - this.keepFinished)))
      this.jobs.delete(old.jobId);
  }
}

/** Throws CANCELLED when the job's signal was aborted; call at safe points in loops. */
export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw new VzError('CANCELLED', 'Cancelled by the operator.');
}
