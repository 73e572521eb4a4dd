/**
 * Checks on the production build (npm test builds first): the renderer carries the CSP,
 * the preload is one CommonJS file, and the CLI runs through its bin.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RENDERER_CSP } from '../../src-main/core/csp';
import { APP_VERSION } from '../../src-main/core/version';

const root = join(import.meta.dirname, '..', '..');
const built = existsSync(join(root, 'out', 'main', 'cli.js'));

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? walk(full) : [full];
  });
}

describe('source rules', () => {
  it('only the shell imports electron inside src-main', () => {
    const offenders = walk(join(root, 'src-main'))
      .filter((f) => /\.(ts|tsx)$/.test(f))
      .filter((f) =>
        /from ['"]electron['"]|require\(['"]electron['"]\)/.test(readFileSync(f, 'utf8')),
      )
      .map((f) => relative(root, f));
    expect(offenders.every((f) => f.startsWith('src-main/app/'))).toBe(true);
    expect(offenders.length).toBeGreaterThan(0);
  });

  it('the renderer source declares the same CSP as the core', () => {
    const html = readFileSync(join(root, 'src-renderer', 'index.html'), 'utf8');
    expect(html).toContain(`content="${RENDERER_CSP}"`);
  });
});

describe('production build (npm test builds first)', () => {
  it('exists', () => {
    expect(built, 'run npm run build first').toBe(true);
  });

  it('the built renderer carries the CSP', () => {
    const html = readFileSync(join(root, 'out', 'renderer', 'index.html'), 'utf8');
    expect(html).toContain(`http-equiv="Content-Security-Policy"`);
    expect(html).toContain(`content="${RENDERER_CSP}"`);
    expect(html).not.toMatch(/<script>(?!<\/script>)/); // no inline script bodies
  });

  it('the preload is a single CommonJS file that only requires electron', () => {
    const preload = readFileSync(join(root, 'out', 'preload', 'index.cjs'), 'utf8');
    const requires = [...preload.matchAll(/require\(["']([^"']+)["']\)/g)].map((m) => m[1]);
    expect(new Set(requires)).toEqual(new Set(['electron']));
    expect(readdirSync(join(root, 'out', 'preload'))).toEqual(['index.cjs']);
    expect(preload).not.toMatch(/^import /m);
  });

  it('`vulnzero --version` and `--help` work through the bin', () => {
    const bin = join(root, 'bin', 'vulnzero.cjs');
    expect(execFileSync(process.execPath, [bin, '--version'], { encoding: 'utf8' })).toBe(
      `vulnzero ${APP_VERSION}\n`,
    );
    const help = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Usage: vulnzero');
    const bad = spawnSync(process.execPath, [bin, 'no-such-command'], { encoding: 'utf8' });
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('unknown command');
  });

  it('a reader that closes the pipe early (| head) ends the CLI quietly, exit 0', () => {
    const bin = join(root, 'bin', 'vulnzero.cjs');
    const fixture = join(root, 'tests', 'fixtures', 'nessus_xml', 'nessus_with_cvssv3.nessus');
    const direct = spawnSync(
      'bash',
      [
        '-c',
        `set -o pipefail; "${process.execPath}" "${bin}" import "${fixture}" --dry-run | head -c 10 >/dev/null`,
      ],
      { encoding: 'utf8' },
    );
    expect(direct.status, direct.stderr).toBe(0);
    expect(direct.stderr).toBe('');
  });
});
