import type { Core } from '../../src-main/ipc/core';

export interface JobEnd {
  jobId: string;
  state: string;
  resultId?: number;
  error?: { code: string; message: string };
}

/**
 * Starts a job channel through the router and resolves with its `jobFinished` event.
 * It listens before starting: a short job can finish before the call returns its id.
 * `onProgress` receives the job's progress events.
 */
export async function runJob(
  core: Core,
  channel: string,
  input: unknown,
  onProgress?: (payload: unknown) => void,
): Promise<JobEnd> {
  const seen: { name: string; payload: JobEnd }[] = [];
  let wake = () => undefined as void;
  const off = core.events.subscribe((name, payload) => {
    seen.push({ name, payload: payload as JobEnd });
    wake();
  });
  try {
    const started = await core.router.call(channel, input);
    if (!started.ok) throw new Error(`${channel}: ${started.error.code}: ${started.error.message}`);
    const { jobId } = started.value as { jobId: string };
    for (;;) {
      for (const e of seen.splice(0)) {
        if (e.payload.jobId !== jobId) continue;
        if (e.name === 'progress') onProgress?.(e.payload);
        if (e.name === 'jobFinished') return e.payload;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    off();
  }
}
