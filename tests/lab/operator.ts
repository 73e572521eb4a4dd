/**
 * The lab's operator: every step runs the real `vulnzero` command (bin/vulnzero.cjs, the
 * built CLI) as a separate process, with the vault and passphrase in the environment,
 * exactly as an operator scripts it. Each call is logged with its exit code.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';

export interface CliResult {
  code: number;
  out: string;
  err: string;
}

export interface Operator {
  (...args: string[]): Promise<CliResult>;
  /** Like the call, but throws with stderr unless the exit code is in `ok` (default 0). */
  must(args: string[], ok?: readonly number[]): Promise<CliResult>;
  json<T>(args: string[], ok?: readonly number[]): Promise<T>;
}

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vulnzero.cjs');

export function operator(vault: string, passphrase: string, log: (line: string) => void): Operator {
  const env = {
    ...process.env,
    VULNZERO_VAULT: vault,
    VULNZERO_PASSPHRASE: passphrase,
    VULNZERO_OPERATOR: 'lab-operator',
  };
  const call = (...args: string[]) =>
    new Promise<CliResult>((resolve, reject) => {
      const child = spawn(process.execPath, [BIN, ...args], {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (b: Buffer) => out.push(b));
      child.stderr.on('data', (b: Buffer) => err.push(b));
      child.once('error', reject);
      child.once('close', (code) => {
        log(`$ vulnzero ${args.join(' ')}  → exit ${code}`);
        resolve({
          code: code ?? 1,
          out: Buffer.concat(out).toString(),
          err: Buffer.concat(err).toString(),
        });
      });
    });
  const must = async (args: string[], ok: readonly number[] = [0]) => {
    const r = await call(...args);
    if (!ok.includes(r.code))
      throw new Error(`vulnzero ${args.join(' ')} exited ${r.code}:\n${r.err}\n${r.out}`);
    return r;
  };
  return Object.assign(call, {
    must,
    json: async <T>(args: string[], ok?: readonly number[]) =>
      JSON.parse((await must(args, ok)).out) as T,
  });
}
