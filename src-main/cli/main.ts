/** The `vulnzero` CLI entry (bin/vulnzero.cjs loads the built copy of this file). */
import { readFile } from 'node:fs/promises';
import { commands } from './commands';
import { runCli } from './run';

/**
 * `vulnzero findings --json | head` closes the pipe early: that is the reader's choice, not
 * an error, so end quietly (as Unix tools do) instead of crashing with EPIPE.
 */
function quietOnClosedPipe(): void {
  process.stdout.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code === 'EPIPE') process.exit(0);
    throw error;
  });
}

export async function main(argv: string[]): Promise<number> {
  quietOnClosedPipe();
  return runCli(
    argv,
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
      env: process.env,
      readFile: (path) => readFile(path, 'utf8'),
    },
    commands,
  );
}
