/**
 * Keeps at most one local model loaded (node-llama-cpp, CPU only, never downloads or builds
 * anything), loads it on demand, unloads it on request (vault lock) or after a quiet period,
 * and runs one generation at a time.
 */
import { availableParallelism } from 'node:os';
import { basename } from 'node:path';
import type { Llama, LlamaContext, LlamaModel } from 'node-llama-cpp';
import { VzError } from '../../core/errors';
import { cancelled, loadError, outOfMemory, isOutOfMemory } from './errors';
import { sha256File } from './model-info';

/** Which model: the registry's path and the SHA-256 recorded when it was added. */
export interface ModelRef {
  path: string;
  sha256: string;
}

export interface LoadedModel {
  ref: ModelRef;
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  /** Actual context window in tokens (llama.cpp may round up). */
  contextSize: number;
  threads: number;
}

/** Timer functions, injectable so tests control idle unloading. */
export interface IdleTimers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LlmRuntimeOptions {
  /** CPU threads for evaluation. Default: cores - 1, at least 1. */
  threads?: number;
  /** Largest context window to create, in tokens; capped by the model's own. Default 8192. */
  contextSize?: number;
  /** Unload after this long without a generation. Default 10 minutes; 0 never. */
  idleUnloadMs?: number;
  timers?: IdleTimers;
  /** Re-hash the file before loading and refuse it when it changed. Default true. */
  verifyHash?: boolean;
  /** Provides the llama.cpp binding; default: the shared CPU-only instance. */
  loadLlama?: () => Promise<Llama>;
}

/** Why a running generation was stopped by the runtime itself. */
export class RuntimeAbort {
  constructor(readonly kind: 'unload') {}
}

export const DEFAULT_CONTEXT_SIZE = 8192;
export const DEFAULT_IDLE_UNLOAD_MS = 10 * 60_000;
const MAX_THREADS = 256;

export function defaultThreads(): number {
  return Math.max(1, availableParallelism() - 1);
}

/** The most recent llama.cpp log lines (warnings and errors), for error messages. */
const llamaLog: string[] = [];
const LOG_LINES = 50;
let sharedLlama: Promise<Llama> | null = null;

/**
 * The one llama.cpp binding of the process: the prebuilt CPU binary, no GPU probing, never
 * a download or a source build. Its logs go to a small buffer instead of the console.
 */
export function getSharedLlama(): Promise<Llama> {
  sharedLlama ??= (async () => {
    const { getLlama, LlamaLogLevel } = await import('node-llama-cpp');
    return getLlama({
      gpu: false,
      build: 'never',
      skipDownload: true,
      usePrebuiltBinaries: true,
      progressLogs: false,
      logLevel: LlamaLogLevel.warn,
      logger: (_level, message) => {
        llamaLog.push(message.trim());
        if (llamaLog.length > LOG_LINES) llamaLog.splice(0, llamaLog.length - LOG_LINES);
      },
    });
  })().catch((e: unknown) => {
    sharedLlama = null;
    throw new VzError(
      'MODEL_LOAD_FAILED',
      `The local LLM engine cannot start on this machine: ${e instanceof Error ? e.message : String(e)}.`,
    );
  });
  return sharedLlama;
}

/** Disposes the shared binding (process exit); the next use creates a new one. */
export async function disposeSharedLlama(): Promise<void> {
  const pending = sharedLlama;
  sharedLlama = null;
  if (!pending) return;
  const llama = await pending.catch(() => null);
  await llama?.dispose();
}

interface Active {
  controller: AbortController;
  done: Promise<void>;
}

export class LlmRuntime {
  readonly threads: number;
  readonly maxContextSize: number;
  readonly idleUnloadMs: number;
  private readonly timers: IdleTimers;
  private readonly verifyHash: boolean;
  private readonly loadLlama: () => Promise<Llama>;
  private current: LoadedModel | null = null;
  private active: Active | null = null;
  private idleHandle: unknown = null;
  private counters = { loads: 0, unloads: 0 };
  private disposed = false;

