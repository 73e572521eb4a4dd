import { describe, expect, it } from 'vitest';
import { createSarifImporter, sarifImporter } from '../../../../src-main/importers/formats/sarif';
import { captureError, collect, fixtureBytes, importFixture, streamOf } from '../tabular/helpers';
import { softwareNames, theFinding } from './helpers';

describe('sarif', () => {
  it('CodeQL: one finding per result, keyed by rule, file and fingerprint, with file:line', async () => {
    const result = await importFixture(sarifImporter, 'sarif', 'codeQL-output.sarif');
    expect(result.findings).toHaveLength(72);
    expect(result.scans[0]).toEqual({ scanner: 'CodeQL', scannerVersion: '2.5.4' });
    expect(softwareNames(result)).toEqual(['codeQL-output']);
    expect(result.notes.some((n) => n.includes('names no repository'))).toBe(true);
    const f = theFinding(
      result,
      'CodeQL:py/empty-except@good/db_init.py#primaryLocationLineHash=9cbc869fbfffeb60:1',
    );
    expect(f.scanner).toEqual({ name: 'CodeQL', pluginId: 'py/empty-except' });
    expect(f.location).toEqual({ path: 'good/db_init.py', line: 39, column: 5 });
    expect(f.vulnerability.title).toBe('Empty except');
    expect(f.vulnerability.cwes).toEqual(['CWE-390']);
    // rule level "note" -> low
    expect(f.vulnerability.severity).toBe('low');
    expect(f.evidence).toContain("'except' clause does nothing");
    // The same rule and line hash in another file is another finding.
    theFinding(
      result,
      'CodeQL:py/empty-except@bad/db_init.py#primaryLocationLineHash=9cbc869fbfffeb60:1',
    );
  });

  it('ShellCheck: the repository of versionControlProvenance (written after the results) is the asset', async () => {
    const result = await importFixture(sarifImporter, 'sarif', 'bash-report.sarif');
    expect(result.findings).toHaveLength(27);
    expect(result.assets).toEqual([
      {
        software: {
          name: 'https://github.com/damiencarol/django-DefectDojo',
          version: '288c68d1ba1f35ebeff1d1bdb032186a23f0ea5b',
        },
      },
    ]);
    const f = theFinding(
      result,
      'Shell Script Analysis:2076@/home/damien/dd/docker/setEnv.sh#scanPrimaryLocationHash=47f57f9669991906',
    );
    expect(f.location).toEqual({ path: '/home/damien/dd/docker/setEnv.sh', line: 134 });
    expect(f.vulnerability.severity).toBe('low');
  });

  it('njsscan: levels map to severities, CWE from result properties, file URIs become paths', async () => {
    const result = await importFixture(sarifImporter, 'sarif', 'njsscan.sarif');
    expect(result.findings).toHaveLength(2);
    const password = theFinding(result, 'nodejsscan:node_password@/src/index.js:235:9');
    expect(password.vulnerability.severity).toBe('high'); // level error
    expect(password.vulnerability.cwes).toEqual(['CWE-798']);
    expect(password.location).toEqual({ path: '/src/index.js', line: 235, column: 9 });
    const random = theFinding(
      result,
      'nodejsscan:node_insecure_random_generator@/src/index.js:321:21',
    );
    expect(random.vulnerability.severity).toBe('medium'); // no level: warning
    expect(random.vulnerability.cwes).toEqual(['CWE-327']);
  });

  it('Grype SARIF: a rule named by a CVE keys the finding by the CVE, on the package and jar', async () => {
    const result = await importFixture(sarifImporter, 'sarif', 'cxf-3.4.6.sarif');
    expect(result.findings).toHaveLength(22);
    const f = theFinding(result, 'CVE-2008-0732', 'geronimo-j2ee-management_1.1_spec');
    expect(f.component).toEqual({
      name: 'geronimo-j2ee-management_1.1_spec',
      version: '1.0.1',
      path: 'lib/geronimo-j2ee-management_1.1_spec-1.0.1.jar',
    });
    expect(f.vulnerability.cves).toEqual(['CVE-2008-0732']);
    expect(f.vulnerability.severity).toBe('low'); // security-severity 2.1
    expect(softwareNames(result)).toEqual(['cxf-3.4.6']);
  });

  it('Dependency-Check SARIF: NVD scores from the properties, one finding per copy of jQuery', async () => {
    const result = await importFixture(sarifImporter, 'sarif', 'dependency_check.sarif');
    expect(result.findings).toHaveLength(13);
    const copies = result.findings.filter((f) => f.vulnerability.key === 'CVE-2019-11358');
    expect(copies.map((f) => f.component?.name).sort()).toEqual([
      'jquery-1.8.0.min.js',
      'jquery.min.js',
    ]);
    expect(copies[0]?.vulnerability).toMatchObject({
      cvss3: 6.1,
      cvss2: 4.3,
      severity: 'medium',
      cves: ['CVE-2019-11358'],
    });
  });

  it('finding kinds: gitleaks results are secrets, Dockle results misconfigurations', async () => {
    const leaks = await importFixture(sarifImporter, 'sarif', 'gitleaks_7.5.0.sarif');
    expect(leaks.findings).toHaveLength(8);
    expect(leaks.findings.every((f) => f.kind === 'secret')).toBe(true);
    expect(leaks.findings[0]?.location?.line).toBe(13);
    const dockle = await importFixture(sarifImporter, 'sarif', 'dockle_0_3_15.sarif');
    expect(dockle.findings).toHaveLength(4);
    const f = theFinding(dockle, 'Dockle:CIS-DI-0010');
    expect(f.kind).toBe('misconfiguration');
    expect(f.vulnerability.severity).toBe('high');
    expect(f.location).toBeUndefined();
  });

  it('suppressed results are not findings, and a note counts them', async () => {
    const result = await importFixture(sarifImporter, 'sarif', 'SuppressionTestCurrent.sarif');
    expect(result.findings.map((f) => f.scanner.pluginId)).toEqual(['TST0004']);
    expect(result.notes.some((n) => n.includes('3 suppressed result(s)'))).toBe(true);
    const spec = await importFixture(sarifImporter, 'sarif', 'appendix_k.sarif');
    expect(spec.findings).toHaveLength(0);
    expect(spec.assets[0]?.software).toEqual({
      name: 'https://github.com/example-corp/browser',
      version: '5da53fbb2a0aaa12d648b73984acc9aac2e11c2a',
    });
  });

  it('several runs: both LGTM runs are read (58 + 452 results)', async () => {
    const result = await importFixture(
      sarifImporter,
      'sarif',
      'DefectDojo_django-DefectDojo__2020-12-11_13 42 10__export.sarif',
    );
    expect(result.findings).toHaveLength(510);
  });

  it('empty logs: no runs, or a run without results, give a scan and no findings', async () => {
    const none = await importFixture(sarifImporter, 'sarif', 'no_runs.sarif');
    expect(none.findings).toHaveLength(0);
    const empty = await importFixture(sarifImporter, 'sarif', 'appendix_k1.sarif');
    expect(empty.findings).toHaveLength(0);
    expect(softwareNames(empty)).toEqual(['appendix_k1']);
  });

  it('the streaming path and a spilled spool give the same records', async () => {
    const bytes = fixtureBytes('sarif', 'codeQL-output.sarif');
    const whole = await collect(sarifImporter, streamOf(bytes), 'codeQL-output.sarif');
    const streamed = await collect(
      createSarifImporter({ streamThresholdBytes: 1024, spoolMemoryChars: 2048 }),
      streamOf(bytes, 777),
      'codeQL-output.sarif',
    );
    expect(streamed.records).toEqual(whole.records);
  });

  it('a truncated log fails with IMPORT_MALFORMED naming the file and line', async () => {
    const bytes = fixtureBytes('sarif', 'njsscan.sarif');
    const error = await captureError(() =>
      collect(sarifImporter, streamOf(bytes.subarray(0, 1500)), 'cut.sarif'),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(/^cut\.sarif: line \d+/);
  });
});
