/**
 * Running scripts over real OpenSSH (loopback sshd started by the test, as root): exit
 * codes, output capture and caps, env, timeouts and cancel that kill the remote process
 * group, a connection dropped mid-run, and `sudo -n`.
 */
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVzError, type VzError } from '../../../src-main/core/errors';
import { connectSsh, type SshConnection, type SshTarget } from '../../../src-main/push/ssh/client';
import { grantSudo, startSshd, type SshdInstance } from '../../helpers/sshd';

function target(sshd: SshdInstance): SshTarget {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    auth: { kind: 'key', privateKey: sshd.clientKey },
    pins: [sshd.hostKey],
  };
}

async function rejection(promise: Promise<unknown>): Promise<VzError> {
  try {
    await promise;
  } catch (e) {
    if (isVzError(e)) return e;
    throw e;
  }
  throw new Error('expected a VzError, the call succeeded');
}

/** A process counts as gone once it no longer exists or is a zombie waiting for init. */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function waitGone(pid: number, ms = 3_000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (!alive(pid)) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return !alive(pid);
}

async function waitFile(path: string, ms = 5_000): Promise<string> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (existsSync(path)) {
      const text = readFileSync(path, 'utf8').trim();
      if (text) return text;
    }
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${path} was not written`);
}

let plain: SshdInstance;
let sudoHost: SshdInstance;
let revokeSudo: () => void;
let conn: SshConnection;
let work: string;

beforeAll(async () => {
  [plain, sudoHost] = await Promise.all([startSshd(), startSshd({ user: 'vzsudo' })]);
  revokeSudo = grantSudo('vzsudo');
  conn = await connectSsh(target(plain));
  // Per-run dir the remote users can write pid files to.
  work = mkdtempSync(join(tmpdir(), 'vz-ssh-exec-'));
  chmodSync(work, 0o777);
});

afterAll(async () => {
  await conn?.close();
  revokeSudo?.();
  await Promise.all([plain?.stop(), sudoHost?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('exec', () => {
  it('returns exit codes and captures stdout and stderr separately', async () => {
    const ok = await conn.exec('echo out; echo err >&2; id -un');
    expect(ok).toMatchObject({
      exitCode: 0,
      signal: null,
      stdout: `out\n${plain.user}\n`,
      stderr: 'err\n',
      stdoutTruncated: false,
      stderrTruncated: false,
      timedOut: false,
    });
    expect(ok.durationMs).toBeGreaterThanOrEqual(0);
    const failed = await conn.exec('echo partial\nexit 3');
    expect(failed.exitCode).toBe(3);
    expect(failed.stdout).toBe('partial\n');
  });

  it('reports a death by signal', async () => {
    const r = await conn.exec('kill -s TERM $$');
    expect(r.exitCode).toBeNull();
    expect(r.signal).toBe('TERM');
  });

  it('keeps the head of large output and marks it truncated', async () => {
    const r = await conn.exec(
      "head -c 300000 /dev/zero | tr '\\0' a; head -c 5000 /dev/zero | tr '\\0' b >&2",
      { maxOutputBytes: 1000 },
    );
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('a'.repeat(1000));
    expect(r.stdoutTruncated).toBe(true);
    expect(r.stderr).toBe('b'.repeat(1000));
    expect(r.stderrTruncated).toBe(true);

    const byDefault = await conn.exec("head -c 100000 /dev/zero | tr '\\0' c; echo done >&2");
    expect(byDefault.stdout.length).toBe(64 * 1024);
    expect(byDefault.stdoutTruncated).toBe(true);
    expect(byDefault.stderr).toBe('done\n');
    expect(byDefault.stderrTruncated).toBe(false);
  });

  it('streams the kept output as it arrives', async () => {
    const seen = { stdout: '', stderr: '' };
    const r = await conn.exec('echo one; echo two >&2; echo three', {
      maxOutputBytes: 6,
      onOutput: (stream, text) => (seen[stream] += text),
    });
    expect(r.exitCode).toBe(0);
    expect(seen).toEqual({ stdout: 'one\nth', stderr: 'two\n' });
    expect(r.stdout).toBe('one\nth');
  });

  it('passes env values verbatim and refuses bad names', async () => {
    const tricky = `it's "quoted" $HOME \`id\` \\ back\nsecond line; rm -rf /nope`;
    const r = await conn.exec('printf "%s|%s" "$VZ_VALUE" "$VZ_EMPTY"', {
      env: { VZ_VALUE: tricky, VZ_EMPTY: '' },
    });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`${tricky}|`);
    for (const bad of ['lower', '1ABC', 'A-B', 'A B', 'PATH;x']) {
      const err = await rejection(conn.exec('true', { env: { [bad]: 'x' } }));
      expect(err.code).toBe('INVALID_INPUT');
    }
  });

  it('does not let a command that reads stdin swallow the rest of the script', async () => {
    const r = await conn.exec('read line; echo "got[$line]"; cat; echo after');
    expect(r).toMatchObject({ exitCode: 0, stdout: 'got[]\nafter\n' });
  });

  it('runs several steps at once on one connection', async () => {
    const results = await Promise.all(
      [1, 2, 3, 4, 5].map((n) => conn.exec(`sleep 0.2; echo ${n}; exit ${n}`)),
    );
    expect(results.map((r) => [r.exitCode, r.stdout])).toEqual(
      [1, 2, 3, 4, 5].map((n) => [n, `${n}\n`]),
    );
  });

  it('kills the remote process group when a step times out', async () => {
    const pidFile = join(work, 'timeout.pid');
    const started = Date.now();
    const r = await conn.exec(`sleep 30 & echo $! > ${pidFile}; wait`, { timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(Date.now() - started).toBeLessThan(6_000);
    expect(r.signal === 'KILL' || r.exitCode !== 0).toBe(true);
    const pid = Number(await waitFile(pidFile));
    expect(await waitGone(pid)).toBe(true);
    // The connection is still usable.
    expect((await conn.exec('echo still here')).stdout).toBe('still here\n');
  });

  it('cancels a running step with an AbortSignal and kills it', async () => {
    const pidFile = join(work, 'cancel.pid');
    const ac = new AbortController();
    const running = conn.exec(`sleep 30 & echo $! > ${pidFile}; wait`, { signal: ac.signal });
    const pid = Number(await waitFile(pidFile));
    const started = Date.now();
    ac.abort();
    const err = await rejection(running);
    expect(err.code).toBe('CANCELLED');
    expect(err.details).toMatchObject({ killed: true });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await waitGone(pid)).toBe(true);
    expect((await rejection(conn.exec('true', { signal: ac.signal }))).code).toBe('CANCELLED');
  });

  it('fails with SSH_DISCONNECTED promptly when the connection dies mid-run', async () => {
    const own = await connectSsh(target(plain));
    const pidFile = join(work, 'drop.pid');
    const running = own.exec(`echo $$ > ${pidFile}; sleep 20`);
    await waitFile(pidFile);
    const started = Date.now();
    expect(plain.killSessions()).toBeGreaterThan(0);
    const err = await rejection(running);
    expect(err.code).toBe('SSH_DISCONNECTED');
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(own.closed).toBe(true);
    expect((await rejection(own.exec('true'))).code).toBe('SSH_DISCONNECTED');
    // The shared connection was killed too: reconnect for the remaining tests.
    conn = await connectSsh(target(plain));
  });

  it('rejects running steps after close()', async () => {
    const own = await connectSsh(target(plain));
    const running = own.exec('sleep 20');
    await new Promise((r) => setTimeout(r, 200));
    await own.close();
    expect(own.closed).toBe(true);
    expect((await rejection(running)).code).toBe('SSH_DISCONNECTED');
    expect((await rejection(own.exec('true'))).code).toBe('SSH_DISCONNECTED');
  });
});

