import type { Handlers } from '../router';
import { appHandlers } from './app';
import { assetsHandlers } from './assets';
import { auditHandlers } from './audit';
import { dashboardHandlers } from './dashboard';
import { draftsHandlers, modelsHandlers } from './drafts';
import { approvalsHandlers, hostsHandlers, pushHandlers } from './push';
import { feedsHandlers } from './feeds';
import { findingsHandlers } from './findings';
import { importHandlers } from './import';
import { jobsHandlers, opsHandlers } from './ops';
import { operatorsHandlers } from './operators';
import { reportsHandlers } from './reports';
import { vaultHandlers } from './vault';

/** Every domain's handlers; the `Handlers` type makes a missing channel a compile error. */
export const handlers: Handlers = {
  app: appHandlers,
  vault: vaultHandlers,
  operators: operatorsHandlers,
  audit: auditHandlers,
  import: importHandlers,
  findings: findingsHandlers,
  dashboard: dashboardHandlers,
  drafts: draftsHandlers,
  models: modelsHandlers,
  hosts: hostsHandlers,
  approvals: approvalsHandlers,
  push: pushHandlers,
  feeds: feedsHandlers,
  assets: assetsHandlers,
  reports: reportsHandlers,
  jobs: jobsHandlers,
  ops: opsHandlers,
};
