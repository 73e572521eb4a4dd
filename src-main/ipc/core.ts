import type { CoreContext, Runtime, VaultStatus } from '../core/context';
import { createEventHub, type EventHub } from '../core/events';
import { JobRegistry } from '../core/jobs';
import { silentLogger, type Logger } from '../core/logger';
import { APP_VERSION } from '../core/version';
import { handlers } from './handlers';
import { createRouter, type Router } from './router';

export interface CoreOptions {
  runtime: Partial<Runtime> & Pick<Runtime, 'transport'>;
  logger?: Logger;
  vault?: VaultStatus;
}

export interface Core {
  readonly ctx: CoreContext;
  readonly router: Router;
  readonly events: EventHub;
  dispose(): Promise<void>;
}

/** Builds the core once per process: the same wiring for Electron, the harness and tests. */
export function createCore(options: CoreOptions): Core {
  const logger = options.logger ?? silentLogger;
  const events = createEventHub();
  const jobs = new JobRegistry(events, logger);
  const runtime: Runtime = {
    appVersion: APP_VERSION,
    electronVersion: null,
    startedAt: Date.now(),
    ...options.runtime,
  };
  const ctx: CoreContext = {
    logger,
    events,
    jobs,
    runtime,
    vault: options.vault ?? { state: () => 'absent' },
  };
  return {
    ctx,
    router: createRouter(handlers, ctx),
    events,
    dispose: () => {
      jobs.cancelAll();
      return Promise.resolve();
    },
  };
}
