/**
 * The Jobs view's history: jobs finished in this process (the registry) and in earlier
 * runs (the `job finished` records of the rotating log files), newest first.
 */
import { readFileSync, statSync } from 'node:fs';
import { z } from 'zod';
import { JOB_FINISHED, type JobInfo, type JobRegistry } from '../core/jobs';
import { logFiles } from './log-files';
import type { JobRecord } from '../../src-preload/ops-schemas';

export type { JobRecord };

const finishedLine = z.object({
  msg: z.literal(JOB_FINISHED),
  time: z.string(),
  fields: z.object({
    jobId: z.string(),
    kind: z.string(),
    state: z.enum(['done', 'failed', 'cancelled']),
    startedAt: z.string(),
    durationMs: z.number(),
    errorCode: z.string().optional(),
  }),
});

/**
 * Parsed job records per log file, keyed by size and mtime: the Health panel and the Jobs
 * view ask often, and the rotated files (up to 10 MiB) never change once rotated.
 */
const parsedFiles = new Map<string, { stamp: string; records: JobRecord[] }>();

/** Finished jobs recorded in the log files of `dir` (unreadable or foreign lines are skipped). */
export function jobsFromLogs(dir: string): JobRecord[] {
  const records: JobRecord[] = [];
  for (const file of logFiles(dir)) {
    try {
      const { size, mtimeMs } = statSync(file);
      const stamp = `${size}:${mtimeMs}`;
      let cached = parsedFiles.get(file);
      if (cached?.stamp !== stamp) {
        cached = { stamp, records: parseJobRecords(readFileSync(file, 'utf8')) };
        parsedFiles.set(file, cached);
      }
      records.push(...cached.records);
    } catch {
      continue; // rotated away or unreadable
    }
  }
  return records;
}

function parseJobRecords(text: string): JobRecord[] {
  const records: JobRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.includes(JOB_FINISHED)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      continue; // a line cut by a crash
    }
    const record = finishedLine.safeParse(parsed);
    if (!record.success) continue;
    const f = record.data.fields;
    records.push({
      jobId: f.jobId,
      kind: f.kind,
      state: f.state,
      startedAt: f.startedAt,
      finishedAt: record.data.time,
      durationMs: f.durationMs,
      errorCode: f.errorCode ?? null,
      errorMessage: null,
    });
  }
  return records;
}

function fromRegistry(job: JobInfo): JobRecord {
  return {
    jobId: job.jobId,
    kind: job.kind,
    state: job.state,
    startedAt: job.startedAt,
    finishedAt: job.finishedAt ?? null,
    durationMs: job.durationMs ?? null,
    errorCode: job.error?.code ?? null,
    errorMessage: job.error?.message ?? null,
  };
}

/** Running and finished jobs, the registry's entry winning over the log's (it has the message). */
export function jobHistory(jobs: JobRegistry, logDir: string | null, limit: number): JobRecord[] {
  const byId = new Map<string, JobRecord>();
  if (logDir) for (const record of jobsFromLogs(logDir)) byId.set(record.jobId, record);
  for (const job of jobs.list()) byId.set(job.jobId, fromRegistry(job));
  return [...byId.values()]
    .sort(
      (a, b) =>
        (a.state === 'running' ? -1 : 0) - (b.state === 'running' ? -1 : 0) ||
        b.startedAt.localeCompare(a.startedAt),
    )
    .slice(0, limit);
}
