import type { WriterTask, WriterTaskMap } from './tasks';

export interface WriterStart<K extends WriterTask = WriterTask> {
  dbPath: string;
  keyHex: string;
  task: K;
  args: WriterTaskMap[K]['args'];
  /** Open read-only (checking a backup must not turn it into a WAL database). */
  readonly?: boolean;
}

export type WriterToMain =
  | { type: 'progress'; phase: string; done: number; total: number | null; message?: string }
  | { type: 'done'; result: unknown }
  | { type: 'error'; code: string; message: string };

export type MainToWriter = { type: 'cancel' };
