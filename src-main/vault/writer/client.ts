/**
 * Runs a writer task in a worker thread (out/main/vault-writer.js, built from
 * writer/worker.ts) with its own connection.
 */
import { Worker } from 'node:worker_threads';
import { VzError } from '../../core/errors';
import { builtWorkerEntry } from '../../core/worker-entry';
import type { JobControls } from '../../core/jobs';
import type { WriterStart, WriterToMain } from './protocol';
import type { WriterTask, WriterTaskMap } from './tasks';

export function runWriterTask<K extends WriterTask>(
  dbPath: string,
  key: Buffer,
  task: K,
  args: WriterTaskMap[K]['args'],
  controls?: Partial<JobControls>,
  options: { readonly?: boolean } = {},
): Promise<WriterTaskMap[K]['result']> {
  const start: WriterStart<K> = {
    dbPath,
    keyHex: key.toString('hex'),
    task,
    args,
    ...(options.readonly ? { readonly: true } : {}),
  };
  // A bounded heap makes V8 collect early: imports stream, so memory stays flat as files grow.
  const worker = new Worker(builtWorkerEntry('vault-writer.js', import.meta.url), {
    workerData: start,
    resourceLimits: { maxOldGenerationSizeMb: 256 },
  });
  return new Promise((resolve, reject) => {
    let settled = false;
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      // A task that does not reach a safe point soon is stopped hard; its transaction
      // never commits, so the database keeps its previous state.
      setTimeout(() => void worker.terminate(), 2000).unref();
    };
    controls?.signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      controls?.signal?.removeEventListener('abort', onAbort);
      fn();
    };
    worker.on('message', (message: WriterToMain) => {
      if (message.type === 'progress')
        controls?.progress?.(message.phase, message.done, message.total, message.message);
      else if (message.type === 'done')
        finish(() => resolve(message.result as WriterTaskMap[K]['result']));
      else if (message.type === 'error')
        finish(() => reject(new VzError(message.code, message.message)));
    });
    worker.on('error', (error) =>
      finish(() => reject(new VzError('INTERNAL', `Vault writer crashed: ${error.message}`))),
    );
    worker.on('exit', (code) => {
      finish(() =>
        reject(
          controls?.signal?.aborted
            ? new VzError('CANCELLED', 'Cancelled by the operator.')
            : new VzError('INTERNAL', `Vault writer stopped unexpectedly (exit ${code}).`),
        ),
      );
    });
  });
}
