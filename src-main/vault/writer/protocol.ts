import type { WriterTask, WriterTaskMap } from './tasks';

export interface WriterStart<K extends WriterTask = WriterTask> {
  dbPath: string;
  keyHex: string;
  task: K;
  args: WriterTaskMap[K]['args'];
  /** Open read-only (checking a backup must not turn it into a WAL database). */
  readonly?: boolean;
}

/** A long-lived read-only connection answering read tasks (vault/writer/reader.ts). */
export interface ReaderStart {
  dbPath: string;
  keyHex: string;
  serve: true;
}

/** Tasks the long-lived reader may run: they only read. */
export const READ_TASKS = ['dashboard', 'groups', 'count', 'reportFigures'] as const;
export type ReadTask = (typeof READ_TASKS)[number];

export type WriterToMain =
  | { type: 'progress'; phase: string; done: number; total: number | null; message?: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; code: string; message: string }
  | { type: 'readDone'; id: number; result: unknown }
  | { type: 'readError'; id: number; code: string; message: string };

export type MainToWriter =
  | { type: 'cancel' }
  | { type: 'read'; id: number; task: ReadTask; args: unknown }
  | { type: 'close' };
