/** The `vulnzero` CLI entry (bin/vulnzero.cjs loads the built copy of this file). */
import { readFile } from 'node:fs/promises';
import { commands } from './commands';
import { runCli } from './run';

export async function main(argv: string[]): Promise<number> {
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
