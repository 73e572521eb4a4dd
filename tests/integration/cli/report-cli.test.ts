/**
 * `vulnzero report` end to end on a real vault: a Nessus scan, the KEV sample, an accepted
 * risk, a false positive and a later scan that no longer reports one plugin. Each format's
 * numbers are checked against what `vulnzero findings --json` says, an independent path.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { RemediationReport } from '../../../src-main/reports/figures';
import { fixture, laterNessusScan } from '../../helpers/import';
import { PASS, newVault, tempDir } from '../../helpers/vault';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');
let env: NodeJS.ProcessEnv = {};
const vz = (...args: string[]) =>
  spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
const out = tempDir('vz-report-');
const RANGE = ['--from', '2000-01-01', '--to', '2100-12-31'];

interface Listed {
  id: number;
  status: string;
  kev: unknown;
  vulnerability: { severity: string; key: string };
}
let findings: Listed[] = [];

beforeAll(async () => {
  const { path, session } = await newVault();
  session.lock();
  env = { ...process.env, VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS };
  const scan = fixture('nessus_xml', 'nessus_with_cvssv3.nessus');
  expect(vz('import', scan).status).toBe(0);
  expect(
    vz('feeds', 'import', fixture('feeds', 'known_exploited_vulnerabilities.json')).status,
  ).toBe(0);
  let listed = JSON.parse(vz('findings', '--json', '--limit', '5000').stdout) as Listed[];
  const [accept, falsePositive] = listed.filter((f) => f.status === 'open').map((f) => f.id);
  const expires = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
  const decided = vz(
    'findings',
    'decide',
    'accept',
    String(accept),
    '--reason',
    'WAF rule 12',
    '--expires',
    expires,
    '--yes',
  );
  expect(decided.status, decided.stderr).toBe(0);
  expect(
    vz(
      'findings',
      'decide',
      'false-positive',
      String(falsePositive),
      '--reason',
      'banner only',
      '--yes',
    ).status,
  ).toBe(0);
  // A later scan without two plugins (as tests/integration/import/import-vault.test.ts):
  // their findings become "not seen", fixed in the period.
  const later = laterNessusScan(scan, join(out, 'later.nessus'), ['31649', '11219']);
  expect(vz('import', later).status).toBe(0);
  listed = JSON.parse(vz('findings', '--json', '--limit', '5000').stdout) as Listed[];
  findings = listed;
}, 120_000);

describe('vulnzero report', () => {
  it('JSON: open by severity, KEV, accepted risks and fixed in the period agree with the findings', () => {
    const file = join(out, 'report.json');
    const run = vz('report', '--format', 'json', '--out', file, ...RANGE);
    expect(run.status, run.stderr).toBe(0);
    const report = JSON.parse(readFileSync(file, 'utf8')) as RemediationReport;
    const open = findings.filter((f) => f.status === 'open');
    expect(report.open.total).toBe(open.length);
    for (const severity of ['critical', 'high', 'medium', 'low', 'info'])
      expect(report.open.bySeverity[severity], severity).toBe(
        open.filter((f) => f.vulnerability.severity === severity).length,
      );
    expect(Object.values(report.open.byDecision).reduce((a, b) => a + b, 0)).toBe(open.length);
    expect(report.open.kev).toBe(open.filter((f) => f.kev !== null && f.kev !== undefined).length);
    expect(report.kevItems).toHaveLength(report.open.kev);
    expect(report.acceptedRisks).toEqual([
      expect.objectContaining({
        reason: 'WAF rule 12',
        decidedBy: 'alice',
        expiresAt: expect.any(String),
      }),
    ]);
    const notSeen = findings.filter((f) => f.status === 'not_seen');
    expect(notSeen.length).toBeGreaterThan(0);
    expect(report.period.fixed).toBe(notSeen.length);
    expect(report.period.newFindings).toBe(findings.length);
    expect(report.period.mttrDays).toBeGreaterThan(0);
    expect(report.scope).toMatchObject({ group: null, from: '2000-01-01T00:00:00.000Z' });
  });

  it('CSV: the same numbers, one row per figure, and a table per list', () => {
    const file = join(out, 'report.csv');
    expect(vz('report', '--format', 'csv', '--out', file, ...RANGE).status).toBe(0);
    const csv = readFileSync(file, 'utf8');
    const open = findings.filter((f) => f.status === 'open').length;
    expect(csv).toContain(`open,total,${open}\r\n`);
    expect(csv).toContain('accepted finding,title,asset,reason,decided by,expires\r\n');
    expect(csv).toMatch(/\r\n\d+,[^\r]*,WAF rule 12,alice,\d{4}-/);
  });

  it('HTML: self-contained (no script, no external resource), with the figures and charts', () => {
    const file = join(out, 'report.html');
    expect(vz('report', '--format', 'html', '--out', file, ...RANGE).status).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<script|\ssrc=|\shref=|url\(|@import|<link/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain(
      `<div class="value">${findings.filter((f) => f.status === 'open').length}</div>`,
    );
    expect(html.match(/<svg /g)).toHaveLength(2);
    expect(html).toContain('WAF rule 12');
  });

  it('refuses to overwrite, bad formats and dates; a group with no assets reports nothing', () => {
    const file = join(out, 'report.json');
    const again = vz('report', '--format', 'json', '--out', file);
    expect(again.status).toBe(2);
    expect(again.stderr).toContain('--force');
    expect(vz('report', '--format', 'pdf', '--out', join(out, 'x.pdf')).status).toBe(2);
    expect(
      vz('report', '--format', 'json', '--out', join(out, 'x.json'), '--from', 'yesterday').status,
    ).toBe(2);
    const grouped = join(out, 'group.json');
    expect(
      vz('report', '--format', 'json', '--out', grouped, '--group', 'no-such-group').status,
    ).toBe(0);
    const report = JSON.parse(readFileSync(grouped, 'utf8')) as RemediationReport;
    expect(report.scope).toMatchObject({ group: 'no-such-group', assets: 0 });
    expect(report.open.total).toBe(0);
  });
});
