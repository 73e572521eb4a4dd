/**
 * Real OpenSSH servers for the SSH tests: every `startSshd()` is one "host", an own
 * `/usr/sbin/sshd -D` on a free 127.0.0.1 port with its own config, host key, PidFile and
 * authorized_keys in a temp dir. Needs root (sshd drops privileges to the test user) and
 * Debian's `openssh-server`, `openssh-client` (ssh-keygen) and `sudo` (for `grantSudo`).
 *
 * The system sshd, its config and port 22 are never touched. Test users are created
 * idempotently (`useradd`, shell /bin/sh) and unlocked with a random password kept in a
 * root-only file, so several test files (vitest workers) can share them.
 */
import { execFile, execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const SSHD = '/usr/sbin/sshd';
const STATE_DIR = '/var/lib/vulnzero-tests';
const PASSWORD_FILE = join(STATE_DIR, 'test-user.password');

export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

export interface TestHostKey {
  /** Key type as in the public key blob: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`. */
  algorithm: string;
  /** `SHA256:...` exactly as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Base64 of the public key blob (the second field of a `.pub` / known_hosts line). */
  publicKey: string;
}

export interface TestUser {
  name: string;
  home: string;
  password: string;
}

export interface SshdOptions {
  /** System user allowed to log in (created if missing). Default `vztest`. */
  user?: string;
  /** Allow password authentication (the user's password is returned). Default false. */
  passwordAuth?: boolean;
  hostKeyType?: HostKeyType;
}

export interface SshdInstance {
  host: '127.0.0.1';
  port: number;
  /** The key the server presents now (replaced by `restartWithNewHostKey`). */
  hostKey: TestHostKey;
  user: string;
  /** Unencrypted OpenSSH-format ed25519 private key, authorized for `user`. */
  clientKey: string;
  /** A second authorized ed25519 key, encrypted with `passphrase`. */
  encryptedClientKey: { pem: string; passphrase: string };
  /** Only with `passwordAuth`. */
  password?: string;
  /** The instance's temp dir (config, keys, pid file). */
  dir: string;
  /** sshd's output so far (LogLevel VERBOSE), for failure messages. */
  log(): string;
  /** Stops sshd, makes a new host key of the same type and starts again on the same port. */
  restartWithNewHostKey(): Promise<TestHostKey>;
  /** SIGKILLs this instance's per-connection sshd processes (a dropped connection). */
  killSessions(): number;
  /** Kills sshd and everything it started, removes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

const running = new Set<SshdInstance>();
const sudoersFiles = new Set<string>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const instance of running) {
      try {
        killTree(masterPidOf(instance), 'SIGKILL', () => true);
      } catch {
        // best effort on exit
      }
    }
    for (const file of sudoersFiles) rmSync(file, { force: true });
  });
}

const masterPids = new WeakMap<SshdInstance, () => number | undefined>();
function masterPidOf(instance: SshdInstance): number | undefined {
  return masterPids.get(instance)?.();
}

export function requireRoot(): void {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) {
    throw new Error(
      'The SSH tests start real sshd instances and create a test user: run them as root ' +
        '(CI and the development machines do).',
    );
  }
  for (const [bin, pkg] of [
    [SSHD, 'openssh-server'],
    ['/usr/bin/ssh-keygen', 'openssh-client'],
  ] as const) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: apt-get install -y ${pkg}`);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Runs a shadow-suite tool, retrying while another process holds the passwd/shadow lock. */
function runLocked(cmd: string, args: string[], input?: string): void {
  for (let attempt = 0; ; attempt++) {
    try {
      execFileSync(cmd, args, { input, stdio: ['pipe', 'pipe', 'pipe'] });
      return;
    } catch (e) {
      const err = e as { status?: number; stderr?: Buffer };
      const text = err.stderr?.toString() ?? '';
      if (attempt < 40 && /lock|try again/i.test(text)) {
        execFileSync('sleep', ['0.1']);
        continue;
      }
      throw new Error(`${cmd} ${args.join(' ')} failed (${err.status}): ${text}`, { cause: e });
    }
  }
}

function sharedPassword(): { password: string; created: boolean } {
  mkdirSync(STATE_DIR, { recursive: true, mode: 0o700 });
  chmodSync(STATE_DIR, 0o700);
  if (existsSync(PASSWORD_FILE)) {
    return { password: readFileSync(PASSWORD_FILE, 'utf8').trim(), created: false };
  }
  const password = `vz-${randomBytes(18).toString('base64url')}`;
  const tmp = `${PASSWORD_FILE}.${process.pid}.${randomBytes(4).toString('hex')}`;
  writeFileSync(tmp, `${password}\n`, { mode: 0o600 });
  try {
    linkSync(tmp, PASSWORD_FILE); // atomic, fails if another worker won the race
    return { password, created: true };
  } catch {
    return { password: readFileSync(PASSWORD_FILE, 'utf8').trim(), created: false };
  } finally {
    unlinkSync(tmp);
  }
}

function shadowField(name: string): string | undefined {
  for (const line of readFileSync('/etc/shadow', 'utf8').split('\n')) {
    const [user, hash] = line.split(':');
    if (user === name) return hash ?? '';
  }
  return undefined;
}

function passwdHome(name: string): string | undefined {
  for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
    const fields = line.split(':');
    if (fields[0] === name) return fields[5];
  }
  return undefined;
}

/**
 * Ensures the system user `name` exists (home /home/NAME, shell /bin/sh) and can log in
 * with `UsePAM no`: unlocked, with the shared random test password. Idempotent and safe to
 * call from several workers at once. Never grants sudo (see `grantSudo`).
 */
export function testUser(name = 'vztest'): TestUser {
  requireRoot();
  if (!/^[a-z_][a-z0-9_-]{0,30}$/.test(name)) throw new Error(`bad test user name: ${name}`);
  const { password, created } = sharedPassword();
  let mustSetPassword = created;
  if (passwdHome(name) === undefined) {
    try {
      runLocked('useradd', ['-m', '-d', `/home/${name}`, '-s', '/bin/sh', name]);
    } catch (e) {
      if (passwdHome(name) === undefined) throw e; // not "created meanwhile by another worker"
    }
    mustSetPassword = true;
  }
  const hash = shadowField(name) ?? '';
  if (hash === '' || hash.startsWith('!') || hash.startsWith('*')) mustSetPassword = true;
  if (mustSetPassword) runLocked('chpasswd', [], `${name}:${password}\n`);
  return { name, home: passwdHome(name) ?? `/home/${name}`, password };
}

/**
 * Passwordless `sudo -n` for `user` through a drop-in in /etc/sudoers.d (validated with
 * visudo). Returns the function that removes it again (also removed on process exit).
 * Use a user of its own for this, so tests of the "no sudo" case are not affected.
 */
export function grantSudo(user: string): () => void {
  requireRoot();
  if (!existsSync('/usr/bin/sudo')) throw new Error('sudo is missing: apt-get install -y sudo');
  // sudo ignores drop-ins whose names contain a dot, so no extension.
  const file = `/etc/sudoers.d/vulnzero_test_${randomBytes(6).toString('hex')}`;
  const tmp = join(mkdtempSync(join(tmpdir(), 'vz-sudoers-')), 'drop-in');
  writeFileSync(tmp, `${user} ALL=(ALL:ALL) NOPASSWD: ALL\n`, { mode: 0o440 });
  execFileSync('visudo', ['-c', '-q', '-f', tmp]);
  writeFileSync(file, readFileSync(tmp), { mode: 0o440 });
  rmSync(tmp, { force: true });
  sudoersFiles.add(file);
  installExitHook();
  return () => {
    rmSync(file, { force: true });
    sudoersFiles.delete(file);
  };
}

/** Reads `KEY.pub` and its `ssh-keygen -lf` fingerprint. */
export function readHostKey(pubPath: string): TestHostKey {
  const [algorithm, publicKey] = readFileSync(pubPath, 'utf8').trim().split(/\s+/);
  const listed = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', pubPath]).toString();
  const fingerprint = /SHA256:[A-Za-z0-9+/]+/.exec(listed)?.[0];
  if (!algorithm || !publicKey || !fingerprint) throw new Error(`cannot read ${pubPath}`);
  return { algorithm, fingerprint, publicKey };
}

function keygen(path: string, type: HostKeyType, passphrase = ''): void {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  const args = ['-q', '-t', type, '-N', passphrase, '-C', '', '-f', path];
  if (type === 'rsa') args.push('-b', '2048');
  if (type === 'ecdsa') args.push('-b', '256');
  if (passphrase) args.push('-a', '8');
  execFileSync('ssh-keygen', args);
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

let sshdVersion: [number, number] | undefined;
function opensshVersion(): [number, number] {
  if (!sshdVersion) {
    // sshd -V prints the version on stderr (and exits non-zero on older builds).
    const r = spawnSync(SSHD, ['-V'], { encoding: 'utf8' });
    const text = `${r.stdout}${r.stderr}`;
    const m = /OpenSSH_(\d+)\.(\d+)/.exec(text);
    sshdVersion = m ? [Number(m[1]), Number(m[2])] : [0, 0];
  }
  return sshdVersion;
}

function sshdConfig(dir: string, port: number, user: string, passwordAuth: boolean): string {
  const [major, minor] = opensshVersion();
  const lines = [
    `ListenAddress 127.0.0.1`,
    `Port ${port}`,
    `HostKey ${join(dir, 'host_key')}`,
    `PidFile ${join(dir, 'sshd.pid')}`,
    `AuthorizedKeysFile ${join(dir, 'authorized_keys')}`,
    // The temp dir lives under /tmp (world-writable), which StrictModes refuses.
    `StrictModes no`,
    `UsePAM no`,
    `AllowUsers ${user}`,
    `PermitRootLogin no`,
    `PubkeyAuthentication yes`,
    `PasswordAuthentication ${passwordAuth ? 'yes' : 'no'}`,
    `PermitEmptyPasswords no`,
    `KbdInteractiveAuthentication no`,
    `HostbasedAuthentication no`,
    `X11Forwarding no`,
    `AllowAgentForwarding no`,
    // Jump-host tests forward through one instance to another.
    `AllowTcpForwarding yes`,
    `PermitTunnel no`,
    `PermitUserEnvironment no`,
    `PrintMotd no`,
    `PrintLastLog no`,
    `MaxStartups 200`,
    `MaxSessions 50`,
    `LoginGraceTime 30`,
    `LogLevel VERBOSE`,
  ];
  // OpenSSH 9.8+ penalizes sources that fail auth or crash sessions; tests do both on purpose.
  if (major > 9 || (major === 9 && minor >= 8)) lines.push('PerSourcePenalties no');
  return `${lines.join('\n')}\n`;
}

function childrenOf(): Map<number, { ppid: number; comm: string }> {
  const procs = new Map<number, { ppid: number; comm: string }>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const ppid = Number(stat.slice(close + 2).split(' ')[1]);
      procs.set(Number(name), { ppid, comm });
    } catch {
      // exited meanwhile
    }
  }
  return procs;
}

