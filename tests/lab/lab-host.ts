/**
 * One lab host: a Debian root of its own, its real OpenSSH server bound to the host's
 * loopback-range address (127.0.10.N, port 22), run in a private mount namespace
 * and UTS namespace (`unshare -m -u`, its own hostname) and chrooted, so every session, dpkg and apt run inside that root. The
 * host's apt sees only the lab mirror; `policy-rc.d` keeps package scripts from
 * starting daemons. The operator account `vzlab` logs in by key and has `sudo -n`.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { inRoot } from './debian-root';

export const LAB_USER = 'vzlab';

export interface LabHost {
  name: string;
  address: string;
  root: string;
  clientKeyPath: string;
  fingerprint: string;
  log(): string;
  /** Starts (or restarts) the host's sshd; resolves once it listens. */
  start(): Promise<void>;
  /** Kills the session processes (not the listener): a cut connection. */
  cutSessions(): number;
  /** Runs a command in the host's mount namespace (outside its chroot). */
  inNamespace(cmd: string[]): void;
  /** Kills every process running in the root and waits for the namespace to end. */
  stop(): Promise<void>;
}

function keygen(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.pub`, { force: true });
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', '', '-f', path]);
}

/** PIDs whose root directory is `root` (the host's processes). */
export function processesIn(root: string): number[] {
  const pids: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      if (readlinkSync(`/proc/${name}/root`) === root) pids.push(Number(name));
    } catch {
      // gone, or not ours to read
    }
  }
  return pids;
}

function parentOf(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return 0;
  }
}

/** Writes the lab's configuration into a fresh root. */
export function configureRoot(
  root: string,
  name: string,
  address: string,
  mirrorUrl: string,
  keyDir: string,
): { clientKeyPath: string; fingerprint: string } {
  writeFileSync(join(root, 'etc/apt/sources.list'), `deb [trusted=yes] ${mirrorUrl} ./\n`);
  rmSync(join(root, 'etc/apt/sources.list.d'), { recursive: true, force: true });
  mkdirSync(join(root, 'etc/apt/sources.list.d'));
  writeFileSync(
    join(root, 'usr/sbin/policy-rc.d'),
    '#!/bin/sh\n# lab host: package scripts never start daemons\nexit 101\n',
    { mode: 0o755 },
  );
  writeFileSync(join(root, 'etc/hostname'), `${name}\n`);
  writeFileSync(join(root, 'etc/hosts'), `127.0.0.1 localhost\n${address} ${name}\n`);
  if (!readFileSync(join(root, 'etc/passwd'), 'utf8').includes(`\n${LAB_USER}:`))
    inRoot(root, ['useradd', '-m', '-s', '/bin/sh', LAB_USER]);
  inRoot(root, ['usermod', '-p', '*', LAB_USER]);
  writeFileSync(
    join(root, `etc/sudoers.d/${LAB_USER}`),
    `${LAB_USER} ALL=(ALL:ALL) NOPASSWD: ALL\n`,
    { mode: 0o440 },
  );
  const hostKey = join(root, 'etc/ssh/vz_lab_host_ed25519');
  keygen(hostKey);
  mkdirSync(keyDir, { recursive: true, mode: 0o700 });
  const clientKeyPath = join(keyDir, `${name}.key`);
  keygen(clientKeyPath);
  const ssh = join(root, `home/${LAB_USER}/.ssh`);
  mkdirSync(ssh, { recursive: true });
  writeFileSync(join(ssh, 'authorized_keys'), readFileSync(`${clientKeyPath}.pub`));
  chmodSync(ssh, 0o700);
  inRoot(root, ['chown', '-R', `${LAB_USER}:${LAB_USER}`, `/home/${LAB_USER}/.ssh`]);
  writeFileSync(
    join(root, 'etc/ssh/vz_lab_sshd_config'),
    [
      `ListenAddress ${address}`,
      'Port 22',
      'HostKey /etc/ssh/vz_lab_host_ed25519',
      'PidFile /run/vz-lab-sshd.pid',
      'UsePAM no',
      `AllowUsers ${LAB_USER}`,
      'PermitRootLogin no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'X11Forwarding no',
      'AllowTcpForwarding no',
      'PrintMotd no',
      'MaxStartups 100',
      'LogLevel VERBOSE',
      'Subsystem sftp /usr/lib/openssh/sftp-server',
      '',
    ].join('\n'),
  );
  const listed = execFileSync('ssh-keygen', [
    '-l',
    '-E',
    'sha256',
    '-f',
    `${hostKey}.pub`,
  ]).toString();
  const fingerprint = /SHA256:[A-Za-z0-9+/]+/.exec(listed)?.[0];
  if (!fingerprint) throw new Error(`cannot read the host key of ${name}`);
  return { clientKeyPath, fingerprint };
}

export function labHost(
  name: string,
  address: string,
  root: string,
  keys: { clientKeyPath: string; fingerprint: string },
): LabHost {
  let child: ChildProcess | undefined;
  let log: string[] = [];
  const host: LabHost = {
    name,
    address,
    root,
    ...keys,
    log: () => log.join(''),
    async start() {
      if (child && child.exitCode === null) await host.stop();
      log = [];
      // Mounts live in the namespace only: they vanish with its last process.
      const script = [
        `mount -t proc proc '${root}/proc'`,
        `mount -t tmpfs -o mode=755 tmpfs '${root}/run'`,
        `mkdir -p '${root}/dev/pts'`,
        `mount -t devpts -o newinstance,ptmxmode=0666 devpts '${root}/dev/pts'`,
        `hostname '${name}'`,
        `mkdir -p '${root}/run/sshd'`,
        `exec chroot '${root}' /usr/sbin/sshd -D -e -f /etc/ssh/vz_lab_sshd_config`,
      ].join(' && ');
      const c = spawn('unshare', ['-m', '-u', '--propagation', 'private', 'sh', '-c', script], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      child = c;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`${name}: sshd did not start in 15 s:\n${log.join('')}`)),
          15_000,
        );
        c.stderr?.setEncoding('utf8');
        c.stderr?.on('data', (chunk: string) => {
          if (log.length < 5000) log.push(chunk);
          if (log.join('').includes(`Server listening on ${address} port 22`)) {
            clearTimeout(timer);
            resolve();
          }
        });
        c.once('exit', (code) => {
          clearTimeout(timer);
          reject(new Error(`${name}: sshd exited (${code}) while starting:\n${log.join('')}`));
        });
      });
    },
    cutSessions() {
      const master = child?.pid;
      let killed = 0;
      for (const pid of processesIn(root)) {
        if (pid !== master && parentOf(pid) === master) {
          try {
            process.kill(pid, 'SIGKILL');
            killed++;
          } catch {
            // already gone
          }
        }
      }
      return killed;
    },
    inNamespace(cmd) {
      if (!child?.pid || child.exitCode !== null) throw new Error(`${name} is not running`);
      execFileSync('nsenter', ['-t', String(child.pid), '-m', '--', ...cmd], { stdio: 'pipe' });
    },
    async stop() {
      for (let i = 0; i < 50; i++) {
        const pids = processesIn(root);
        if (!pids.length && (!child || child.exitCode !== null || child.signalCode !== null))
          return;
        for (const pid of pids) {
          try {
            process.kill(pid, 'SIGKILL');
          } catch {
            // already gone
          }
        }
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`${name}: processes still running in ${root}`);
    },
  };
  return host;
}
