/**
 * The session's reader: one long-lived worker thread with a read-only connection, for
 * reads too heavy for the Electron main thread (the dashboard at a million findings).
 * A one-shot writer thread pays its start-up (loading the bundle, a cold page cache)
 * on every call; the reader pays it once per unlock, and its page cache stays warm.
 * In WAL mode every read sees the newest committed state. Closed (and its copy of the
 * key wiped) when the vault locks.
 */
import { Worker } from 'node:worker_threads';
import { VzError } from '../../core/errors';
import { builtWorkerEntry } from '../../core/worker-entry';
import type { MainToWriter, ReaderStart, ReadTask, WriterToMain } from './protocol';
import type { WriterTaskMap } from './tasks';

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: VzError) => void;
}

export class VaultReader {
  private worker: Worker | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  constructor(
    private readonly dbPath: string,
    private readonly keyFor: () => Buffer,
  ) {}

  /** Starts the thread now (at unlock), so the first read does not wait for it. */
  start(): void {
    if (this.worker) return;
    const key = this.keyFor();
    const start: ReaderStart = { dbPath: this.dbPath, keyHex: key.toString('hex'), serve: true };
    key.fill(0);
    const worker = new Worker(builtWorkerEntry('vault-writer.js', import.meta.url), {
      workerData: start,
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref(); // an idle reader never keeps the process alive
    worker.on('message', (message: WriterToMain) => {
      if (message.type !== 'readDone' && message.type !== 'readError') return;
      const waiting = this.pending.get(message.id);
      if (!waiting) return;
      this.pending.delete(message.id);
      if (this.pending.size === 0) worker.unref();
      if (message.type === 'readDone') waiting.resolve(message.result);
      else waiting.reject(new VzError(message.code, message.message));
    });
    const fail = (why: string) => {
      if (this.worker === worker) this.worker = null;
      for (const waiting of this.pending.values())
        waiting.reject(new VzError('INTERNAL', `Vault reader stopped: ${why}`));
      this.pending.clear();
    };
    worker.on('error', (error) => fail(error.message));
    worker.on('exit', (code) => fail(`exit ${code}`));
    this.worker = worker;
  }

  read<K extends ReadTask>(
    task: K,
    args: WriterTaskMap[K]['args'],
  ): Promise<WriterTaskMap[K]['result']> {
    this.start();
    const worker = this.worker as Worker;
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      worker.ref(); // a read in flight keeps the process alive until it answers
      worker.postMessage({ type: 'read', id, task, args } satisfies MainToWriter);
    });
  }

  close(): void {
    const worker = this.worker;
    if (!worker) return;
    this.worker = null;
    worker.postMessage({ type: 'close' } satisfies MainToWriter);
    // A read in progress finishes first; a thread that does not stop is stopped hard.
    setTimeout(() => void worker.terminate(), 2000).unref();
  }
}
