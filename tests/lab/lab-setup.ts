/**
 * Builds and starts the lab: the advisories (Debian source packages whose point-release
 * builds the base root has and whose fixed builds bookworm-security/-updates publish),
 * the mirror with both, and N hosts at 127.0.10.1..N, each a copy of the base root with
 * its own sshd, keys and sources pointing at the mirror under its own name.
 */
import { join } from 'node:path';
import { cloneRoot, inRoot, installedVersions } from './debian-root';
import { configureRoot, labHost, processesIn, type LabHost } from './lab-host';
import { buildMirror, fixedBuild, serveMirror, type FixedBuild, type MirrorServer } from './mirror';
import type { Advisory } from './scan';

/** The advisories the lab pushes: libraries, data, an authentication stack. */
export const LAB_SOURCES = ['openssl', 'tzdata', 'zlib', 'libssh2', 'pam'] as const;

export interface Lab {
  hosts: LabHost[];
  advisories: Advisory[];
  mirror: MirrorServer;
  /** Installed versions when the lab started, per host. */
  before: Map<string, Map<string, string>>;
  /**
   * What the verify-fails fault pins: the last package of each advisory at the host's
   * starting version, so apt upgrades the others (a real change to undo) and only verify
   * notices the held one.
   */
  pinnedBefore(host: LabHost): Map<string, string>;
  stop(): Promise<void>;
  leftRunning(): number;
}

/** Advisory packages by source, read from the base root's own dpkg. */
export function labAdvisories(base: string): Advisory[] {
  const out = inRoot(base, ['dpkg-query', '-W', '-f', '${Package} ${source:Package}\\n']);
  const bySource = new Map<string, string[]>();
  for (const line of out.trim().split('\n')) {
    const [name, source] = line.split(' ');
    if (name && source) bySource.set(source, [...(bySource.get(source) ?? []), name]);
  }
  const installed = installedVersions(base);
  return LAB_SOURCES.flatMap((source) => {
    const builds = (bySource.get(source) ?? [])
      .map(fixedBuild)
      .filter((b): b is FixedBuild => b !== null && b.version !== installed.get(b.name));
    return builds.length ? [{ source, builds }] : [];
  });
}

export async function startLab(
  base: string,
  work: string,
  count: number,
  log: (line: string) => void,
): Promise<Lab> {
  const advisories = labAdvisories(base);
  log(
    `advisories: ${advisories.map((a) => `${a.source} (${a.builds.map((b) => `${b.name} ${b.version}`).join(', ')})`).join('; ')}`,
  );
  const mirrorDir = join(join(work, '..'), 'mirror');
  buildMirror(
    base,
    mirrorDir,
    advisories.flatMap((a) => a.builds),
  );
  const mirror = await serveMirror(mirrorDir);
  log(`mirror: ${mirror.url} serving ${mirrorDir}`);
  const hosts: LabHost[] = [];
  const before = new Map<string, Map<string, string>>();
  try {
    for (let i = 1; i <= count; i++) {
      const name = `lab-${i}`;
      const address = `127.0.10.${i}`;
      const root = join(work, 'hosts', name);
      cloneRoot(base, root);
      const keys = configureRoot(root, name, address, `${mirror.url}${name}/`, join(work, 'keys'));
      const host = labHost(name, address, root, keys);
      await host.start();
      hosts.push(host);
      before.set(name, installedVersions(root));
      log(`${name}: ${address}:22 (root ${root})`);
    }
  } catch (error) {
    for (const h of hosts) await h.stop();
    await mirror.stop();
    throw error;
  }
  return {
    hosts,
    advisories,
    mirror,
    before,
    pinnedBefore: (host) => {
      const versions = before.get(host.name) ?? new Map<string, string>();
      return new Map(
        advisories.flatMap((a) => {
          const held = a.builds.at(-1);
          const v = held && versions.get(held.name);
          return held && v ? [[held.name, v] as [string, string]] : [];
        }),
      );
    },
    stop: async () => {
      for (const h of hosts) await h.stop();
      await mirror.stop();
    },
    leftRunning: () => hosts.reduce((n, h) => n + processesIn(h.root).length, 0),
  };
}
