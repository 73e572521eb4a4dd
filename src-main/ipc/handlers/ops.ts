import { healthInputs, healthReport } from '../../ops/health';
import { jobHistory } from '../../ops/job-history';
import type { Handlers } from '../router';

export const jobsHandlers: Handlers['jobs'] = {
  list: (_input, ctx) => ctx.jobs.list(),
  cancel: ({ jobId }, ctx) => ({ cancelled: ctx.jobs.cancel(jobId) }),
  history: (input, ctx) => jobHistory(ctx.jobs, ctx.logDir, input?.limit ?? 200),
};

export const opsHandlers: Handlers['ops'] = {
  health: (_input, ctx) => healthReport(healthInputs(ctx)),
};
