import { LlmService } from '../drafts/llm-draft';
import type { GenerateOptions } from '../drafts/llm/generate';
import type { CoreContext, Runtime } from '../core/context';
import { createEventHub, type EventHub } from '../core/events';
import { describeThrown } from '../core/errors';
import { JobRegistry } from '../core/jobs';
import { createStreamLogger, silentLogger, teeLogger, type Logger } from '../core/logger';
import { RotatingLogFile } from '../ops/log-files';
import { APP_VERSION } from '../core/version';
import { handlers } from './handlers';
import { createRouter, type Router } from './router';
import { VaultManager } from '../vault/manager';
import type { KdfCost } from '../vault/slots';

export interface CoreOptions {
  runtime: Partial<Runtime> & Pick<Runtime, 'transport'>;
  /** The vault file this process works on (`<dir>/vault.vz`). */
  vaultPath: string;
  logger?: Logger;
  /** Also write rotating JSON-line logs here (the app and the harness: `<vault dir>/logs`). */
  logDir?: string;
  /** Sample scans and feeds for "Try with sample data" (default: resources/demo). */
  demoDir?: string;
  /** scrypt cost for new operators (tests lower it). */
  kdf?: KdfCost;
  /**
   * LLM threads overriding the vault setting (tests pass 1: defaults are slow on 2 cores)
   * and generation options (tests bound the tiny model's output).
   */
  llm?: { threads?: number; generate?: GenerateOptions };
}

export interface Core {
  readonly ctx: CoreContext;
  readonly router: Router;
  readonly events: EventHub;
  dispose(): Promise<void>;
}

/** Builds the core once per process: the same wiring for Electron, the harness and tests. */
export function createCore(options: CoreOptions): Core {
  const fileLog = options.logDir ? new RotatingLogFile(options.logDir) : null;
  const logger = fileLog
    ? teeLogger(
        options.logger ?? silentLogger,
        createStreamLogger((line) => fileLog.write(line)),
      )
    : (options.logger ?? silentLogger);
  const events = createEventHub();
  const jobs = new JobRegistry(events, logger);
  const vault = new VaultManager(options.vaultPath, {
    ...(options.kdf ? { kdf: options.kdf } : {}),
    ...(options.demoDir ? { demoDir: options.demoDir } : {}),
    onBackgroundError: (what, error) =>
      logger.log('error', `${what} failed`, { error: describeThrown(error) }),
  });
  const runtime: Runtime = {
    appVersion: APP_VERSION,
    electronVersion: null,
    startedAt: Date.now(),
    ...options.runtime,
  };
  const llm = new LlmService(options.llm?.threads, options.llm?.generate);
  const ctx: CoreContext = {
    logger,
    logDir: options.logDir ?? null,
    events,
    jobs,
    runtime,
    vault,
    llm,
  };
  // Locking stops every running job, unloads the model and tells the renderer.
  vault.onLock((reason) => {
    jobs.cancelAll();
    llm
      .unload()
      .catch((error: unknown) =>
        logger.log('error', 'model unload failed', { error: describeThrown(error) }),
      );
    events.emit('vaultLocked', { reason });
  });
  return {
    ctx,
    router: createRouter(handlers, ctx),
    events,
    dispose: () => {
      vault.lock('shutdown');
      jobs.cancelAll();
      return Promise.resolve();
    },
  };
}
