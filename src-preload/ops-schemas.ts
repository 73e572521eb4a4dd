/** Shapes of the operations channels: job history, the Health panel and backup checks. */
import { z } from 'zod';

export const jobRecord = z.object({
  jobId: z.string(),
  kind: z.string(),
  state: z.enum(['running', 'done', 'failed', 'cancelled']),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  durationMs: z.number().nullable(),
  errorCode: z.string().nullable(),
  /** Known for jobs of this run only; the log files keep the code, not the text. */
  errorMessage: z.string().nullable(),
});

export const backupCheck = z.object({
  backupId: z.number(),
  path: z.string(),
  createdAt: z.string(),
  ok: z.boolean(),
  problem: z.string().nullable(),
  checkedAt: z.string(),
});

export const healthReport = z.object({
  checkedAt: z.string(),
  vault: z.object({
    state: z.enum(['absent', 'locked', 'unlocked']),
    path: z.string(),
    demo: z.boolean(),
    sizeBytes: z.number(),
  }),
  disk: z.object({ freeBytes: z.number(), totalBytes: z.number() }).nullable(),
  logs: z.object({ dir: z.string().nullable(), files: z.number(), bytes: z.number() }),
  jobs: z.object({ running: z.number(), failedLastDay: z.number() }),
  backups: z
    .object({
      count: z.number(),
      last: z
        .object({
          id: z.number(),
          path: z.string(),
          reason: z.string(),
          size: z.number(),
          createdAt: z.string(),
          ageHours: z.number(),
        })
        .nullable(),
      lastCheck: z
        .object({
          backupId: z.number(),
          at: z.string(),
          ok: z.boolean(),
          problem: z.string().nullable(),
        })
        .nullable(),
    })
    .nullable(),
  feeds: z
    .array(
      z.object({
        kind: z.string(),
        loaded: z.boolean(),
        loadedAt: z.string().nullable(),
        ageDays: z.number().nullable(),
        stale: z.boolean(),
      }),
    )
    .nullable(),
  model: z.object({ loaded: z.string().nullable(), registered: z.number().nullable() }),
  warnings: z.array(z.string()),
});

export type HealthReport = z.infer<typeof healthReport>;
export type JobRecord = z.infer<typeof jobRecord>;
