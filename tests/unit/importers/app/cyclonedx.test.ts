import { describe, expect, it } from 'vitest';
import {
  createCycloneDxImporter,
  cycloneDxImporter,
} from '../../../../src-main/importers/formats/cyclonedx';
import { captureError, collect, fixtureBytes, importFixture, streamOf } from '../tabular/helpers';
import { softwareNames, theFinding } from './helpers';

describe('cyclonedx', () => {
  it('VEX: a not_affected statement is a finding carrying the state, justification and detail (JSON and XML)', async () => {
    for (const name of ['valid-vulnerability-1.4.json', 'valid-vulnerability-1.4.xml']) {
      const result = await importFixture(cycloneDxImporter, 'cyclonedx', name);
      expect(result.findings, name).toHaveLength(1);
      const f = theFinding(result, 'CVE-2018-7489', 'com.fasterxml.jackson.core:jackson-databind');
      expect(f.vex).toEqual({
        state: 'not_affected',
        justification: 'code_not_reachable',
        detail:
          'An optional explanation of why the application is not affected by the vulnerable component.',
      });
      expect(f.component).toEqual({
        name: 'com.fasterxml.jackson.core:jackson-databind',
        version: '2.9.4',
        purl: 'pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4',
      });
      // Snyk's id names exactly one CVE among its references: the CVE is the key.
      expect(f.vulnerability).toMatchObject({
        severity: 'critical',
        cvss3: 9.8,
        cwes: ['CWE-184', 'CWE-502'],
      });
      expect(f.solution).toContain('2.9.5');
      expect(f.evidence).toContain('VEX response: will_not_fix, update');
    }
  });

  it('Grype CycloneDX: log4j-core 2.13.2 with CVE-2021-44228 critical, JSON, XML and nested components agree', async () => {
    const results = await Promise.all(
      ['log4j.json', 'log4j.xml', 'nested-component-log4j.json'].map((n) =>
        importFixture(cycloneDxImporter, 'cyclonedx', n),
      ),
    );
    for (const result of results) {
      expect(result.findings).toHaveLength(8);
      expect(softwareNames(result)).toEqual([
        './configuration/.m2/repository/org/apache/logging/log4j/log4j-core/2.13.2',
      ]);
      expect(result.scans[0]?.scanner).toBe('grype');
      const f = theFinding(result, 'CVE-2021-44228', 'org.apache.logging.log4j:log4j-core');
      expect(f.component?.version).toBe('2.13.2');
      expect(f.vulnerability).toMatchObject({ severity: 'critical', cvss3: 10, cvss2: 10 });
      expect(f.vulnerability.cvss3Vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H');
      expect(f.vex?.state).toBe('in_triage');
      theFinding(result, 'GHSA-jfh8-c2jp-5v3q', 'org.apache.logging.log4j:log4j-core');
    }
  });

  it('Trivy CycloneDX of ubuntu:latest: the vendor (ubuntu) rating decides the severity, NVD gives the scores', async () => {
    const result = await importFixture(cycloneDxImporter, 'cyclonedx', 'issue_9277.json');
    expect(result.findings).toHaveLength(14);
    expect(result.assets).toEqual([
      {
        software: {
          name: 'ubuntu:latest',
          version: 'sha256:6042500cf4b44023ea1894effe7890666b0c5c7871ed83a97c36c76ae560bb9b',
        },
      },
    ]);
    expect(result.scans[0]).toMatchObject({
      scanner: 'trivy',
      scannerVersion: '0.48.1',
      startedAt: '2024-01-04T15:25:30.000Z',
    });
    const f = theFinding(result, 'CVE-2016-2781', 'coreutils');
    expect(f.vulnerability).toMatchObject({
      severity: 'low',
      cvss3: 6.5,
      cvss2: 2.1,
      cwes: ['CWE-20'],
    });
    expect(f.component?.version).toBe('8.32-4.1ubuntu1');
    // One vulnerability affecting two packages is two findings.
    expect(
      result.findings
        .filter((x) => x.vulnerability.key === 'CVE-2016-20013')
        .map((x) => x.component?.name),
    ).toEqual(['libc-bin', 'libc6']);
  });

  it('OSS Index ids (UUIDs) are keyed by their one CVE reference', async () => {
    const result = await importFixture(cycloneDxImporter, 'cyclonedx', 'jake2.json');
    expect(result.findings).toHaveLength(7);
    const f = theFinding(result, 'CVE-2021-33203', 'Django');
    expect(f.component?.version).toBe('2.0');
    expect(f.vulnerability).toMatchObject({ severity: 'high', cvss3: 7.5 });
  });

  it('XML with the 1.0 vulnerability extension inside components (Dependency-Track / Grype)', async () => {
    const result = await importFixture(cycloneDxImporter, 'cyclonedx', 'dd_1_15_0.xml');
    expect(result.findings).toHaveLength(381);
    expect(result.assets[0]?.software?.name).toBe('defectdojo/defectdojo-django:1.15.0');
    const f = theFinding(result, 'CVE-2019-18276', 'bash');
    expect(f.component?.version).toBe('5.0-4');
    expect(f.vulnerability).toMatchObject({ severity: 'low', cvss2: 7.2 });
    const spec = await importFixture(cycloneDxImporter, 'cyclonedx', 'spec1.xml');
    expect(theFinding(spec, 'CVE-2018-7489').component?.version).toBe('2.9.9');
  });

  it('a BOM without vulnerabilities records the software asset and no findings', async () => {
    const result = await importFixture(cycloneDxImporter, 'cyclonedx', 'cyclonedx_bom.xml');
    expect(result.findings).toHaveLength(0);
    expect(softwareNames(result)).toEqual(['cyclonedx_bom']);
    expect(result.notes.some((n) => n.includes('names no metadata component'))).toBe(true);
  });

  it('an affects ref that is no component of the BOM: finding without component, and a note', async () => {
    const result = await importFixture(cycloneDxImporter, 'cyclonedx', 'no-severity.json');
    const f = theFinding(result, 'CVE-2021-44228');
    expect(f.component).toBeUndefined();
    expect(f.vulnerability).toMatchObject({ severity: 'critical', cvss3: 10 });
    expect(result.notes.some((n) => n.includes('"gerbwetbqt"'))).toBe(true);
  });

  it('streaming, and vulnerabilities written before the components, give the same findings', async () => {
    const bytes = fixtureBytes('cyclonedx', 'issue_9277.json');
    const whole = await collect(cycloneDxImporter, streamOf(bytes), 'issue_9277.json');
    const streamed = await collect(
      createCycloneDxImporter({ streamThresholdBytes: 4096, spoolMemoryChars: 1024 }),
      streamOf(bytes, 999),
      'issue_9277.json',
    );
    expect(streamed.records).toEqual(whole.records);
    const doc = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
    const reordered = {
      vulnerabilities: doc.vulnerabilities,
      bomFormat: doc.bomFormat,
      metadata: doc.metadata,
      components: doc.components,
    };
    const late = await collect(
      cycloneDxImporter,
      streamOf(JSON.stringify(reordered)),
      'issue_9277.json',
    );
    expect(late.findings).toEqual(whole.findings);
  });

  it('malformed JSON and XML fail with IMPORT_MALFORMED and a line', async () => {
    const json = await captureError(() =>
      collect(cycloneDxImporter, streamOf('{"bomFormat": "CycloneDX", "components": [}'), 'b.json'),
    );
    expect(json.code).toBe('IMPORT_MALFORMED');
    expect(json.message).toMatch(/^b\.json: line 1/);
    const xml = await captureError(() =>
      collect(
        cycloneDxImporter,
        streamOf('<bom xmlns="http://cyclonedx.org/schema/bom/1.4">\n<components>\n</bom>'),
        'b.xml',
      ),
    );
    expect(xml.code).toBe('IMPORT_MALFORMED');
    expect(xml.message).toMatch(/^b\.xml: line 3/);
    const other = await captureError(() =>
      collect(cycloneDxImporter, streamOf('{"bomFormat": "SPDX", "specVersion": "1"}'), 'c.json'),
    );
    expect(other.code).toBe('IMPORT_MALFORMED');
  });
});