describe('sudo -n', () => {
  it('runs the script as root with the env', async () => {
    const own = await connectSsh(target(sudoHost));
    try {
      const r = await own.exec('id -u; printf "%s\\n" "$VZ_X"; echo err >&2', {
        sudo: 'sudo-n',
        env: { VZ_X: "a'b" },
      });
      expect(r).toMatchObject({ exitCode: 0, stdout: "0\na'b\n", stderr: 'err\n' });
      const failed = await own.exec('exit 4', { sudo: 'sudo-n' });
      expect(failed.exitCode).toBe(4);
    } finally {
      await own.close();
    }
  });

  it('kills root processes when a sudo step times out', async () => {
    const own = await connectSsh(target(sudoHost));
    const pidFile = join(work, 'sudo-timeout.pid');
    try {
      const r = await own.exec(`sleep 30 & echo "$! $(id -u)" > ${pidFile}; wait`, {
        sudo: 'sudo-n',
        timeoutMs: 700,
      });
      expect(r.timedOut).toBe(true);
    } finally {
      await own.close();
    }
    const [pid, uid] = (await waitFile(pidFile)).split(' ');
    expect(uid).toBe('0');
    expect(await waitGone(Number(pid))).toBe(true);
  });

  it('fails with SSH_SUDO_FAILED when the user has no passwordless sudo, without hanging', async () => {
    const started = Date.now();
    const err = await rejection(conn.exec('id -u', { sudo: 'sudo-n', timeoutMs: 10_000 }));
    expect(err.code).toBe('SSH_SUDO_FAILED');
    expect(err.message).toMatch(/sudo/);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