/** Descendants of `root` (not `root` itself) matching `filter`, SIGKILLed or signalled. */
function killTree(
  root: number | undefined,
  signal: NodeJS.Signals,
  filter: (comm: string) => boolean,
  includeRoot = true,
): number {
  if (!root) return 0;
  const procs = childrenOf();
  const targets: number[] = [];
  const walk = (pid: number): void => {
    for (const [child, info] of procs) {
      if (info.ppid === pid) {
        if (filter(info.comm)) targets.push(child);
        walk(child);
      }
    }
  };
  walk(root);
  if (includeRoot) targets.push(root);
  let killed = 0;
  for (const pid of targets) {
    try {
      process.kill(pid, signal);
      killed++;
    } catch {
      // already gone
    }
  }
  return killed;
}

interface Started {
  child: ChildProcess;
  log: string[];
}

async function launch(configPath: string, port: number): Promise<Started> {
  const child = spawn(SSHD, ['-D', '-e', '-f', configPath], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const log: string[] = [];
  let logSize = 0;
  await new Promise<void>((resolve, reject) => {
    let done = false;
    const timer = setTimeout(() => finish(new Error('sshd did not start within 10 s')), 10_000);
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (err) reject(err);
      else resolve();
    };
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      if (logSize < 1_000_000) {
        log.push(chunk);
        logSize += chunk.length;
      }
      if (log.join('').includes(`Server listening on 127.0.0.1 port ${port}`)) finish();
    });
    child.once('error', finish);
    child.once('exit', (code, signal) =>
      finish(new Error(`sshd exited (${code ?? signal}) while starting:\n${log.join('')}`)),
    );
  });
  return { child, log };
}

