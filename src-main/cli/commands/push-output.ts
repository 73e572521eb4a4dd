/** What push run/resume/rollback share in the CLI: Ctrl-C cancels, progress on stderr. */
import type { PushUpdate, RunStatus } from '../../push/engine';
import type { CommandRun } from '../command';

/** Runs `fn` with a signal that SIGINT (Ctrl-C) aborts: running steps are killed, hosts left interrupted. */
export async function withSigint<T>(fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const onSignal = () => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    return await fn(controller.signal);
  } finally {
    process.off('SIGINT', onSignal);
  }
}

/** Prints each host's step outcomes on stderr (not with --json, where stdout carries the result). */
export function progressPrinter(run: CommandRun): (u: PushUpdate) => void {
  return (u) => {
    if (!run.global.json && u.state !== 'step-running')
      run.io.stderr(`${u.host}: ${u.step ?? ''} ${u.state}${u.message ? ` (${u.message})` : ''}\n`);
  };
}

export function runText(status: RunStatus): string {
  return `Run #${status.id}: ${status.state}${status.error ? ` — ${status.error}` : ''}\n${status.hosts
    .map(
      (h) =>
        `  ${h.name}\twave ${h.wave + 1}\t${h.state}${h.step ? ` at ${h.step}` : ''}${h.error ? `\t${h.error}` : ''}`,
    )
    .join('\n')}`;
}
