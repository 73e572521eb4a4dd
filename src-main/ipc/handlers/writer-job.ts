/**
 * A state change that can touch many rows runs as a job in the vault writer thread: the
 * handler awaits its result (the channel's output is unchanged) while the job's progress
 * events reach the renderer, and the Electron main thread stays free meanwhile.
 */
import type { JobRegistry } from '../../core/jobs';
import type { VaultSession } from '../../vault/session';
import { runWriterTask } from '../../vault/writer/client';
import type { WriterTaskMap } from '../../vault/writer/tasks';

type SessionWrite = 'assets.set' | 'assets.merge' | 'findings.decide';

export function writeInWorker<K extends SessionWrite>(
  jobs: JobRegistry,
  session: VaultSession,
  task: K,
  args: Omit<WriterTaskMap[K]['args'], 'operator'>,
): Promise<WriterTaskMap[K]['result']> {
  const { id, name, role } = session.operator;
  const full = { ...args, operator: { id, name, role } } as WriterTaskMap[K]['args'];
  const { done } = jobs.start(task, (controls) =>
    runWriterTask(session.path, session.keyForWriter(), task, full, controls),
  );
  return done;
}
