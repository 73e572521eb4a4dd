/**
 * The writer thread's side of an import's parse thread: starts out/main/import-parser.js
 * for one file and exposes its records as the same `ImportSource` an in-thread parse
 * gives, so parsing (one core) overlaps the encrypted writes (the other core).
 */
import { Worker } from 'node:worker_threads';
import { VzError } from '../../core/errors';
import { builtWorkerEntry } from '../../core/worker-entry';
import type { ImportSource } from '../read-file';
import type { ImportRecord } from '../types';
import type { ParserStart } from './parse-worker';
import { WireDecoder, type ParserToWriter, type WriterToParser } from './wire';

type Message = ParserToWriter | { t: 'crash'; message: string };

/** A queue of the worker's messages that a consumer awaits one at a time. */
class Inbox {
  private readonly queue: Message[] = [];
  private waiting: ((m: Message) => void) | null = null;

  push(message: Message): void {
    if (this.waiting) {
      const resolve = this.waiting;
      this.waiting = null;
      resolve(message);
    } else this.queue.push(message);
  }

  next(): Promise<Message> {
    const queued = this.queue.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    return new Promise((resolve) => (this.waiting = resolve));
  }
}

function failure(message: Exclude<Message, { t: 'start' | 'batch' | 'end' }>): VzError {
  if (message.t === 'crash')
    return new VzError('INTERNAL', `Import parser crashed: ${message.message}`);
  const details =
    message.details && typeof message.details === 'object'
      ? (message.details as Record<string, unknown>)
      : undefined;
  return new VzError(message.code, message.message, details);
}

export async function openImportInWorker(
  path: string,
  options: { format?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<ImportSource> {
  const start: ParserStart = { path, ...(options.format ? { format: options.format } : {}) };
  const worker = new Worker(builtWorkerEntry('import-parser.js', import.meta.url), {
    workerData: start,
    // A bounded heap makes V8 collect early: memory stays flat as files grow.
    resourceLimits: { maxOldGenerationSizeMb: 192 },
  });
  const inbox = new Inbox();
  let finished = false;
  worker.on('message', (m: ParserToWriter) => inbox.push(m));
  worker.on('error', (e) => inbox.push({ t: 'crash', message: e.message }));
  worker.on('exit', (code) => {
    if (!finished) inbox.push({ t: 'crash', message: `exit ${code}` });
  });
  const stop = () => {
    finished = true;
    void worker.terminate();
  };
  const onAbort = () => {
    stop();
    inbox.push({ t: 'error', code: 'CANCELLED', message: 'Import cancelled by the operator.' });
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const cleanup = () => {
    options.signal?.removeEventListener('abort', onAbort);
    stop();
  };

  const first = await inbox.next();
  if (first.t !== 'start') {
    cleanup();
    throw first.t === 'error' || first.t === 'crash'
      ? failure(first)
      : new VzError('INTERNAL', 'Import parser sent records before starting.');
  }
  let bytesRead = 0;
  let sha256: string | null = null;

  async function* records(): AsyncGenerator<ImportRecord> {
    const decoder = new WireDecoder();
    try {
      for (;;) {
        const m = await inbox.next();
        if (m.t === 'batch') {
          bytesRead = m.bytesRead;
          yield* decoder.decode(m.batch);
          worker.postMessage({ t: 'ack' } satisfies WriterToParser);
        } else if (m.t === 'end') {
          bytesRead = m.bytesRead;
          sha256 = m.sha256;
          finished = true;
          return;
        } else if (m.t === 'start') {
          throw new VzError('INTERNAL', 'Import parser started twice.');
        } else throw failure(m);
      }
    } finally {
      cleanup();
    }
  }

  return {
    format: first.format,
    label: first.label,
    fileName: first.fileName,
    size: first.size,
    records: records(),
    bytesRead: () => bytesRead,
    sha256: () => {
      if (sha256 === null) throw new VzError('INTERNAL', 'The file hash is known only at its end.');
      return sha256;
    },
  };
}
