import { readFileSync } from 'node:fs';
import type { CliIo } from '../../src-main/cli/command';
import { commands } from '../../src-main/cli/commands';
import { runCli } from '../../src-main/cli/run';

/** Runs the CLI in-process with the given environment; returns exit code, stdout, stderr. */
export function cli(env: Record<string, string>) {
  return async (...argv: string[]) => {
    let out = '';
    let err = '';
    const io: CliIo = {
      stdout: (t) => void (out += t),
      stderr: (t) => void (err += t),
      env,
      readFile: (p) => Promise.resolve(readFileSync(p, 'utf8')),
    };
    return { code: await runCli(argv, io, commands), out, err };
  };
}
