/**
 * The vault writer thread: opens its own connection with the key it was given, runs one
 * task, reports progress, and exits. The Electron main thread never waits on it.
 * Started with `serve`, the same thread instead stays up as the session's reader: one
 * read-only connection (and its warm page cache) answering read tasks until closed.
 */
import { parentPort, workerData, type MessagePort } from 'node:worker_threads';
import { isVzError } from '../../core/errors';
import { openEncrypted } from '../sqlcipher';
import {
  READ_TASKS,
  type MainToWriter,
  type ReaderStart,
  type WriterStart,
  type WriterToMain,
} from './protocol';
import { writerTasks, type TaskFn, type WriterTask } from './tasks';

const port = parentPort;
if (!port) throw new Error('the vault writer must run in a worker thread');

function failure(error: unknown): { code: string; message: string } {
  return {
    code: isVzError(error) ? error.code : 'INTERNAL',
    message: isVzError(error) ? error.message : `Vault writer failed: ${(error as Error).message}`,
  };
}

async function runOnce(port: MessagePort, start: WriterStart): Promise<void> {
  const controller = new AbortController();
  port.on('message', (message: MainToWriter) => {
    if (message.type === 'cancel') controller.abort();
  });
  const post = (message: WriterToMain) => port.postMessage(message);
  const key = Buffer.from(start.keyHex, 'hex');
  let db: ReturnType<typeof openEncrypted> | null = null;
  let outcome: WriterToMain;
  try {
    db = openEncrypted(start.dbPath, key, start.readonly ? { readonly: true } : {});
    // Long writes touch many index pages: a larger page cache avoids re-decrypting them.
    db.pragma('cache_size = -32768');
    const task = writerTasks[start.task] as TaskFn<WriterTask>;
    const result = await task(db, start.args, {
      signal: controller.signal,
      progress: (phase, done, total, message) =>
        post({
          type: 'progress',
          phase,
          done,
          total,
          ...(message === undefined ? {} : { message }),
        }),
    });
    outcome = { type: 'done', result };
  } catch (error) {
    outcome = { type: 'error', ...failure(error) };
  } finally {
    key.fill(0);
  }
  // Close before answering: the session's own connection is then the last one, and its
  // close checkpoints and removes the WAL (a CLI import otherwise raced this thread and
  // could leave a write-ahead log as large as the file it had just imported).
  try {
    db?.close();
  } catch {
    // The outcome stands: the task committed or failed before this close.
  }
  post(outcome);
  // The cancel listener would keep this thread alive; the task is over.
  port.close();
}

function serve(port: MessagePort, start: ReaderStart): void {
  const key = Buffer.from(start.keyHex, 'hex');
  let db: ReturnType<typeof openEncrypted> | null = null;
  let openError: { code: string; message: string } | null = null;
  try {
    db = openEncrypted(start.dbPath, key, { readonly: true });
  } catch (error) {
    openError = failure(error);
  } finally {
    key.fill(0);
  }
  const noControls = { signal: new AbortController().signal, progress: () => undefined };
  port.on('message', (message: MainToWriter) => {
    if (message.type === 'close') {
      db?.close();
      port.close();
      return;
    }
    if (message.type !== 'read') return;
    const post = (m: WriterToMain) => port.postMessage(m);
    if (!db || openError) {
      post({ type: 'readError', id: message.id, ...(openError ?? failure(new Error('closed'))) });
      return;
    }
    if (!(READ_TASKS as readonly string[]).includes(message.task)) {
      post({
        type: 'readError',
        id: message.id,
        code: 'INTERNAL',
        message: `Not a read task: ${message.task}`,
      });
      return;
    }
    const task = writerTasks[message.task] as TaskFn<WriterTask>;
    // Read tasks are synchronous; one message at a time, so reads never interleave.
    Promise.resolve()
      .then(() => task(db, message.args as never, noControls))
      .then(
        (result) => post({ type: 'readDone', id: message.id, result }),
        (error: unknown) => post({ type: 'readError', id: message.id, ...failure(error) }),
      );
  });
}

const start = workerData as WriterStart | ReaderStart;
if ('serve' in start) serve(port, start);
else await runOnce(port, start);
