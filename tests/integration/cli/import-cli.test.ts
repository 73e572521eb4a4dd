import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizedFindingSchema } from '../../../src-main/importers/types';
import { fixture } from '../../helpers/import';
import { PASS, newVault } from '../../helpers/vault';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');

function vz(args: string[], env: Record<string, string> = {}) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

describe('import CLI (built bin)', () => {
  it('import --json prints one public summary per file and exits 1 when a file failed', async () => {
    const { dir, path, session } = await newVault();
    session.lock();
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, 'not,a,scanner\n1,2,3\n');
    const env = { VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS };
    const r = vz(
      [
        'import',
        fixture('nessus_xml', 'nessus_with_cvssv3.nessus'),
        bad,
        fixture('trivy', 'scheme_2_many_vulns.json'),
        '--json',
      ],
      env,
    );
    expect(r.status).toBe(1);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out.map((s) => Object.keys(s).sort())).toEqual([
      ['assets', 'durationMs', 'file', 'findings', 'format', 'sha256', 'skipped'],
      ['assets', 'durationMs', 'error', 'file', 'findings', 'format', 'sha256', 'skipped'],
      ['assets', 'durationMs', 'file', 'findings', 'format', 'sha256', 'skipped'],
    ]);
    expect(out[0]).toMatchObject({
      file: 'nessus_with_cvssv3.nessus',
      format: 'nessus',
      assets: 1,
      findings: { new: 48, updated: 0, unchanged: 0, notSeen: 0 },
    });
    expect(out[1]).toMatchObject({ file: 'bad.csv', error: { code: 'IMPORT_UNKNOWN_FORMAT' } });
    expect(out[2]).toMatchObject({ format: 'trivy-json' });
    // The import's thread closed before the command locked the vault: the last connection
    // checkpointed, so the vault file alone holds the import (no write-ahead log left).
    expect(existsSync(`${path}-wal`)).toBe(false);

    const again = vz(['import', fixture('nessus_xml', 'nessus_with_cvssv3.nessus')], env);
    expect(again.status).toBe(0);
    expect(again.stderr).toContain('the same bytes were already imported');

    const findings = vz(['findings', '--json', '--cve', 'CVE-2006-1015'], env);
    const rows = JSON.parse(findings.stdout) as { id: number; status: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      status: 'open',
      port: 80,
      vulnerability: { severity: 'high' },
    });
    expect(
      JSON.parse(vz(['findings', '--json', '--severity', 'critical', '--limit', '2'], env).stdout),
    ).toHaveLength(2);
    expect(vz(['findings', '--severity', 'urgent'], env).status).toBe(2);
    expect(
      (
        JSON.parse(
          vz(['findings', '--json', '--asset', 'testphp', '--limit', '1000'], env).stdout,
        ) as unknown[]
      ).length,
    ).toBe(48);
  });

  it('import --dry-run prints normalized findings as NDJSON without a vault', () => {
    const r = vz(['import', fixture('openvas_xml', 'many_vuln.xml'), '--dry-run']);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(44);
    for (const line of lines) normalizedFindingSchema.parse(JSON.parse(line));
    const forced = vz([
      'import',
      fixture('openvas_xml', 'many_vuln.xml'),
      '--dry-run',
      '--format',
      'nmap-xml',
    ]);
    expect(forced.status).toBe(1);
    expect(forced.stderr).toMatch(/^error: many_vuln\.xml/);
    expect(vz(['import', 'x', '--format', 'nope']).status).toBe(2);
  });

  it('formats lists every format with its hints', () => {
    const r = vz(['formats', '--json']);
    const formats = (JSON.parse(r.stdout) as { format: string; hints: string }[]).map(
      (f) => f.format,
    );
    expect(formats).toEqual(
      expect.arrayContaining([
        'nessus',
        'nessus-csv',
        'tenable-sc-csv',
        'tenable-vm-csv',
        'nessus-was-xml',
        'nessus-was-csv',
        'openvas-xml',
        'openvas-csv',
        'qualys-xml',
        'qualys-scan-xml',
        'qualys-csv',
        'nexpose-xml',
        'nmap-xml',
        'wazuh-json',
        'trivy-json',
        'grype-json',
      ]),
    );
    expect(vz(['formats']).stdout).toMatch(/^nessus\s+/m);
  });
});
