import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tabularImporters } from '../../../../src-main/importers/formats/tabular-formats';
import { FIXTURES, fixtureBytes } from './helpers';

/** Fixture folder -> the format its files must be detected as. */
const FOLDERS: Record<string, string> = {
  nessus_csv: 'nessus-csv',
  tenable_sc_csv: 'tenable-sc-csv',
  tenable_vm_csv: 'tenable-vm-csv',
  nessus_was: 'nessus-was-csv',
  openvas_csv: 'openvas-csv',
  qualys_csv: 'qualys-csv',
  wazuh: 'wazuh-json',
  trivy: 'trivy-json',
  grype: 'grype-json',
};

/** The legacy Trivy "no vulnerabilities" report is the literal `null`: nothing to detect. */
const UNDETECTABLE = new Set(['trivy/legacy_no_vuln.json']);

function head(folder: string, name: string): string {
  return fixtureBytes(folder, name)
    .subarray(0, 64 * 1024)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
}

function ranking(text: string, fileName: string): { format: string; score: number }[] {
  return tabularImporters
    .map((importer) => ({ format: importer.format, score: importer.sniff(text, fileName) }))
    .sort((a, b) => b.score - a.score);
}

describe('format detection', () => {
  it('lists the nine formats under their public names', () => {
    expect(tabularImporters.map((i) => i.format).sort()).toEqual([
      'grype-json',
      'nessus-csv',
      'nessus-was-csv',
      'openvas-csv',
      'qualys-csv',
      'tenable-sc-csv',
      'tenable-vm-csv',
      'trivy-json',
      'wazuh-json',
    ]);
  });

  for (const [folder, format] of Object.entries(FOLDERS)) {
    const files = readdirSync(join(FIXTURES, folder)).filter(
      (name) => /\.(csv|json)$/.test(name) && !UNDETECTABLE.has(`${folder}/${name}`),
    );
    for (const name of files) {
      it(`${folder}/${name} is ${format}`, () => {
        const [best, second] = ranking(head(folder, name), name);
        expect(best?.format).toBe(format);
        expect(best?.score).toBeGreaterThan(0.5);
        expect(second?.score ?? 0).toBeLessThan(best?.score ?? 0);
      });
    }
  }

  it('does not take one Nessus family export for another', () => {
    const scores = (folder: string, name: string) =>
      Object.fromEntries(ranking(head(folder, name), name).map((r) => [r.format, r.score]));
    const nessus = scores('nessus_csv', 'nessus_many_vuln2-all.csv');
    expect(nessus['tenable-sc-csv']).toBe(0);
    expect(nessus['tenable-vm-csv']).toBe(0);
    expect(nessus['nessus-was-csv']).toBe(0);
    const sc = scores('tenable_sc_csv', 'issue_9612.csv');
    expect(sc['nessus-csv']).toBe(0);
    const vm = scores('tenable_vm_csv', 'tenable_many_vuln.csv');
    expect(vm['nessus-csv']).toBeLessThan(vm['tenable-vm-csv'] ?? 0);
    const was = scores('nessus_was', 'nessus_was_no_vuln.csv');
    expect(was['nessus-csv']).toBeLessThan(was['nessus-was-csv'] ?? 0);
  });

  it('uses content, not the file name', () => {
    const csv = head('nessus_csv', 'nessus-template.csv');
    expect(ranking(csv, 'report.json')[0]?.format).toBe('nessus-csv');
    for (const importer of tabularImporters) {
      expect(importer.sniff('hello world\n', 'scan.csv')).toBe(0);
      expect(importer.sniff('{"name":"x"}', 'trivy.json')).toBe(0);
      expect(importer.sniff('<?xml version="1.0"?><NessusClientData_v2/>', 'a.csv')).toBe(0);
    }
  });
});
