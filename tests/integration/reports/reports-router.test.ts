/**
 * The Reports screen's channels over the router: the figures of a real Nessus import,
 * a scope that narrows them, a saved file in each format that matches those figures, an
 * existing file kept unless replace is set, typed errors for bad scopes, an audit entry
 * per export, and the save dialog answered "unavailable" outside Electron.
 */
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RemediationReport } from '../../../src-preload/reports-schemas';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS } from '../../helpers/vault';

const core = testCore();
const dir = mkdtempSync(join(tmpdir(), 'vz-reports-'));

async function ok<T>(channel: string, input?: unknown): Promise<T> {
  const result = await core.router.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

beforeAll(async () => {
  await ok('vault.create', { operator: 'alice', passphrase: PASS });
  const imported = await runJob(core, 'import.start', {
    paths: [fixture('nessus_xml', 'nessus_with_cvssv3.nessus')],
  });
  expect(imported.state, imported.error?.message).toBe('done');
});

describe('reports channels', () => {
  it('reads the figures of what was imported, and a scope narrows them', async () => {
    const all = await ok<RemediationReport>('reports.figures', { from: '2000-01-01' });
    const open = await ok<{ total: number }>('findings.count', { filter: { status: ['open'] } });
    expect(all.open.total).toBeGreaterThan(0);
    expect(all.open.total).toBe(open.total);
    const sum = Object.values(all.open.bySeverity).reduce((a, b) => a + b, 0);
    expect(sum).toBe(all.open.total);
    expect(all.scope.assets).toBeGreaterThan(0);
    expect(all.period.newFindings).toBe(all.open.total);
    expect(all.scope.from).toBe('2000-01-01T00:00:00.000Z');

    const nobody = await ok<RemediationReport>('reports.figures', { group: 'no-such-group' });
    expect(nobody.open.total).toBe(0);
    expect(nobody.scope.group).toBe('no-such-group');
  });

  it('refuses a bad scope with a typed error', async () => {
    const reversed = await core.router.call('reports.figures', {
      from: '2026-02-01',
      to: '2026-01-01',
    });
    expect(reversed.ok).toBe(false);
    if (!reversed.ok) {
      expect(reversed.error.code).toBe('INVALID_INPUT');
      expect(reversed.error.message).toMatch(/from must not be after to/);
    }
    const notADate = await core.router.call('reports.figures', { from: 'yesterday' });
    expect(notADate.ok).toBe(false);
    if (!notADate.ok) expect(notADate.error.message).toMatch(/YYYY-MM-DD/);
  });

  it('saves each format with the same numbers, owner-only, audited', async () => {
    const figures = await ok<RemediationReport>('reports.figures', { from: '2000-01-01' });
    for (const format of ['html', 'csv', 'json'] as const) {
      const path = join(dir, `report.${format}`);
      const saved = await ok<{ path: string; open: number; kev: number }>('reports.save', {
        format,
        path,
        from: '2000-01-01',
      });
      expect(saved).toMatchObject({
        path,
        format,
        open: figures.open.total,
        kev: figures.open.kev,
      });
      expect(statSync(path).mode & 0o777).toBe(0o600);
      const text = readFileSync(path, 'utf8');
      if (format === 'json')
        expect((JSON.parse(text) as RemediationReport).open).toEqual(figures.open);
      if (format === 'html') expect(text).toContain('Remediation report');
      if (format === 'csv') expect(text).toContain(String(figures.open.total));
    }
    const audit = await ok<{ action: string; summary: string }[]>('audit.list', { limit: 10 });
    const exports = audit.filter((e) => e.action === 'report.export');
    expect(exports).toHaveLength(3);
    expect(exports[0]?.summary).toContain('report.json');
  });

  it('keeps an existing file unless replace is set', async () => {
    const path = join(dir, 'kept.html');
    writeFileSync(path, 'mine');
    const refused = await core.router.call('reports.save', { format: 'html', path });
    expect(refused.ok).toBe(false);
    if (!refused.ok) expect(refused.error.code).toBe('EXPORT_EXISTS');
    expect(readFileSync(path, 'utf8')).toBe('mine');
    await ok('reports.save', { format: 'html', path, replace: true });
    expect(readFileSync(path, 'utf8')).toContain('Remediation report');
  });

  it('says why a file cannot be written', async () => {
    const path = join(dir, 'missing-dir', 'r.csv');
    const failed = await core.router.call('reports.save', { format: 'csv', path });
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('REPORT_WRITE_FAILED');
      expect(failed.error.message).toContain(path);
    }
    expect(existsSync(path)).toBe(false);
  });

  it('has no save dialog outside Electron, and uses the runtime one inside', async () => {
    expect(await ok('reports.chooseSavePath', { format: 'csv' })).toEqual({
      available: false,
      path: null,
    });
    const asked: string[] = [];
    const desktop = testCore({
      runtime: {
        transport: 'direct',
        chooseSavePath: (name) => {
          asked.push(name);
          return Promise.resolve('/tmp/chosen.csv');
        },
      },
    });
    const chosen = await desktop.router.call('reports.chooseSavePath', { format: 'csv' });
    expect(chosen).toEqual({ ok: true, value: { available: true, path: '/tmp/chosen.csv' } });
    expect(asked).toEqual(['remediation-report.csv']);
  });
});
