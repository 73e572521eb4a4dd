import { describe, expect, it } from 'vitest';
import {
  createNpmAuditImporter,
  npmAuditImporter,
} from '../../../../src-main/importers/formats/npm-audit';
import { npmAudit7Importer } from '../../../../src-main/importers/formats/npm-audit-7-plus';
import { captureError, collect, fixtureBytes, importFixture, streamOf } from '../tabular/helpers';
import { softwareNames, theFinding } from './helpers';

describe('npm_audit (npm 6)', () => {
  it('one advisory: CVE-2017-16042 in growl 1.9.2, critical, fixed in 1.10.2', async () => {
    const result = await importFixture(npmAuditImporter, 'npm_audit', 'one_vuln.json');
    expect(result.findings).toHaveLength(1);
    expect(result.scans[0]).toEqual({ scanner: 'npm audit' });
    // npm does not name the project: the file name stands in, and a note says so.
    expect(softwareNames(result)).toEqual(['one_vuln']);
    expect(result.notes[0]).toContain('does not name the project');
    const f = theFinding(result, 'CVE-2017-16042', 'growl');
    expect(f.component).toEqual({
      name: 'growl',
      version: '1.9.2',
      fixedVersion: '1.10.2',
      path: 'mocha-jenkins-reporter>mocha>growl',
    });
    expect(f.vulnerability).toMatchObject({
      title: 'Command Injection in growl',
      severity: 'critical',
      cwes: ['CWE-94'],
    });
    expect(f.scanner).toEqual({ name: 'npm audit', pluginId: '146' });
    expect(f.vulnerability.references).toContain('https://www.npmjs.com/advisories/146');
  });

  it('many advisories: severities map (moderate is medium), the patched range gives the version to bump to', async () => {
    const result = await importFixture(npmAuditImporter, 'npm_audit', 'many_vuln.json');
    expect(result.findings).toHaveLength(5);
    expect(theFinding(result, 'CVE-2017-16138', 'mime').vulnerability.severity).toBe('medium');
    expect(theFinding(result, 'CVE-2017-16137', 'debug').component).toMatchObject({
      version: '2.2.0',
      fixedVersion: '2.6.9',
    });
    const big = await importFixture(npmAuditImporter, 'npm_audit', 'multiple_cwes.json');
    expect(big.findings).toHaveLength(44);
    const none = await importFixture(npmAuditImporter, 'npm_audit', 'no_vuln.json');
    expect(none.findings).toHaveLength(0);
    expect(softwareNames(none)).toEqual(['no_vuln']);
  });

  it("npm's error answer (ENOAUDIT) fails the file instead of looking like a clean project", async () => {
    const error = await captureError(() =>
      collect(
        npmAuditImporter,
        streamOf(fixtureBytes('npm_audit', 'empty_with_error.json')),
        'e.json',
      ),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toContain('ENOAUDIT');
  });

  it('an npm 7 report given to npm_audit is refused with a pointer to npm_audit_7_plus', async () => {
    const error = await captureError(() =>
      collect(
        npmAuditImporter,
        streamOf(fixtureBytes('npm_audit', 'many_vuln_npm7.json')),
        'x.json',
      ),
    );
    expect(error.message).toContain('npm_audit_7_plus');
  });

  it('streaming over the advisories map gives the same records', async () => {
    const bytes = fixtureBytes('npm_audit', 'multiple_cwes.json');
    const whole = await collect(npmAuditImporter, streamOf(bytes), 'm.json');
    const streamed = await collect(
      createNpmAuditImporter({ streamThresholdBytes: 4096 }),
      streamOf(bytes, 1234),
      'm.json',
    );
    expect(streamed.records).toEqual(whole.records);
  });
});

describe('npm_audit_7_plus', () => {
  it('one package, two advisories: GHSA keys, CVSS from the advisory, fixed version from its range', async () => {
    const result = await importFixture(npmAudit7Importer, 'npm_audit_7_plus', 'one_vuln.json');
    expect(result.findings).toHaveLength(2);
    const f = theFinding(result, 'GHSA-9vvw-cc9w-f27h', 'debug');
    expect(f.component).toEqual({
      name: 'debug',
      fixedVersion: '2.6.9',
      path: 'node_modules/debug',
    });
    expect(f.vulnerability).toMatchObject({
      severity: 'high',
      cvss3: 7.5,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H',
      cwes: ['CWE-1333'],
      title: 'debug Inefficient Regular Expression Complexity vulnerability',
    });
    expect(f.evidence).toContain('Fix available: update express to 4.18.3');
    expect(theFinding(result, 'GHSA-gxpj-cx7g-858c', 'debug').vulnerability.severity).toBe(
      'medium',
    );
  });

  it('packages vulnerable only through a dependency are counted, not duplicated', async () => {
    const result = await importFixture(npmAudit7Importer, 'npm_audit_7_plus', 'many_vulns.json');
    expect(result.findings).toHaveLength(3);
    expect(result.notes.some((n) => n.includes('3 package(s) are vulnerable only through'))).toBe(
      true,
    );
    const old = await importFixture(npmAudit7Importer, 'npm_audit', 'many_vuln_npm7.json');
    expect(old.findings).toHaveLength(8);
    const none = await importFixture(npmAudit7Importer, 'npm_audit_7_plus', 'no_vuln.json');
    expect(none.findings).toHaveLength(0);
  });
});
