/**
 * The lab's apt mirror, as an air-gapped site keeps one: a plain directory with the old
 * (point-release) and fixed (security/updates) .deb files and a `dpkg-scanpackages`
 * index, served over HTTP on a lab address. Fixed builds are fetched with the machine's
 * own apt (`apt-get download`, hash-checked against the signed archive indexes).
 */
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  createReadStream,
  existsSync,
  mkdirSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { basename, join } from 'node:path';

export const MIRROR_ADDRESS = '127.0.10.254';
export const MIRROR_PORT = 8080;

export interface FixedBuild {
  name: string;
  version: string;
  /** The archive suite that publishes it (bookworm-security or bookworm-updates). */
  suite: string;
}

let listsRefreshed = false;

/**
 * The newest build of `name` in bookworm-security/-updates, per the machine's apt lists
 * (refreshed once with `apt-get update` when they do not know it: a fresh machine may
 * have none).
 */
export function fixedBuild(name: string): FixedBuild | null {
  const found = newestFixed(name);
  if (found || listsRefreshed) return found;
  listsRefreshed = true;
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
  return newestFixed(name);
}

function newestFixed(name: string): FixedBuild | null {
  const r = spawnSync('apt-cache', ['madison', name], { encoding: 'utf8' });
  let best: FixedBuild | null = null;
  for (const line of r.stdout.split('\n')) {
    const [pkg, version, source] = line.split('|').map((s) => s.trim());
    const suite = /(bookworm-security|bookworm-updates)/.exec(source ?? '')?.[1];
    if (pkg !== name || !version || !suite) continue;
    if (!best || dpkgNewer(version, best.version)) best = { name, version, suite };
  }
  return best;
}

export function dpkgNewer(a: string, b: string): boolean {
  return spawnSync('dpkg', ['--compare-versions', a, 'gt', b]).status === 0;
}

/** Fills `dir` with the base's debs and the fixed builds, then indexes it. */
export function buildMirror(baseRoot: string, dir: string, fixed: readonly FixedBuild[]): void {
  mkdirSync(dir, { recursive: true });
  const archives = join(baseRoot, 'var/cache/apt/archives');
  for (const f of readdirSync(archives).filter((n) => n.endsWith('.deb')))
    if (!existsSync(join(dir, f))) copyFileSync(join(archives, f), join(dir, f));
  const wanted = fixed.filter(
    (b) =>
      !readdirSync(dir).some((f) => f.startsWith(`${b.name}_${b.version.replace(':', '%3a')}_`)),
  );
  if (wanted.length) {
    const args = ['download', ...wanted.map((b) => `${b.name}=${b.version}`)];
    let r = spawnSync('apt-get', args, { cwd: dir, encoding: 'utf8' });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update', '-qq'], { stdio: 'ignore' });
      r = spawnSync('apt-get', args, { cwd: dir, encoding: 'utf8' });
    }
    if (r.status !== 0) throw new Error(`apt-get download failed: ${r.stderr}`);
  }
  const index = spawnSync('dpkg-scanpackages', ['--multiversion', '.', '/dev/null'], {
    cwd: dir,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (index.status !== 0) throw new Error(`dpkg-scanpackages failed: ${index.stderr}`);
  writeFileSync(join(dir, 'Packages'), index.stdout);
}

export interface MirrorServer {
  url: string;
  /** Requests so far, as "HOST/FILE" (a host's sources name the mirror as URL/HOST/). */
  requests: string[];
  /**
   * From now on, resets every connection of `host` that asks for a .deb: its mirror is
   * gone mid-run (the index was still there a moment ago). `heal` ends it.
   */
  dropDebsFor(host: string): void;
  heal(host: string): void;
  /** Stops listening and resets open connections: the mirror is gone. */
  vanish(): Promise<void>;
  /** Listens again after `vanish`. */
  restore(): Promise<void>;
  stop(): Promise<void>;
}

/** Serves `dir` read-only on the mirror address (files at the top level only). */
export async function serveMirror(dir: string): Promise<MirrorServer> {
  const requests: string[] = [];
  const dropped = new Set<string>();
  const sockets = new Set<Socket>();
  let server: Server | undefined;
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      const s = createServer((req, res) => {
        const url = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
        const name = basename(url);
        const host = url.split('/').filter(Boolean).length > 1 ? url.split('/')[1] : '';
        const path = join(dir, name);
        requests.push(`${host}/${name}`);
        if (host && dropped.has(host) && name.endsWith('.deb')) {
          req.socket.destroy();
          return;
        }
        if (!name || name.startsWith('.') || !existsSync(path) || !statSync(path).isFile()) {
          res.writeHead(404).end();
          return;
        }
        res.writeHead(200, { 'content-length': statSync(path).size });
        if (req.method === 'HEAD') res.end();
        else createReadStream(path).pipe(res);
      });
      s.on('connection', (sock) => {
        sockets.add(sock);
        sock.on('close', () => sockets.delete(sock));
      });
      s.once('error', reject);
      s.listen(MIRROR_PORT, MIRROR_ADDRESS, () => {
        server = s;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      const s = server;
      server = undefined;
      for (const sock of sockets) sock.destroy();
      if (s) s.close(() => resolve());
      else resolve();
    });
  await listen();
  return {
    url: `http://${MIRROR_ADDRESS}:${MIRROR_PORT}/`,
    requests,
    dropDebsFor: (host) => void dropped.add(host),
    heal: (host) => void dropped.delete(host),
    vanish: close,
    restore: listen,
    stop: close,
  };
}
