import { describe, expect, it } from 'vitest';
import {
  createOsvScannerImporter,
  osvScannerImporter,
} from '../../../../src-main/importers/formats/osv-scanner';
import { captureError, collect, fixtureBytes, importFixture, streamOf } from '../tabular/helpers';
import { softwareNames, theFinding } from './helpers';

describe('osv_scanner', () => {
  it('one software asset per scanned project, one finding per package and alias group', async () => {
    const result = await importFixture(osvScannerImporter, 'osv_scanner', 'many_findings.json');
    expect(result.findings).toHaveLength(37);
    expect(result.scans[0]).toEqual({ scanner: 'OSV-Scanner' });
    expect(softwareNames(result)).toEqual([
      '/tmpcardmarket-api',
      '/tmpgapps',
      '/tmphumble',
      '/tmprengine',
      '/tmprengine/web',
      '/tmptrivy-dojo-report-operator',
    ]);
    const jinja = theFinding(result, 'CVE-2024-22195', 'jinja2');
    expect(jinja.component).toEqual({
      name: 'jinja2',
      version: '3.0.3',
      fixedVersion: '3.1.3',
      path: '/tmpgapps/requirements.txt',
      purl: 'pkg:pypi/jinja2@3.0.3',
    });
    expect(jinja.vulnerability).toMatchObject({ severity: 'medium', cwes: ['CWE-79'] });
    expect(jinja.vulnerability.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:L/I:L/A:N');
    expect(jinja.asset).toEqual({ software: { name: '/tmpgapps' } });
    // GHSA-j8r2-6x86-q33q and PYSEC-2023-74 are one group: one finding.
    const requests = theFinding(
      result,
      'CVE-2023-32681',
      'requests',
      (f) => f.component?.path === '/tmphumble/requirements.txt',
    );
    expect(requests.component?.fixedVersion).toBe('2.31.0');
    expect(requests.evidence).toContain('GHSA-j8r2-6x86-q33q, PYSEC-2023-74');
    // The fixed version is the one of the range that holds the installed version.
    const guzzle = theFinding(result, 'CVE-2022-31090', 'guzzlehttp/guzzle');
    expect(guzzle.component).toMatchObject({ version: '6.3.3', fixedVersion: '6.5.8' });
    expect(guzzle.vulnerability.severity).toBe('high');
  });

  it('a git source: the repository and commit stand for the package', async () => {
    const result = await importFixture(osvScannerImporter, 'osv_scanner', 'many_findings.json');
    const f = theFinding(result, 'CVE-2023-50094');
    expect(f.component).toEqual({
      name: 'https://github.com/yogeshojha/rengine',
      version: 'f5f3c22f3ed5a6804a2a8d9ee9fa43044cfa24a6',
      path: '/tmprengine/',
    });
    expect(f.vulnerability.severity).toBe('info');
  });

  it('a malicious package (MAL-) without a score is critical', async () => {
    const result = await importFixture(osvScannerImporter, 'osv_scanner', 'some_findings.json');
    expect(result.findings).toHaveLength(1);
    const f = theFinding(result, 'MAL-2023-1035', 'flot-axis');
    expect(f.vulnerability).toMatchObject({ severity: 'critical', cwes: ['CWE-506'] });
    expect(f.component?.path).toBe('/tmp/components/yarn.lock');
  });

  it('the empty file (no_findings.json) is refused, not read as a clean project', async () => {
    const error = await captureError(() =>
      collect(
        osvScannerImporter,
        streamOf(fixtureBytes('osv_scanner', 'no_findings.json')),
        'no_findings.json',
      ),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('empty');
  });

  it('streaming and packages read before their source give the same records', async () => {
    const bytes = fixtureBytes('osv_scanner', 'many_findings.json');
    const whole = await collect(osvScannerImporter, streamOf(bytes), 'many_findings.json');
    const streamed = await collect(
      createOsvScannerImporter({ streamThresholdBytes: 8192 }),
      streamOf(bytes, 1000),
      'many_findings.json',
    );
    expect(streamed.records).toEqual(whole.records);
    const doc = JSON.parse(bytes.toString('utf8')) as {
      results: { source: unknown; packages: unknown }[];
    };
    const flipped = {
      results: doc.results.map((r) => ({ packages: r.packages, source: r.source })),
    };
    const late = await collect(
      createOsvScannerImporter({ spoolMemoryChars: 4096 }),
      streamOf(JSON.stringify(flipped)),
      'many_findings.json',
    );
    expect(late.findings).toEqual(whole.findings);
  });
});
