/**
 * The vault writer thread: opens its own connection with the key it was given, runs one
 * task, reports progress, and exits. The Electron main thread never waits on it.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { isVzError } from '../../core/errors';
import { openEncrypted } from '../sqlcipher';
import type { MainToWriter, WriterStart, WriterToMain } from './protocol';
import { writerTasks, type TaskFn, type WriterTask } from './tasks';

const port = parentPort;
if (!port) throw new Error('the vault writer must run in a worker thread');

const start = workerData as WriterStart;
const controller = new AbortController();
port.on('message', (message: MainToWriter) => {
  if (message.type === 'cancel') controller.abort();
});

const post = (message: WriterToMain) => port.postMessage(message);
const key = Buffer.from(start.keyHex, 'hex');
let db: ReturnType<typeof openEncrypted> | null = null;
try {
  db = openEncrypted(start.dbPath, key, start.readonly ? { readonly: true } : {});
  // Long writes touch many index pages: a larger page cache avoids re-decrypting them.
  db.pragma('cache_size = -32768');
  const task = writerTasks[start.task] as TaskFn<WriterTask>;
  const result = await task(db, start.args, {
    signal: controller.signal,
    progress: (phase, done, total, message) =>
      post({ type: 'progress', phase, done, total, ...(message === undefined ? {} : { message }) }),
  });
  post({ type: 'done', result });
} catch (error) {
  post({
    type: 'error',
    code: isVzError(error) ? error.code : 'INTERNAL',
    message: isVzError(error) ? error.message : `Vault writer failed: ${(error as Error).message}`,
  });
} finally {
  key.fill(0);
  db?.close();
  // The cancel listener would keep this thread alive; the task is over.
  port.close();
}
