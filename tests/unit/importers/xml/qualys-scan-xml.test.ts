import { describe, expect, it } from 'vitest';
import { qualysScanXmlImporter } from '../../../../src-main/importers/formats/qualys-scan-xml';
import { findingOf, importFixture } from './helpers';

describe('qualys-scan-xml importer', () => {
  it('qualys_infrascan_webgui_multiple.xml: two hosts, 12 QIDs each, scan times from DATE + DURATION', async () => {
    const { scans, assets, findings } = await importFixture(
      qualysScanXmlImporter,
      'qualys_scan_xml/qualys_infrascan_webgui_multiple.xml',
    );
    expect(scans).toEqual([
      {
        scanner: 'Qualys',
        startedAt: '2019-04-02T10:14:53.000Z',
        finishedAt: '2019-04-02T14:44:04.000Z',
        policy: 'Option Profile',
      },
    ]);
    expect(assets).toEqual([
      {
        ip: '10.1.10.1',
        hostname: 'host1.example.com',
        fqdn: 'host1.example.com',
        os: 'Ubuntu 11',
      },
      {
        ip: '10.2.10.2',
        hostname: 'host2.example.com',
        fqdn: 'host2.example.com',
        os: 'Ubuntu 11',
      },
    ]);
    expect(findings).toHaveLength(24);
    expect(findings.filter((f) => f.asset.ip === '10.2.10.2')).toHaveLength(12);
  });

  it('maps VULN 123168 (severity 5 = critical) with the cveid list and CVSS v2 / v3', async () => {
    const { findings } = await importFixture(
      qualysScanXmlImporter,
      'qualys_scan_xml/qualys_infrascan_webgui_multiple.xml',
    );
    const java = findingOf(findings, 'qualys:123168', '10.1.10.1');
    expect(java.vulnerability).toMatchObject({
      title: 'Oracle Java SE Critical Patch Update - January 2015',
      severity: 'critical',
      cvss2: 10,
      cvss3: 3.4,
    });
    expect(java.vulnerability.cves).toHaveLength(19);
    expect(java.vulnerability.cves).toContain('CVE-2014-3566');
    expect(java.vulnerability.references).toContain('http://www.securityfocus.com/bid/72137');
    expect(java).toMatchObject({
      evidence: 'some output',
      solution: 'some solution',
      firstSeen: '2019-04-02T10:14:53.000Z',
    });
    // PRACTICE (potential vulnerability) keeps its level; INFO and SERVICE are info.
    expect(findingOf(findings, 'qualys:124848', '10.1.10.1').vulnerability).toMatchObject({
      severity: 'critical',
      cvss3: 8.1,
      cves: ['CVE-2016-0636'],
    });
    expect(findingOf(findings, 'qualys:42017', '10.1.10.1').vulnerability.severity).toBe('info');
    expect(findingOf(findings, 'qualys:82023', '10.1.10.1').vulnerability.severity).toBe('info');
    expect(findingOf(findings, 'qualys:82024', '10.1.10.1').vulnerability.severity).toBe('low');
    // "N/A" and "Not  applicable." are no solution.
    expect(findingOf(findings, 'qualys:82063', '10.1.10.1').solution).toBeUndefined();
    expect(findingOf(findings, 'qualys:45304', '10.1.10.1').solution).toBeUndefined();
  });

  it('qualys_infrascan_webgui_0.xml: a scanned host without findings is still an asset', async () => {
    const { assets, findings } = await importFixture(
      qualysScanXmlImporter,
      'qualys_scan_xml/qualys_infrascan_webgui_0.xml',
    );
    expect(assets).toEqual([
      {
        ip: '10.1.10.1',
        hostname: 'host1.example.com',
        fqdn: 'host1.example.com',
        os: 'Ubuntu 11',
      },
    ]);
    expect(findings).toEqual([]);
  });
});
