/**
 * Real Debian root filesystems for the lab: one debootstrapped bookworm base (minbase,
 * with OpenSSH, OpenSSL, curl, libxml2, sudo, tzdata), cached between runs, and a full
 * copy of it per host. The base keeps the .deb files debootstrap fetched (the point-
 * release builds), which the lab mirror serves as the "old" versions.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LAB_CACHE = process.env['VULNZERO_LAB_CACHE'] ?? '/var/cache/vulnzero-lab';
const SUITE = 'bookworm';
const ARCHIVE = 'http://deb.debian.org/debian';
const INCLUDE = 'openssh-server,openssl,curl,libxml2,sudo,tzdata,ca-certificates';

export function requireLabTools(): void {
  if (process.getuid?.() !== 0)
    throw new Error('the lab builds chroots and mounts: run it as root');
  for (const [bin, pkg] of [
    ['/usr/sbin/debootstrap', 'debootstrap'],
    ['/usr/bin/dpkg-scanpackages', 'dpkg-dev'],
    ['/usr/bin/unshare', 'util-linux'],
    ['/usr/bin/ssh-keygen', 'openssh-client'],
  ] as const) {
    if (!existsSync(bin)) throw new Error(`${bin} is missing: apt-get install -y ${pkg}`);
  }
}

/** The cached base root (debootstrapped on first use, about a minute); its path. */
export function baseRoot(log: (line: string) => void = () => undefined): string {
  const root = join(LAB_CACHE, `${SUITE}-minbase`);
  if (existsSync(join(root, '.vulnzero-complete'))) return root;
  mkdirSync(LAB_CACHE, { recursive: true });
  const tmp = `${root}.partial`;
  rmSync(tmp, { recursive: true, force: true });
  log(`debootstrap ${SUITE} (minbase) into ${root}: first run only`);
  const r = spawnSync(
    'debootstrap',
    ['--variant=minbase', `--include=${INCLUDE}`, SUITE, tmp, ARCHIVE],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
  );
  if (r.status !== 0) {
    rmSync(tmp, { recursive: true, force: true });
    throw new Error(`debootstrap failed (${r.status}): ${(r.stderr || r.stdout).slice(-2000)}`);
  }
  writeFileSync(join(tmp, '.vulnzero-complete'), `${new Date().toISOString()}\n`);
  rmSync(root, { recursive: true, force: true });
  renameSync(tmp, root);
  return root;
}

/** A host's own copy of the base (every file, owners and modes kept). */
export function cloneRoot(base: string, target: string): void {
  rmSync(target, { recursive: true, force: true });
  mkdirSync(join(target, '..'), { recursive: true });
  execFileSync('cp', ['-a', base, target]);
}

/** `chroot ROOT CMD...`, its stdout; throws with stderr on failure. */
export function inRoot(root: string, cmd: string[], input?: string): string {
  const r = spawnSync('chroot', [root, ...cmd], { encoding: 'utf8', input });
  if (r.status !== 0)
    throw new Error(`chroot ${root} ${cmd.join(' ')} failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}

/** Installed package versions of a root, read with its own dpkg-query. */
export function installedVersions(root: string): Map<string, string> {
  const out = inRoot(root, [
    'dpkg-query',
    '-W',
    '-f',
    '${db:Status-Abbrev} ${Package} ${Version}\\n',
  ]);
  const versions = new Map<string, string>();
  for (const line of out.split('\n')) {
    const [status, name, version] = line.trim().split(/\s+/);
    if (status === 'ii' && name && version) versions.set(name, version);
  }
  return versions;
}
