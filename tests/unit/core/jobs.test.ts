import { describe, expect, it } from 'vitest';
import { createEventHub } from '../../../src-main/core/events';
import { JobRegistry, throwIfCancelled } from '../../../src-main/core/jobs';
import { VzError } from '../../../src-main/core/errors';
import { createMemoryLogger } from '../../../src-main/core/logger';

function setup(interval = 0) {
  const hub = createEventHub();
  const seen: { name: string; payload: Record<string, unknown> }[] = [];
  hub.subscribe((name, payload) =>
    seen.push({ name, payload: payload as Record<string, unknown> }),
  );
  const logger = createMemoryLogger();
  return { jobs: new JobRegistry(hub, logger, interval), seen, logger };
}

describe('job registry', () => {
  it('reports progress and completion as events', async () => {
    const { jobs, seen } = setup();
    const { jobId, done } = jobs.start('import', async ({ progress }) => {
      progress('parse', 1, 3);
      progress('parse', 3, 3, 'done parsing');
      return 42;
    });
    expect(await done).toBe(42);
    expect(seen.map((e) => e.name)).toEqual(['progress', 'progress', 'jobFinished']);
    expect(seen[1]?.payload).toMatchObject({
      jobId,
      kind: 'import',
      done: 3,
      total: 3,
      message: 'done parsing',
    });
    expect(seen[2]?.payload).toMatchObject({ jobId, state: 'done' });
    expect(jobs.list()).toEqual([expect.objectContaining({ jobId, state: 'done' })]);
  });

  it('throttles intermediate progress but always sends the last step', async () => {
    const { jobs, seen } = setup(10_000);
    await jobs.start('x', async ({ progress }) => {
      for (let i = 1; i <= 1000; i += 1) progress('p', i, 1000);
    }).done;
    const progress = seen.filter((e) => e.name === 'progress');
    expect(progress.length).toBe(2);
    expect(progress.at(-1)?.payload['done']).toBe(1000);
  });

  it('cancels a running job at its next safe point', async () => {
    const { jobs, seen } = setup();
    const { jobId, done } = jobs.start('slow', async ({ signal }) => {
      for (;;) {
        await new Promise((r) => setTimeout(r, 5));
        throwIfCancelled(signal);
      }
    });
    expect(jobs.runningCount()).toBe(1);
    expect(jobs.cancel(jobId)).toBe(true);
    await expect(done).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(jobs.cancel(jobId)).toBe(false);
    expect(jobs.cancel('no-such-job')).toBe(false);
    expect(seen.at(-1)?.payload).toMatchObject({
      state: 'cancelled',
      error: { code: 'CANCELLED' },
    });
  });

  it('reports failures with the domain code, or INTERNAL for bugs (logged)', async () => {
    const { jobs, seen, logger } = setup();
    await expect(
      jobs.start('a', () => Promise.reject(new VzError('BAD_FILE', 'Bad file.'))).done,
    ).rejects.toThrow('Bad file.');
    expect(seen.at(-1)?.payload).toMatchObject({
      state: 'failed',
      error: { code: 'BAD_FILE', message: 'Bad file.' },
    });
    await expect(jobs.start('b', () => Promise.reject(new Error('boom'))).done).rejects.toThrow(
      'boom',
    );
    expect(seen.at(-1)?.payload).toMatchObject({ state: 'failed', error: { code: 'INTERNAL' } });
    expect(logger.records.at(-1)).toMatchObject({ level: 'error', msg: 'job failed' });
  });

  it('cancelAll stops every running job and old finished jobs are forgotten', async () => {
    const { jobs } = setup();
    const running = [1, 2].map(
      () =>
        jobs.start('loop', async ({ signal }) => {
          while (!signal.aborted) await new Promise((r) => setTimeout(r, 2));
          throwIfCancelled(signal);
        }).done,
    );
    jobs.cancelAll();
    for (const p of running) await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
    for (let i = 0; i < 60; i += 1) await jobs.start('quick', () => Promise.resolve(i)).done;
    expect(jobs.list().length).toBe(50);
  });
});
