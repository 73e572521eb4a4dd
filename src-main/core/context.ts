import type { EventSink } from './events';
import type { JobRegistry } from './jobs';
import type { Logger } from './logger';
import type { LlmService } from '../drafts/llm-draft';
import type { VaultManager } from '../vault/manager';

export type Transport = 'electron' | 'harness' | 'direct';

/** What the process hosting the core can do for it (the shell, the harness, the CLI). */
export interface Runtime {
  readonly transport: Transport;
  readonly appVersion: string;
  readonly electronVersion: string | null;
  readonly startedAt: number;
  /** Opens an already allow-listed URL in the system browser; absent outside Electron. */
  readonly openExternal?: (url: string) => Promise<void>;
  /** Native "open files" dialog; absent outside Electron. */
  readonly chooseFiles?: () => Promise<string[]>;
  /** Native "save as" dialog with a suggested file name; null when cancelled. Electron only. */
  readonly chooseSavePath?: (suggestedName: string) => Promise<string | null>;
}

/** The vault's state as the rest of the core sees it; the vault domain implements it. */
export interface VaultStatus {
  state(): 'absent' | 'locked' | 'unlocked';
}

/**
 * Everything a handler may use. Built once per process by the host; handlers get it as
 * an argument, so there are no module-level singletons to reset between tests.
 */
export interface CoreContext {
  readonly logger: Logger;
  /** Where the rotating log files are (`<vault dir>/logs`), or null when the host keeps none. */
  readonly logDir: string | null;
  readonly events: EventSink;
  readonly jobs: JobRegistry;
  readonly vault: VaultManager;
  readonly runtime: Runtime;
  /** The local model runtime (drafts); the model is unloaded when the vault locks. */
  readonly llm: LlmService;
}
