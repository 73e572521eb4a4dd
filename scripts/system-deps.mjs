#!/usr/bin/env node
// The Debian packages the tests need, in one place (.ci/run and `npm test` both call
// this). Missing packages are installed with apt-get when running as root on Debian;
// otherwise the script prints the exact command and fails, before any test runs.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

export const SYSTEM_DEPS = [
  {
    bin: '/usr/bin/chromium',
    pkg: 'chromium',
    why: 'Playwright drives the renderer in Debian Chromium',
  },
  {
    bin: '/usr/bin/shellcheck',
    pkg: 'shellcheck',
    why: 'drafts are linted with shellcheck (tests assert rule drafts pass it)',
  },
  {
    bin: '/usr/sbin/sshd',
    pkg: 'openssh-server',
    why: 'push tests run real sshd instances on loopback ports as target hosts',
  },
  {
    bin: '/usr/bin/ssh-keygen',
    pkg: 'openssh-client',
    why: 'push tests make host and client keys with ssh-keygen',
  },
  { bin: '/usr/bin/sudo', pkg: 'sudo', why: 'push tests check the sudo -n mode' },
  {
    bin: '/usr/sbin/debootstrap',
    pkg: 'debootstrap',
    why: 'the remediation lab builds real Debian root filesystems for its hosts',
  },
  {
    bin: '/usr/bin/dpkg-scanpackages',
    pkg: 'dpkg-dev',
    why: 'the remediation lab indexes its local apt mirror with dpkg-scanpackages',
  },
  {
    bin: '/usr/bin/ansible-playbook',
    pkg: 'ansible',
    why: 'the Ansible export is syntax-checked and run against loopback sshd',
  },
];

const missing = SYSTEM_DEPS.filter((d) => !existsSync(d.bin));
if (missing.length === 0) process.exit(0);

const pkgs = [...new Set(missing.map((d) => d.pkg))];
for (const d of missing)
  process.stderr.write(`missing ${d.bin} (Debian package ${d.pkg}): ${d.why}\n`);
const canInstall = process.getuid?.() === 0 && existsSync('/usr/bin/apt-get');
if (!canInstall) {
  process.stderr.write(`install them first: sudo apt-get install -y ${pkgs.join(' ')}\n`);
  process.exit(1);
}
process.stderr.write(`installing with apt-get: ${pkgs.join(' ')}\n`);
const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
const opts = { stdio: ['ignore', 'inherit', 'inherit'], env };
if (spawnSync('apt-get', ['update', '-qq'], opts).status !== 0) process.exit(1);
const result = spawnSync(
  'apt-get',
  ['install', '-y', '-qq', '--no-install-recommends', ...pkgs],
  opts,
);
process.exit(result.status ?? 1);
