import type { Handlers } from '../router';
import { appHandlers } from './app';
import { jobsHandlers } from './jobs';

/** Every domain's handlers; the `Handlers` type makes a missing channel a compile error. */
export const handlers: Handlers = {
  app: appHandlers,
  jobs: jobsHandlers,
};
