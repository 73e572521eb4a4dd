import type { Handlers } from '../router';

export const jobsHandlers: Handlers['jobs'] = {
  list: (_input, ctx) => ctx.jobs.list(),
  cancel: ({ jobId }, ctx) => ({ cancelled: ctx.jobs.cancel(jobId) }),
};
