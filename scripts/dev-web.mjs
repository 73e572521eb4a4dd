#!/usr/bin/env node
/**
 * `npm run dev:web [-- --vault PATH] [--port N]`: try the app without Electron. Builds out/
 * when it is missing or older than the sources, starts the loopback harness (the same
 * process the Playwright tests start) and prints the URL with its per-run token. Runs until
 * Ctrl-C (or SIGTERM), then stops the harness, which locks the vault.
 *
 * stdout carries only the two URL lines (a script can read `VZ_HARNESS_URL <url>`); the
 * build's own output and the harness log go to stderr.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

const { values } = parseArgs({
  options: {
    vault: { type: 'string', default: join(root, '.vz-tmp', 'dev-vault', 'vault.vz') },
    port: { type: 'string', default: '0' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'usage: npm run dev:web [-- --vault PATH] [--port N]\n' +
      '  Builds if needed, serves the renderer against the real core on 127.0.0.1 and prints\n' +
      '  the URL (with its one-time token). Default vault: .vz-tmp/dev-vault/vault.vz.\n',
  );
  process.exit(0);
}

/** The newest modification time below `path` (a file or a folder), skipping node_modules. */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name === 'node_modules') continue;
    newest = Math.max(newest, newestMtime(join(path, name)));
  }
  return newest;
}

/** out/ is stale when an output is missing or any source is newer than the oldest output. */
function buildIsStale() {
  const outputs = ['out/main/harness.js', 'out/main/cli.js', 'out/renderer/index.html'].map((p) =>
    join(root, p),
  );
  if (!outputs.every((p) => existsSync(p))) return true;
  const built = Math.min(...outputs.map((p) => statSync(p).mtimeMs));
  const sources = [
    'src-main',
    'src-preload',
    'src-renderer',
    'electron.vite.config.ts',
    'package.json',
  ].map((p) => newestMtime(join(root, p)));
  return Math.max(...sources) > built;
}

if (buildIsStale()) {
  process.stderr.write('dev:web: out/ is missing or older than the sources; building…\n');
  const build = spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'],
    { cwd: root, stdio: ['ignore', process.stderr, process.stderr] },
  );
  if (build.status !== 0) {
    process.stderr.write(`dev:web: the build failed (exit ${build.status ?? build.signal})\n`);
    process.exit(1);
  }
}

const harness = spawn(
  process.execPath,
  [join(root, 'out', 'main', 'harness.js'), '--vault', values.vault, '--port', values.port],
  { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
);

let stopping = false;
const stop = (signal) => {
  if (stopping) return;
  stopping = true;
  harness.kill(signal);
};
process.on('SIGINT', () => stop('SIGINT'));
process.on('SIGTERM', () => stop('SIGTERM'));

createInterface({ input: harness.stdout }).on('line', (line) => {
  const match = /^VZ_HARNESS_URL (\S+)$/.exec(line);
  if (!match) return;
  process.stdout.write(`VZ_HARNESS_URL ${match[1]}\n`);
  process.stdout.write(
    `VulnZero is served at ${match[1]}\n` +
      `  vault: ${values.vault}\n  open the URL in a browser; Ctrl-C stops the server.\n`,
  );
});

harness.on('exit', (code, signal) => {
  if (!stopping) process.stderr.write(`dev:web: the harness exited (${code ?? signal})\n`);
  process.exit(stopping ? 0 : (code ?? 1));
});
