/**
 * Connecting over real OpenSSH (loopback sshd instances started by the test, as root):
 * auth kinds, the host key policy (unknown, pinned, changed), error mapping, jump hosts and
 * known_hosts import from files written for the real host keys.
 */
import { writeFileSync, readFileSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ssh2 from 'ssh2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVzError, type VzError } from '../../../src-main/core/errors';
import {
  connectSsh,
  hostKeyOf,
  presentedHostKey,
  type SshConnection,
  type SshTarget,
} from '../../../src-main/push/ssh/client';
import { lookup, parseKnownHosts } from '../../../src-main/push/ssh/known-hosts';
import { hashKnownHosts, startSshd, type SshdInstance } from '../../helpers/sshd';

function target(sshd: SshdInstance, over: Partial<SshTarget> = {}): SshTarget {
  return {
    host: sshd.host,
    port: sshd.port,
    username: sshd.user,
    auth: { kind: 'key', privateKey: sshd.clientKey },
    pins: [{ algorithm: sshd.hostKey.algorithm, fingerprint: sshd.hostKey.fingerprint }],
    ...over,
  };
}

async function rejection(promise: Promise<unknown>): Promise<VzError> {
  try {
    const value = await promise;
    if (value && typeof value === 'object' && 'close' in value) {
      await (value as SshConnection).close();
    }
  } catch (e) {
    if (isVzError(e)) return e;
    throw e;
  }
  throw new Error('expected a VzError, the call succeeded');
}

async function whoami(conn: SshConnection): Promise<string> {
  try {
    return (await conn.exec('id -un')).stdout.trim();
  } finally {
    await conn.close();
  }
}

let a: SshdInstance; // key + password auth, ed25519 host key
let b: SshdInstance; // ecdsa host key, reached through a in the jump tests
let c: SshdInstance; // rsa host key, gets its key replaced
let silent: Server; // accepts TCP and never speaks SSH
const silentSockets: Socket[] = [];
let work: string;

beforeAll(async () => {
  [a, b, c] = await Promise.all([
    startSshd({ passwordAuth: true }),
    startSshd({ hostKeyType: 'ecdsa' }),
    startSshd({ hostKeyType: 'rsa' }),
  ]);
  silent = createServer((s) => silentSockets.push(s));
  await new Promise<void>((r) => silent.listen(0, '127.0.0.1', r));
  work = mkdtempSync(join(tmpdir(), 'vz-ssh-connect-'));
});

afterAll(async () => {
  for (const s of silentSockets) s.destroy();
  silent?.close();
  await Promise.all([a?.stop(), b?.stop(), c?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

function silentPort(): number {
  const address = silent.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('authentication', () => {
  it('logs in with a private key and reports the verified host key', async () => {
    const conn = await connectSsh(target(a));
    expect(conn.hostKey).toEqual(a.hostKey);
    expect(conn.closed).toBe(false);
    expect(await whoami(conn)).toBe(a.user);
    expect(conn.closed).toBe(true);
  });

  it('logs in with a passphrase-protected key', async () => {
    const { pem, passphrase } = a.encryptedClientKey;
    expect(pem).toContain('OPENSSH PRIVATE KEY');
    const conn = await connectSsh(
      target(a, { auth: { kind: 'key', privateKey: pem, passphrase } }),
    );
    expect(await whoami(conn)).toBe(a.user);
  });

  it('tells a missing or wrong key passphrase apart from an auth failure', async () => {
    const { pem } = a.encryptedClientKey;
    const missing = await rejection(
      connectSsh(target(a, { auth: { kind: 'key', privateKey: pem } })),
    );
    expect(missing.code).toBe('SSH_KEY_INVALID');
    expect(missing.message).toMatch(/passphrase is needed/);
    const wrong = await rejection(
      connectSsh(target(a, { auth: { kind: 'key', privateKey: pem, passphrase: 'nope' } })),
    );
    expect(wrong.code).toBe('SSH_KEY_INVALID');
    expect(wrong.message).toMatch(/wrong passphrase/);
    const garbage = await rejection(
      connectSsh(target(a, { auth: { kind: 'key', privateKey: 'not a key' } })),
    );
    expect(garbage.code).toBe('SSH_KEY_INVALID');
  });

  it('logs in with a password', async () => {
    expect(a.password).toBeTruthy();
    const conn = await connectSsh(target(a, { auth: { kind: 'password', password: a.password! } }));
    expect(await whoami(conn)).toBe(a.user);
  });

  it('maps a refused key or password to SSH_AUTH_FAILED', async () => {
    const other = ssh2.utils.generateKeyPairSync('ed25519');
    const wrongKey = await rejection(
      connectSsh(target(a, { auth: { kind: 'key', privateKey: other.private } })),
    );
    expect(wrongKey.code).toBe('SSH_AUTH_FAILED');
    expect(wrongKey.message).toContain(`${a.user}@127.0.0.1:${a.port}`);
    const wrongPassword = await rejection(
      connectSsh(target(a, { auth: { kind: 'password', password: 'wrong-password' } })),
    );
    expect(wrongPassword.code).toBe('SSH_AUTH_FAILED');
    // b has password authentication off.
    const noPasswords = await rejection(
      connectSsh(target(b, { auth: { kind: 'password', password: 'whatever' } })),
    );
    expect(noPasswords.code).toBe('SSH_AUTH_FAILED');
    const wrongUser = await rejection(connectSsh(target(a, { username: 'root' })));
    expect(wrongUser.code).toBe('SSH_AUTH_FAILED');
  });
});

describe('host key policy', () => {
  it('refuses an unpinned host with HOST_KEY_UNKNOWN carrying the ssh-keygen fingerprint', async () => {
    for (const sshd of [a, b, c]) {
      const err = await rejection(connectSsh(target(sshd, { pins: [] })));
      expect(err.code).toBe('HOST_KEY_UNKNOWN');
      // sshd.hostKey comes from `ssh-keygen -lf` and the .pub file.
      expect(err.details).toMatchObject({ host: '127.0.0.1', port: sshd.port, ...sshd.hostKey });
      expect(presentedHostKey(err)).toEqual(sshd.hostKey);
      expect(err.message).toContain(sshd.hostKey.fingerprint);
    }
    expect(b.hostKey.algorithm).toBe('ecdsa-sha2-nistp256');
    expect(c.hostKey.algorithm).toBe('ssh-rsa');
  });

  it('reads the presented key without logging in (hostKeyOf)', async () => {
    expect(await hostKeyOf(a.host, a.port, { timeoutMs: 5_000 })).toEqual(a.hostKey);
    expect(await hostKeyOf(b.host, b.port)).toEqual(b.hostKey);
    const refused = await rejection(hostKeyOf('127.0.0.1', await closedPort()));
    expect(refused.code).toBe('SSH_CONNECT_FAILED');
  });

  it('accepts a pinned key among several pins and a pin pasted without padding prefix case', async () => {
    const pins = [
      { algorithm: 'ssh-ed25519', fingerprint: a.hostKey.fingerprint },
      { algorithm: 'ecdsa-sha2-nistp256', fingerprint: b.hostKey.fingerprint },
    ];
    expect(await whoami(await connectSsh(target(b, { pins })))).toBe(b.user);
    const pasted = [
      { algorithm: 'ssh-rsa', fingerprint: c.hostKey.fingerprint.replace('SHA256:', 'sha256:') },
    ];
    expect(await whoami(await connectSsh(target(c, { pins: pasted })))).toBe(c.user);
  });

  it('refuses a host that offers none of the pinned key types', async () => {
    const err = await rejection(
      connectSsh(
        target(a, { pins: [{ algorithm: 'ssh-rsa', fingerprint: c.hostKey.fingerprint }] }),
      ),
    );
    expect(err.code).toBe('HOST_KEY_CHANGED');
  });

  it('refuses a changed host key with HOST_KEY_CHANGED and both fingerprints', async () => {
    const before = c.hostKey;
    const pins = [{ algorithm: before.algorithm, fingerprint: before.fingerprint }];
    expect(await whoami(await connectSsh(target(c, { pins })))).toBe(c.user);
    const after = await c.restartWithNewHostKey();
    expect(after.fingerprint).not.toBe(before.fingerprint);
    const err = await rejection(connectSsh(target(c, { pins })));
    expect(err.code).toBe('HOST_KEY_CHANGED');
    expect(err.message).toContain(after.fingerprint);
    expect(err.message).toContain(before.fingerprint);
    expect(err.details).toMatchObject({ presented: after, pinned: pins });
    expect(presentedHostKey(err)).toEqual(after);
    // Pinning the new key lets the operator in again.
    expect(await whoami(await connectSsh(target(c, { pins: [after] })))).toBe(c.user);
  });
});

async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const address = server.address();
  await new Promise<void>((r) => server.close(() => r()));
  if (!address || typeof address === 'string') throw new Error('no port');
  return address.port;
}

describe('connection failures', () => {
  it('maps a refused TCP connection to SSH_CONNECT_FAILED', async () => {
    const err = await rejection(connectSsh(target(a, { port: await closedPort() })));
    expect(err.code).toBe('SSH_CONNECT_FAILED');
    expect(err.message).toMatch(/refused/);
  });

  it('times out on a server that never speaks SSH', async () => {
    const started = Date.now();
    const err = await rejection(connectSsh(target(a, { port: silentPort() }), { timeoutMs: 500 }));
    expect(err.code).toBe('SSH_TIMEOUT');
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('cancels a connection attempt', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const started = Date.now();
    const err = await rejection(
      connectSsh(target(a, { port: silentPort() }), { timeoutMs: 10_000, signal: ac.signal }),
    );
    expect(err.code).toBe('CANCELLED');
    expect(Date.now() - started).toBeLessThan(2_000);
    expect((await rejection(connectSsh(target(a), { signal: ac.signal }))).code).toBe('CANCELLED');
  });

  it('refuses invalid targets before connecting', async () => {
    expect((await rejection(connectSsh(target(a, { port: 0 })))).code).toBe('INVALID_INPUT');
    expect((await rejection(connectSsh(target(a, { host: ' ' })))).code).toBe('INVALID_INPUT');
    expect((await rejection(connectSsh(target(a, { username: '' })))).code).toBe('INVALID_INPUT');
  });
});

describe('jump host', () => {
  it('reaches a host through another, each verified with its own pins', async () => {
    const conn = await connectSsh(target(b, { jump: target(a) }));
    try {
      expect(conn.hostKey).toEqual(b.hostKey);
      // b sees the connection coming from a's forwarding, not from us directly.
      const r = await conn.exec('echo "$SSH_CONNECTION"');
      expect(r.stdout.trim().split(' ')[3]).toBe(String(b.port));
    } finally {
      await conn.close();
    }
  });

  it('applies the host key policy to every hop', async () => {
    const unknownInner = await rejection(connectSsh(target(b, { pins: [], jump: target(a) })));
    expect(unknownInner.code).toBe('HOST_KEY_UNKNOWN');
    expect(unknownInner.details).toMatchObject({
      port: b.port,
      fingerprint: b.hostKey.fingerprint,
    });

    const wrongJumpPin = [{ algorithm: 'ssh-ed25519', fingerprint: c.hostKey.fingerprint }];
    const changedJump = await rejection(
      connectSsh(target(b, { jump: target(a, { pins: wrongJumpPin }) })),
    );
    expect(changedJump.code).toBe('HOST_KEY_CHANGED');
    expect(changedJump.details).toMatchObject({ port: a.port, presented: a.hostKey });

    expect(await hostKeyOf(b.host, b.port, { jump: target(a) })).toEqual(b.hostKey);
  });

  it('reports a target the jump host cannot reach', async () => {
    const err = await rejection(
      connectSsh(target(b, { port: await closedPort(), jump: target(a) })),
    );
    expect(err.code).toBe('SSH_CONNECT_FAILED');
    expect(err.message).toMatch(/Jump host/);
  });

  it('drops the inner connection when the jump host connection dies', async () => {
    const conn = await connectSsh(target(b, { jump: target(a) }));
    const running = conn.exec('sleep 20');
    await new Promise((r) => setTimeout(r, 300));
    a.killSessions();
    const err = await rejection(running);
    expect(err.code).toBe('SSH_DISCONNECTED');
    expect(conn.closed).toBe(true);
  });
});

describe('known_hosts import', () => {
  it('finds the real host keys in plain and hashed entries and connects with them', async () => {
    const file = join(work, 'known_hosts');
    const line = (s: SshdInstance): string =>
      `[127.0.0.1]:${s.port} ${s.hostKey.algorithm} ${s.hostKey.publicKey}`;
    writeFileSync(file, `${line(b)}\n`);
    await hashKnownHosts(file);
    const hashed = readFileSync(file, 'utf8');
    expect(hashed).toMatch(/^\|1\|/);
    const text = [
      '# exported from the bastion',
      '',
      `${line(a)} operator@bastion`,
      hashed.trim(),
      `@revoked [127.0.0.1]:${c.port} ${c.hostKey.algorithm} ${c.hostKey.publicKey}`,
      `@cert-authority *.example.org ${a.hostKey.algorithm} ${a.hostKey.publicKey}`,
    ].join('\n');
    const parsed = parseKnownHosts(text);
    expect(parsed.entries).toHaveLength(2);
    expect(parsed.notes.map((n) => n.line)).toEqual([5, 6]);

    const aKeys = lookup(parsed.entries, a.host, a.port);
    expect(aKeys).toEqual([a.hostKey]);
    const bKeys = lookup(parsed.entries, b.host, b.port);
    expect(bKeys).toEqual([b.hostKey]);
    expect(lookup(parsed.entries, c.host, c.port)).toEqual([]);
    expect(lookup(parsed.entries, a.host, 22)).toEqual([]);

    expect(await whoami(await connectSsh(target(a, { pins: aKeys })))).toBe(a.user);
    expect(await whoami(await connectSsh(target(b, { pins: bKeys })))).toBe(b.user);
  });
});
