/**
 * `vulnzero demo init --vault PATH` as a new operator runs it: a separate vault filled from
 * resources/demo in one step, marked as a demo (vault info says so), audited, and never
 * created over an existing vault.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PASS, tempDir } from '../../helpers/vault';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');

describe('vulnzero demo init (built bin)', () => {
  it('creates a populated, marked demo vault and refuses an existing path', () => {
    const dir = tempDir('vz-demo-');
    const path = join(dir, 'demo.vz');
    const env = { ...process.env, VULNZERO_PASSPHRASE: PASS };
    const vz = (...args: string[]) =>
      spawnSync(process.execPath, [bin, '--vault', path, ...args], { encoding: 'utf8', env });

    const created = vz('--json', 'demo', 'init');
    expect(created.status, created.stderr).toBe(0);
    const out = JSON.parse(created.stdout) as {
      demo: boolean;
      operator: string;
      scans: { file: string; format: string; findings: number }[];
      feeds: { kind: string; records: number }[];
      findings: number;
    };
    expect(out.demo).toBe(true);
    expect(out.operator).toBe('demo');
    expect(out.scans.map((s) => s.format).sort()).toEqual(
      ['cyclonedx', 'nessus', 'openvas-xml', 'sarif', 'trivy-json'].sort(),
    );
    expect(out.scans.every((s) => s.findings > 0)).toBe(true);
    expect(out.feeds.map((f) => f.kind).sort()).toEqual(['epss', 'kev']);

    const listed = JSON.parse(vz('findings', '--json', '--limit', '100000').stdout) as unknown[];
    expect(listed).toHaveLength(out.findings);
    const info = JSON.parse(vz('--json', 'vault', 'info').stdout) as { demo: boolean };
    expect(info.demo).toBe(true);
    expect(vz('vault', 'info').stdout).toContain('DEMO vault');

    const again = vz('demo', 'init');
    expect(again.status).not.toBe(0);
    expect(again.stderr).toContain('already exists');

    const audit = join(dir, 'audit.jsonl');
    expect(vz('audit', 'export', audit).status).toBe(0);
    expect(readFileSync(audit, 'utf8')).toContain('"action":"demo.init"');
  }, 120_000);
});
