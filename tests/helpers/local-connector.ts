/**
 * A push connector that runs each "host" as a local directory: scripts run with `sh -s`
 * in that directory. Fast tests of the push engine's logic; the real SSH path is tested
 * against real sshd instances (tests/integration/push/ssh*.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { VzError } from '../../src-main/core/errors';
import type { Connector, ExecResult } from '../../src-main/push/engine';

export function localConnector(
  root: string,
  options: { unreachable?: string[] } = {},
): Connector & { calls: string[] } {
  const calls: string[] = [];
  const connector = async (host: { name: string }) => {
    calls.push(`connect ${host.name}`);
    if (options.unreachable?.includes(host.name))
      throw new VzError('SSH_CONNECT_FAILED', `${host.name}: connection refused`);
    const dir = join(root, host.name);
    mkdirSync(dir, { recursive: true });
    return {
      exec: (
        script: string,
        o: { timeoutMs: number; signal: AbortSignal; env: Record<string, string> },
      ) =>
        new Promise<ExecResult>((resolve, reject) => {
          const started = Date.now();
          const child = spawn('sh', ['-s'], {
            cwd: dir,
            env: { ...process.env, ...o.env, HOST_DIR: dir },
            detached: true,
          });
          let stdout = '';
          let stderr = '';
          let timedOut = false;
          child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
          child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          const kill = () => {
            try {
              process.kill(-(child.pid as number), 'SIGKILL');
            } catch {
              /* already gone */
            }
          };
          const timer = setTimeout(() => {
            timedOut = true;
            kill();
          }, o.timeoutMs);
          const onAbort = () => kill();
          o.signal.addEventListener('abort', onAbort, { once: true });
          child.on('close', (code, signal) => {
            clearTimeout(timer);
            o.signal.removeEventListener('abort', onAbort);
            if (o.signal.aborted)
              return reject(new VzError('CANCELLED', 'Cancelled by the operator.'));
            resolve({
              exitCode: code,
              signal,
              stdout,
              stderr,
              stdoutTruncated: false,
              stderrTruncated: false,
              durationMs: Date.now() - started,
              timedOut,
            });
          });
          child.stdin.end(script);
        }),
      close: () => undefined,
    };
  };
  return Object.assign(connector, { calls });
}