function waitExit(child: ChildProcess, ms: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Starts one sshd "host". Call `stop()` in afterAll (process exit kills leftovers too). */
export async function startSshd(options: SshdOptions = {}): Promise<SshdInstance> {
  requireRoot();
  const user = testUser(options.user ?? 'vztest');
  const passwordAuth = options.passwordAuth ?? false;
  const hostKeyType = options.hostKeyType ?? 'ed25519';
  mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });

  const dir = mkdtempSync(join(tmpdir(), 'vz-sshd-'));
  // sshd reads authorized_keys as the user: the dir must be traversable.
  chmodSync(dir, 0o755);
  const hostKeyPath = join(dir, 'host_key');
  keygen(hostKeyPath, hostKeyType);
  const clientKeyPath = join(dir, 'client_ed25519');
  keygen(clientKeyPath, 'ed25519');
  const passphrase = `pp-${randomBytes(9).toString('base64url')}`;
  const encryptedKeyPath = join(dir, 'client_ed25519_enc');
  keygen(encryptedKeyPath, 'ed25519', passphrase);
  writeFileSync(
    join(dir, 'authorized_keys'),
    readFileSync(`${clientKeyPath}.pub`, 'utf8') + readFileSync(`${encryptedKeyPath}.pub`, 'utf8'),
    { mode: 0o644 },
  );
  const configPath = join(dir, 'sshd_config');

  let port = 0;
  let started: Started | undefined;
  for (let attempt = 0; !started; attempt++) {
    port = await freePort();
    writeFileSync(configPath, sshdConfig(dir, port, user.name, passwordAuth), { mode: 0o644 });
    try {
      started = await launch(configPath, port);
    } catch (e) {
      if (attempt >= 4 || !/Address already in use|Bind to port/.test(String(e))) throw e;
    }
  }

  let current: Started = started;
  let stopped = false;
  const instance: SshdInstance = {
    host: '127.0.0.1',
    port,
    hostKey: readHostKey(`${hostKeyPath}.pub`),
    user: user.name,
    clientKey: readFileSync(clientKeyPath, 'utf8'),
    encryptedClientKey: { pem: readFileSync(encryptedKeyPath, 'utf8'), passphrase },
    ...(passwordAuth ? { password: user.password } : {}),
    dir,
    log: () => current.log.join(''),
    async restartWithNewHostKey() {
      if (stopped) throw new Error('sshd instance already stopped');
      const old = current.child;
      old.kill('SIGTERM');
      await waitExit(old, 5_000);
      keygen(hostKeyPath, hostKeyType);
      for (let attempt = 0; ; attempt++) {
        try {
          current = await launch(configPath, port);
          break;
        } catch (e) {
          if (attempt >= 20 || !/Address already in use|Bind to port/.test(String(e))) throw e;
          await sleep(100);
        }
      }
      instance.hostKey = readHostKey(`${hostKeyPath}.pub`);
      return instance.hostKey;
    },
    killSessions() {
      return killTree(current.child.pid, 'SIGKILL', (comm) => comm === 'sshd', false);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      running.delete(instance);
      killTree(current.child.pid, 'SIGKILL', () => true, false);
      current.child.kill('SIGTERM');
      await waitExit(current.child, 5_000);
      if (current.child.exitCode === null && current.child.signalCode === null) {
        current.child.kill('SIGKILL');
        await waitExit(current.child, 5_000);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  masterPids.set(instance, () => current.child.pid);
  running.add(instance);
  installExitHook();
  return instance;
}

/** `ssh-keygen -H` on a known_hosts file (hashes every host name in place). */
export async function hashKnownHosts(path: string): Promise<void> {
  await execFileAsync('ssh-keygen', ['-H', '-f', path]);
  rmSync(`${path}.old`, { force: true });
}
