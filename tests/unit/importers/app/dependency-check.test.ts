import { describe, expect, it } from 'vitest';
import {
  createDependencyCheckImporter,
  dependencyCheckImporter,
} from '../../../../src-main/importers/formats/dependency-check';
import { captureError, collect, fixtureBytes, importFixture, streamOf } from '../tabular/helpers';
import { softwareNames, theFinding } from './helpers';

describe('dependency_check', () => {
  it('XML 2.5 and the same report as JSON: CVE-2020-9488 on log4j-api 2.12.4, fixed in 2.13.2', async () => {
    for (const name of ['version-6.5.3.xml', 'version-6.5.3.json']) {
      const result = await importFixture(dependencyCheckImporter, 'dependency_check', name);
      expect(result.findings, name).toHaveLength(1);
      expect(result.scans[0]).toEqual({
        scanner: 'Dependency-Check',
        scannerVersion: '6.5.3',
        startedAt: '2022-01-15T14:31:13.042Z',
      });
      // projectInfo.name is empty: the file name stands in.
      expect(softwareNames(result)).toEqual(['version-6.5.3']);
      const f = theFinding(result, 'CVE-2020-9488', 'org.apache.logging.log4j:log4j-api');
      expect(f.component).toEqual({
        name: 'org.apache.logging.log4j:log4j-api',
        version: '2.12.4',
        fixedVersion: '2.13.2',
        purl: 'pkg:maven/org.apache.logging.log4j/log4j-api@2.12.4',
        path: '/home/damien/vulnerabilities/apache-log4j-2.12.4-bin/log4j-api-2.12.4.jar',
      });
      expect(f.vulnerability).toMatchObject({
        severity: 'low',
        cvss3: 3.7,
        cvss2: 4.3,
        cwes: ['CWE-295'],
      });
      expect(f.scanner).toEqual({ name: 'Dependency-Check', pluginId: 'NVD' });
    }
  });

  it('a large real report (7.3.0): the project is the asset, suppressed vulnerabilities are counted', async () => {
    const result = await importFixture(dependencyCheckImporter, 'dependency_check', 'PR6439.xml');
    expect(result.findings).toHaveLength(26);
    expect(result.assets).toEqual([
      {
        software: {
          name: 'Business Process Center - Runtime Environment',
          version: '4.1.0-SNAPSHOT',
        },
      },
    ]);
    const f = theFinding(result, 'CVE-2020-15522', 'org.bouncycastle:bcprov-jdk15on');
    expect(f.component?.version).toBe('1.64');
    expect(f.vulnerability).toMatchObject({ severity: 'medium', cvss3: 5.9 });
    expect(result.notes.some((n) => n.includes('8 suppressed'))).toBe(true);
  });

  it('schema 1.3: maven identifiers name the package; a dependency without vulnerabilities gives none', async () => {
    const one = await importFixture(dependencyCheckImporter, 'dependency_check', 'single_vuln.xml');
    const f = theFinding(one, 'CVE-0000-0001', 'org.owasp:library');
    expect(f.component).toMatchObject({
      version: '6.7.8',
      path: 'C:\\\\Projectestproject\\\\libraries\\\\component2.dll',
    });
    expect(f.vulnerability).toMatchObject({ severity: 'medium', cvss2: 7.5 });
    expect(softwareNames(one)).toEqual(['Test Project']);
    const none = await importFixture(
      dependencyCheckImporter,
      'dependency_check',
      'single_dependency_with_related_no_vulnerability.xml',
    );
    expect(none.findings).toHaveLength(0);
    expect(softwareNames(none)).toEqual(['Test Project']);
    const many = await importFixture(
      dependencyCheckImporter,
      'dependency_check',
      'multiple_vulnerabilities_has_multiple_findings.xml',
    );
    expect(many.findings).toHaveLength(7);
  });

  it('JSON streaming gives the same records; truncation fails with a line', async () => {
    const bytes = fixtureBytes('dependency_check', 'version-6.5.3.json');
    const whole = await collect(dependencyCheckImporter, streamOf(bytes), 'r.json');
    const streamed = await collect(
      createDependencyCheckImporter({ streamThresholdBytes: 2048 }),
      streamOf(bytes, 500),
      'r.json',
    );
    expect(streamed.records).toEqual(whole.records);
    const error = await captureError(() =>
      collect(dependencyCheckImporter, streamOf(bytes.subarray(0, 3000)), 'r.json'),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toMatch(/^r\.json: line \d+/);
    const xml = fixtureBytes('dependency_check', 'single_vuln.xml');
    const cut = await captureError(() =>
      collect(dependencyCheckImporter, streamOf(xml.subarray(0, 2000)), 'r.xml'),
    );
    expect(cut.code).toBe('IMPORT_MALFORMED');
    expect(cut.message).toMatch(/^r\.xml: line \d+/);
  });
});
