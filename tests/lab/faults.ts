/**
 * Faults the lab injects on some hosts, each the way it happens on a real site, and how
 * each is cleared before the retry:
 *   dpkg-lock     another process holds dpkg's frontend lock (an fcntl lock, as apt takes)
 *   full-disk     /var/cache/apt/archives is a 64 KiB tmpfs: downloads do not fit
 *   mirror-gone   the mirror still serves its index to the host, but every .deb
 *                 connection is reset: it went away mid-run
 *   verify-fails  an apt pin holds one package of each advisory at its installed build:
 *                 apt upgrades the others and "succeeds", only verify can tell, and the
 *                 rollback has a real downgrade to do (openssl: libssl3 moved, openssl held)
 *   ssh-cut       the SSH sessions are killed the moment apply records its pre-state
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabHost } from './lab-host';
import type { MirrorServer } from './mirror';

export const FAULTS = ['dpkg-lock', 'full-disk', 'mirror-gone', 'verify-fails', 'ssh-cut'] as const;
export type Fault = (typeof FAULTS)[number];

/** Host 1 is the canary and stays clean; hosts 2..6 get one fault each, in order. */
export function faultOf(index: number): Fault | null {
  return index >= 1 && index <= FAULTS.length ? (FAULTS[index - 1] ?? null) : null;
}

export interface ActiveFault {
  fault: Fault;
  /** For ssh-cut: whether the cut happened. */
  fired(): boolean;
  clear(): Promise<void>;
}

const PIN = '/etc/apt/preferences.d/vz-lab-hold';
const STATE = 'var/lib/vulnzero/state';

function holdLock(root: string): ChildProcess {
  // F_SETLKW on the host's own lock file (same inode inside the chroot); held until killed.
  const script =
    'use Fcntl; open(my $f, "+<", $ARGV[0]) or die "open: $!"; ' +
    'my $l = pack("s s q q i", F_WRLCK, 0, 0, 0, 0); fcntl($f, F_SETLKW, $l) or die "lock: $!"; ' +
    '$| = 1; print "locked\\n"; sleep 3600;';
  return spawn('perl', ['-e', script, join(root, 'var/lib/dpkg/lock-frontend')], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

async function locked(child: ChildProcess): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`the lock holder exited (${code})`)));
  });
}

/** Watches for the pre-state files apply writes, then cuts the host's SSH sessions once. */
function cutOnApply(host: LabHost): { fired: () => boolean; stop: () => void } {
  let fired = false;
  const dir = join(host.root, STATE);
  const timer = setInterval(() => {
    if (fired || !existsSync(dir)) return;
    if (readdirSync(dir).some((f) => f.endsWith('.previous'))) {
      fired = host.cutSessions() > 0;
    }
  }, 10);
  return { fired: () => fired, stop: () => clearInterval(timer) };
}

export async function injectFault(
  fault: Fault,
  host: LabHost,
  mirror: MirrorServer,
  pinned: ReadonlyMap<string, string>,
): Promise<ActiveFault> {
  const done = (clear: () => Promise<void> | void, fired = () => true): ActiveFault => ({
    fault,
    fired,
    clear: async () => {
      await clear();
    },
  });
  switch (fault) {
    case 'dpkg-lock': {
      const holder = holdLock(host.root);
      await locked(holder);
      return done(() => {
        holder.kill('SIGKILL');
      });
    }
    case 'full-disk': {
      const dir = join(host.root, 'var/cache/apt/archives');
      host.inNamespace(['mount', '-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
      mkdirSync(join(dir, 'partial'), { recursive: true });
      return done(() => host.inNamespace(['umount', dir]));
    }
    case 'mirror-gone':
      mirror.dropDebsFor(host.name);
      return done(() => mirror.heal(host.name));
    case 'verify-fails': {
      const stanzas = [...pinned].map(
        ([name, version]) => `Package: ${name}\nPin: version ${version}\nPin-Priority: 1001\n`,
      );
      writeFileSync(join(host.root, PIN), stanzas.join('\n'));
      return done(() => rmSync(join(host.root, PIN), { force: true }));
    }
    case 'ssh-cut': {
      const watch = cutOnApply(host);
      return done(() => watch.stop(), watch.fired);
    }
  }
}