  constructor(options: LlmRuntimeOptions = {}) {
    const threads = options.threads ?? defaultThreads();
    if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
      throw new VzError(
        'INVALID_INPUT',
        `Threads must be a whole number from 1 to ${MAX_THREADS}.`,
      );
    }
    const ctx = options.contextSize ?? DEFAULT_CONTEXT_SIZE;
    if (!Number.isInteger(ctx) || ctx < 256) {
      throw new VzError('INVALID_INPUT', 'The context size must be at least 256 tokens.');
    }
    this.threads = threads;
    this.maxContextSize = ctx;
    this.idleUnloadMs = options.idleUnloadMs ?? DEFAULT_IDLE_UNLOAD_MS;
    this.timers = options.timers ?? {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    };
    this.verifyHash = options.verifyHash ?? true;
    this.loadLlama = options.loadLlama ?? getSharedLlama;
  }

  /** The loaded model, if any. */
  get loaded(): ModelRef | null {
    return this.current ? { ...this.current.ref } : null;
  }

  get busy(): boolean {
    return this.active !== null;
  }

  /** How many times a model was loaded / unloaded since this runtime was created. */
  get stats(): { loads: number; unloads: number } {
    return { ...this.counters };
  }

  /**
   * Runs `fn` with the model loaded, exclusively: a second call while one runs is refused
   * with LLM_BUSY. `fn` gets a signal that fires when the caller's signal fires or when the
   * runtime unloads (its reason is then a RuntimeAbort).
   */
  async run<T>(
    ref: ModelRef,
    fn: (loaded: LoadedModel, signal: AbortSignal) => Promise<T>,
    options: { signal?: AbortSignal; onLoading?: () => void } = {},
  ): Promise<T> {
    if (this.disposed) {
      throw new VzError('CANCELLED', 'The local model runtime was shut down.');
    }
    if (this.active) {
      throw new VzError(
        'LLM_BUSY',
        'The local model is already generating a draft. Wait for it to finish or cancel it.',
      );
    }
    const controller = new AbortController();
    let finish!: () => void;
    this.active = { controller, done: new Promise<void>((r) => (finish = r)) };
    this.clearIdle();
    const signal = options.signal
      ? AbortSignal.any([options.signal, controller.signal])
      : controller.signal;
    try {
      if (signal.aborted) throw abortError(signal);
      if (!this.isLoaded(ref)) options.onLoading?.();
      const loaded = await this.ensureLoaded(ref, signal);
      return await fn(loaded, signal);
    } finally {
      this.active = null;
      finish();
      this.scheduleIdle();
    }
  }

  /** Loads the model now (no-op when already loaded). */
  async load(ref: ModelRef, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.run(ref, () => Promise.resolve(), options);
  }

  /**
   * Stops any running generation (it rejects with CANCELLED), then frees the model and its
   * context. Safe to call at any time, any number of times.
   */
  async unload(): Promise<void> {
    while (this.active) {
      const a = this.active;
      a.controller.abort(new RuntimeAbort('unload'));
      await a.done;
    }
    this.clearIdle();
    const loaded = this.current;
    this.current = null;
    if (loaded) {
      this.counters.unloads++;
      await disposeLoaded(loaded);
    }
  }

  /** Unloads and refuses any further generation (app or CLI shutdown). */
  async dispose(): Promise<void> {
    this.disposed = true;
    await this.unload();
  }

  private isLoaded(ref: ModelRef): boolean {
    return (
      this.current !== null &&
      this.current.ref.sha256 === ref.sha256 &&
      this.current.ref.path === ref.path
    );
  }

  private async ensureLoaded(ref: ModelRef, signal: AbortSignal): Promise<LoadedModel> {
    if (this.current && this.isLoaded(ref)) return this.current;
    if (this.current) {
      const old = this.current;
      this.current = null;
      this.counters.unloads++;
      await disposeLoaded(old);
    }
    const name = basename(ref.path);
    if (this.verifyHash) {
      let actual: string;
      try {
        actual = await sha256File(ref.path, signal);
      } catch (e) {
        if (signal.aborted) throw abortError(signal);
        throw new VzError(
          'MODEL_INVALID',
          `The model file ${name} cannot be read: ${e instanceof Error ? e.message : String(e)}.`,
          { path: ref.path },
        );
      }
      if (actual !== ref.sha256.toLowerCase()) {
        throw new VzError(
          'MODEL_INVALID',
          `The model file ${name} changed since it was added (its SHA-256 differs). Add it again ` +
            `if the change is expected.`,
          { path: ref.path, expected: ref.sha256, actual },
        );
      }
    }
    const llama = await this.loadLlama();
    const logStart = llamaLog.length;
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: ref.path,
        gpuLayers: 0,
        loadSignal: signal,
      });
    } catch (e) {
      if (signal.aborted) throw abortError(signal);
      throw loadError(e, name, llamaLog.slice(Math.min(logStart, llamaLog.length)));
    }
    try {
      const contextSize = Math.min(this.maxContextSize, model.trainContextSize);
      const context = await model.createContext({
        contextSize,
        threads: this.threads,
        sequences: 1,
        createSignal: signal,
        failedCreationRemedy: false,
      });
      this.counters.loads++;
      this.current = {
        ref: { ...ref },
        llama,
        model,
        context,
        contextSize: context.contextSize,
        threads: this.threads,
      };
      return this.current;
    } catch (e) {
      await model.dispose().catch(() => undefined);
      if (signal.aborted) throw abortError(signal);
      if (isOutOfMemory(e)) {
        throw outOfMemory(`create a context for ${name}`, e instanceof Error ? e.message : '');
      }
      throw loadError(e, name, llamaLog.slice(Math.min(logStart, llamaLog.length)));
    }
  }

  private clearIdle(): void {
    if (this.idleHandle !== null) {
      this.timers.clearTimeout(this.idleHandle);
      this.idleHandle = null;
    }
  }

  private scheduleIdle(): void {
    this.clearIdle();
    if (!this.current || this.idleUnloadMs <= 0) return;
    const handle = this.timers.setTimeout(() => {
      this.idleHandle = null;
      if (!this.active) void this.unload();
    }, this.idleUnloadMs);
    (handle as { unref?: () => void } | null)?.unref?.();
    this.idleHandle = handle;
  }
}

async function disposeLoaded(loaded: LoadedModel): Promise<void> {
  await loaded.context.dispose().catch(() => undefined);
  await loaded.model.dispose().catch(() => undefined);
}

/** The VzError for an aborted signal: the runtime's own unload, or the caller's cancel. */
export function abortError(signal: AbortSignal): VzError {
  const reason: unknown = signal.reason;
  if (reason instanceof VzError) return reason;
  if (reason instanceof RuntimeAbort) {
    return cancelled('The model was unloaded (vault locked or model removed); generation stopped.');
  }
  return cancelled('Generation was cancelled.');
}
