import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { qualysXmlImporter } from '../../../../src-main/importers/formats/qualys-xml';
import { normalizedFindingSchema } from '../../../../src-main/importers/types';
import { collect, findingOf, importFixture } from './helpers';

describe('qualys-xml importer: Qualys_Sample_Report.xml (ASSET_DATA_REPORT)', () => {
  it('emits the scan, 7 hosts with detections, the no-results host and 301 detections', async () => {
    const { scans, assets, findings, notes } = await importFixture(
      qualysXmlImporter,
      'qualys_xml/Qualys_Sample_Report.xml',
    );
    expect(scans).toEqual([
      { scanner: 'Qualys', policy: 'All confirmed and Information Vulnerabilities 1-5' },
    ]);
    expect(assets.map((a) => a.ip)).toEqual([
      '64.41.200.243',
      '64.41.200.244',
      '64.41.200.245',
      '64.41.200.247',
      '64.41.200.246',
      '64.41.200.249',
      '64.41.200.250',
      // APPENDICES/NO_RESULTS: scanned, nothing found; still covered.
      '64.41.200.248',
    ]);
    expect(assets[3]).toEqual({
      ip: '64.41.200.247',
      hostname: 'TRN-WIN7',
      fqdn: 'trn-win7.trn.qualys.com',
      os: 'Windows 2008 R2/7',
    });
    expect(findings).toHaveLength(301);
    expect(notes).toEqual([
      'Qualys_Sample_Report.xml: <RESULT> text longer than 65536 characters was cut to that length.',
    ]);
    const bySeverity = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    for (const f of findings) bySeverity[f.vulnerability.severity]++;
    expect(bySeverity).toEqual({ info: 217, low: 39, medium: 32, high: 6, critical: 7 });
  });

  it('joins the glossary: Heartbleed (QID 42430) on 64.41.200.250:443 is severity 4 = high', async () => {
    const { findings } = await importFixture(
      qualysXmlImporter,
      'qualys_xml/Qualys_Sample_Report.xml',
    );
    const heartbleed = findingOf(findings, 'qualys:42430', '64.41.200.250', 443);
    expect(heartbleed).toMatchObject({
      format: 'qualys-xml',
      scanner: { name: 'Qualys', pluginId: '42430' },
      protocol: 'tcp',
      service: 'http over ssl',
      firstSeen: '2019-07-31T22:15:32.000Z',
      lastSeen: '2019-07-31T22:15:32.000Z',
    });
    expect(heartbleed.vulnerability).toMatchObject({
      title: expect.stringMatching(/^OpenSSL Memory Leak Vulnerability \(Heartbleed/),
      severity: 'high',
      cves: ['CVE-2014-0160'],
    });
    expect(heartbleed.solution).toMatch(/^Update to Version 1\.0\.1g/);
    expect(heartbleed.asset).toMatchObject({
      ip: '64.41.200.250',
      os: 'Ubuntu / Tiny Core Linux / Linux 2.6.x',
    });
  });

  it('reads CVSS base scores and vectors "9.0 (AV:N/...)" of QID 370876', async () => {
    const { findings } = await importFixture(
      qualysXmlImporter,
      'qualys_xml/Qualys_Sample_Report.xml',
    );
    const amd = findingOf(findings, 'qualys:370876', '64.41.200.243');
    expect(amd.vulnerability).toMatchObject({
      severity: 'high',
      cvss2: 9.3,
      cvss3: 9,
      cvss3Vector: 'AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H',
    });
    // Every CVE of the QID's CVE_ID_LIST, not only the first.
    expect(amd.vulnerability.cves).toHaveLength(7);
    expect(amd.vulnerability.cves).toContain('CVE-2018-8936');
    expect(amd.vulnerability.references).toContain(
      'https://community.amd.com/community/amd-corporate/blog/2018/03/21/initial-amd-technical-assessment-of-cts-labs-research',
    );
    expect(amd).toMatchObject({
      firstSeen: '2020-10-15T12:16:23.000Z',
      lastSeen: '2021-04-19T02:35:28.000Z',
    });
    // Information gathered (TYPE Ig) is info whatever its level.
    expect(findingOf(findings, 'qualys:6', '64.41.200.243').vulnerability.severity).toBe('info');
  });

  it('empty.xml: the scan only, no hosts and no findings', async () => {
    const { records } = await importFixture(qualysXmlImporter, 'qualys_xml/empty.xml');
    expect(records).toEqual([
      { kind: 'scan', scan: { scanner: 'Qualys', policy: 'Report Template1' } },
    ]);
  });
});

describe('qualys-xml importer: layouts the fixtures lack', () => {
  const report = `<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE ASSET_DATA_REPORT SYSTEM "https://qualysguard.qualys.eu/asset_data_report.dtd">
<ASSET_DATA_REPORT><HEADER><TEMPLATE><![CDATA[Patch report]]></TEMPLATE></HEADER>
<HOST_LIST><HOST><IP>10.1.0.7</IP><DNS><![CDATA[db7]]></DNS><OPERATING_SYSTEM><![CDATA[CentOS 7.9]]></OPERATING_SYSTEM>
<VULN_INFO_LIST>
<VULN_INFO><QID id="qid_256003">256003</QID><TYPE>Vuln</TYPE>
<RESULT format="table"><![CDATA[Package\tInstalled Version\tRequired Version
openssl\t1:1.0.2k-19.el7\t1:1.0.2k-21.el7_9
openssl-libs\t1:1.0.2k-19.el7\t1:1.0.2k-21.el7_9]]></RESULT>
<FIRST_FOUND>2021-01-01T00:00:00Z</FIRST_FOUND><LAST_FOUND>2021-02-01T00:00:00Z</LAST_FOUND></VULN_INFO>
<VULN_INFO><QID id="qid_999999">999999</QID><TYPE>Vuln</TYPE></VULN_INFO>
</VULN_INFO_LIST></HOST></HOST_LIST>
<GLOSSARY><VULN_DETAILS_LIST><VULN_DETAILS id="qid_256003"><QID id="qid_256003">256003</QID>
<TITLE><![CDATA[CentOS Security Update for openssl (CESA-2020:5566)]]></TITLE><SEVERITY>4</SEVERITY>
<SOLUTION><![CDATA[To resolve this issue, upgrade to the latest packages.<P>Refer to <A HREF="https://lists.centos.org/x">CESA-2020:5566</A>]]></SOLUTION>
<CVSS3_SCORE><CVSS3_BASE>5.9 (AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H)</CVSS3_BASE></CVSS3_SCORE>
<CVE_ID_LIST><CVE_ID><ID><![CDATA[CVE-2020-1971]]></ID><URL><![CDATA[http://cve.mitre.org/x]]></URL></CVE_ID></CVE_ID_LIST>
</VULN_DETAILS></VULN_DETAILS_LIST></GLOSSARY>
<APPENDICES><NO_RESULTS><IP_LIST><RANGE><START>10.1.0.1</START><END>10.1.0.3</END></RANGE>
<RANGE><START>10.2.0.0</START><END>10.2.255.255</END></RANGE><IP>10.1.0.9</IP></IP_LIST></NO_RESULTS></APPENDICES>
</ASSET_DATA_REPORT>`;

  it('joins late glossary entries, reads the package table and expands no-results ranges', async () => {
    const { assets, findings, notes } = await collect(
      qualysXmlImporter.parse(Readable.from([report]), { fileName: 'adr.xml' }),
    );
    for (const f of findings) normalizedFindingSchema.parse(f);
    expect(assets.map((a) => a.ip)).toEqual([
      '10.1.0.7',
      '10.1.0.1',
      '10.1.0.2',
      '10.1.0.3',
      '10.1.0.9',
    ]);
    expect(assets[0]).toEqual({ ip: '10.1.0.7', hostname: 'db7', os: 'CentOS 7.9' });
    const [update, unknown] = findings;
    expect(update).toMatchObject({
      vulnerability: {
        key: 'qualys:256003',
        severity: 'high',
        cves: ['CVE-2020-1971'],
        cvss3: 5.9,
        cvss3Vector: 'AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H',
        references: [],
      },
      component: { name: 'openssl', version: '1:1.0.2k-19.el7', fixedVersion: '1:1.0.2k-21.el7_9' },
      solution: 'To resolve this issue, upgrade to the latest packages.\nRefer to CESA-2020:5566',
      firstSeen: '2021-01-01T00:00:00.000Z',
      lastSeen: '2021-02-01T00:00:00.000Z',
    });
    expect(unknown?.vulnerability).toMatchObject({ title: 'QID 999999', severity: 'info' });
    expect(notes).toEqual([
      'adr.xml: the no-results range 10.2.0.0-10.2.255.255 was not expanded into assets.',
      'adr.xml: 1 detection(s) reference QIDs missing from the glossary; imported with title "QID <n>" and severity info.',
    ]);
  });
});
