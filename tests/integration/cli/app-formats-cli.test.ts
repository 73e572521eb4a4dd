/**
 * The application and SBOM formats end to end through the built CLI, as an operator runs
 * them: `vulnzero formats` lists them, `vulnzero import` detects each by content (no
 * --format), the findings land on software assets with their component and location, and
 * a CycloneDX VEX "not_affected" statement becomes a false-positive decision with its
 * justification in the findings and in the audit trail.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/import';
import { PASS, newVault } from '../../helpers/vault';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');
let env: Record<string, string> = {};

function vz(...args: string[]) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

interface Summary {
  file: string;
  format: string;
  assets: number;
  findings: { new: number };
  error?: { code: string };
}

interface Listed {
  id: number;
  status: string;
  statusReason?: string | null;
  kind: string;
  asset: { software?: { name: string } };
  location?: { path: string; line?: number };
  component?: { name: string; version?: string; fixedVersion?: string };
  vulnerability: { key: string; cves: string[]; severity: string };
}

/** File → format detected and distinct findings stored (repeats count as occurrences). */
const FILES: [string[], string, number][] = [
  [['sarif', 'bash-report.sarif'], 'sarif', 12],
  [['cyclonedx', 'valid-vulnerability-1.4.json'], 'cyclonedx', 1],
  [['cyclonedx', 'log4j.xml'], 'cyclonedx', 8],
  [['osv_scanner', 'some_findings.json'], 'osv_scanner', 1],
  [['dependency_check', 'single_vuln.xml'], 'dependency_check', 1],
  [['npm_audit', 'one_vuln.json'], 'npm_audit', 1],
  [['npm_audit_7_plus', 'many_vulns.json'], 'npm_audit_7_plus', 3],
  [['yarn_audit', 'yarn_audit_many_vul.json'], 'yarn_audit', 3],
  [['ms_defender', 'report_many_vulns.json'], 'ms_defender', 4],
];

let summaries: Summary[] = [];
let findings: Listed[] = [];

beforeAll(async () => {
  const { path, session } = await newVault();
  session.lock();
  env = { VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS };
  const run = vz('import', ...FILES.map(([parts]) => fixture(...parts)), '--json');
  expect(run.status, run.stderr).toBe(0);
  summaries = JSON.parse(run.stdout) as Summary[];
  const listed = vz('findings', '--json', '--limit', '1000');
  expect(listed.status, listed.stderr).toBe(0);
  findings = JSON.parse(listed.stdout) as Listed[];
}, 120_000);

describe('application and SBOM formats through the CLI', () => {
  it('vulnzero formats lists each one with its detection hint, as text and JSON', () => {
    const json = vz('formats', '--json');
    expect(json.status).toBe(0);
    const listed = JSON.parse(json.stdout) as { format: string; label: string; hints: string }[];
    for (const [, format] of FILES)
      expect(listed.find((f) => f.format === format)?.hints, format).toBeTruthy();
    const text = vz('formats');
    expect(text.stdout).toMatch(/^sarif\s+\S.*$/m);
    expect(text.stdout).toMatch(/^cyclonedx\s+\S.*$/m);
  });

  it('detects every file by content and stores its distinct findings', () => {
    expect(summaries.map((s) => [s.format, s.findings.new, s.error?.code])).toEqual(
      FILES.map(([, format, count]) => [format, count, undefined]),
    );
  });

  it('the text summary says which assets are software (projects) rather than hosts', () => {
    const again = vz(
      'import',
      fixture('sarif', 'bash-report.sarif'),
      fixture('ms_defender', 'report_many_vulns.json'),
    );
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).toMatch(
      /bash-report\.sarif: sarif, 1 assets \(1 software\), findings new 0/,
    );
    expect(again.stdout).toMatch(
      /report_many_vulns\.json: ms_defender, \d+ assets, findings new 0/,
    );
  });

  it('SARIF results keep their file:line; dependency findings their component and fixed version', () => {
    const sarif = findings.filter((f) => f.location);
    expect(sarif).toHaveLength(12);
    expect(sarif.map((f) => `${f.location?.path}:${f.location?.line}`)).toContain(
      '/home/damien/dd/docker/setEnv.sh:134',
    );
    const log4shell = findings.filter((f) => f.vulnerability.cves.includes('CVE-2021-44228'));
    expect(log4shell.length).toBeGreaterThan(0);
    const fromXml = log4shell.find((f) => f.asset.software?.name.endsWith('log4j-core/2.13.2'));
    expect(fromXml?.component).toMatchObject({
      name: 'org.apache.logging.log4j:log4j-core',
      version: '2.13.2',
    });
    expect(fromXml?.vulnerability.severity).toBe('critical');
    // Host-based Defender findings stay on hosts; the SBOM ones are software assets.
    const onSoftware = findings.filter((f) => f.asset.software).length;
    expect(onSoftware).toBe(findings.length - 4);
  });

  it('a VEX not_affected statement is a false-positive decision with its justification, audited', () => {
    const vex = findings.filter((f) => f.status === 'false_positive');
    expect(vex).toHaveLength(1);
    expect(vex[0]?.statusReason).toMatch(
      /^VEX not_affected in valid-vulnerability-1\.4\.json; justification: code_not_reachable/,
    );

    const out = join(mkdtempSync(join(tmpdir(), 'vz-audit-')), 'audit.jsonl');
    const exported = vz('audit', 'export', out);
    expect(exported.status, exported.stderr).toBe(0);
    const entries = readFileSync(out, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { action: string; summary: string });
    const importEntry = entries.find(
      (e) => e.action === 'import.file' && e.summary.includes('valid-vulnerability-1.4.json'),
    );
    expect(importEntry?.summary).toContain(`"vexFalsePositives":[${vex[0]?.id}]`);
  });
});
