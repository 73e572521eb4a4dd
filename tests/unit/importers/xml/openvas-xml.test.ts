import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { openvasXmlImporter } from '../../../../src-main/importers/formats/openvas-xml';
import { normalizedFindingSchema } from '../../../../src-main/importers/types';
import { collect, findingOf, importFixture } from './helpers';

const HOST = { ip: '192.168.1.1001', hostname: 'b6b9f466d63' };

describe('openvas-xml importer: many_vuln.xml (metasploitable scan, GMP 9.0)', () => {
  it('imports 44 results on one host, then the host and the scan', async () => {
    const { records, scans, assets, findings } = await importFixture(
      openvasXmlImporter,
      'openvas_xml/many_vuln.xml',
    );
    expect(findings).toHaveLength(44);
    expect(assets).toEqual([HOST]);
    expect(scans).toEqual([
      {
        scanner: 'OpenVAS',
        scannerVersion: 'GMP 9.0',
        startedAt: '2023-09-26T10:50:34.000Z',
        finishedAt: '2023-09-26T13:04:00.000Z',
      },
    ]);
    // OpenVAS writes the host details after the results: the asset follows the findings.
    expect(records.at(-2)).toEqual({ kind: 'asset', asset: HOST });
    const bySeverity = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    for (const f of findings) bySeverity[f.vulnerability.severity]++;
    expect(bySeverity).toEqual({ info: 0, low: 0, medium: 25, high: 19, critical: 0 });
  });

  it('maps CVE-2014-0224 on 5432/tcp: threat High, CVSS 7.4, NVT oid key', async () => {
    const { findings } = await importFixture(openvasXmlImporter, 'openvas_xml/many_vuln.xml');
    const [ccs] = findings.filter((f) => f.vulnerability.cves.includes('CVE-2014-0224'));
    expect(ccs).toMatchObject({
      format: 'openvas-xml',
      scanner: { name: 'OpenVAS', pluginId: '1.3.6.1.4.1.25623.1.0.105042' },
      asset: HOST,
      port: 5432,
      protocol: 'tcp',
      firstSeen: '2023-09-26T10:50:34.000Z',
    });
    expect(ccs?.vulnerability).toMatchObject({
      key: 'openvas:1.3.6.1.4.1.25623.1.0.105042',
      severity: 'high',
      cvss2: 7.4,
    });
  });

  it('reads installed / fixed version and the install path of jQuery from the result text', async () => {
    const { findings } = await importFixture(openvasXmlImporter, 'openvas_xml/many_vuln.xml');
    const jquery = findingOf(findings, 'openvas:1.3.6.1.4.1.25623.1.0.141636', HOST.ip, 80);
    expect(jquery.vulnerability).toMatchObject({
      title: 'jQuery < 1.9.0 XSS Vulnerability',
      severity: 'medium',
      cves: ['CVE-2012-6708'],
    });
    expect(jquery.component).toEqual({
      name: 'jQuery',
      version: '1.3.2',
      fixedVersion: '1.9.0',
      path: '/mutillidae/javascript/ddsmoothmenu/jquery.min.js',
    });
  });

  it('maps "general/tcp" to a protocol without a port', async () => {
    const { findings } = await importFixture(openvasXmlImporter, 'openvas_xml/many_vuln.xml');
    const eol = findingOf(findings, 'openvas:1.3.6.1.4.1.25623.1.0.103674', HOST.ip);
    expect(eol.port).toBeUndefined();
    expect(eol.protocol).toBe('tcp');
  });
});

describe('openvas-xml importer: other reports', () => {
  it('report_detail_v2.xml (GMP 22.6): CVSS v3.1 from <severities>, 93 CVEs, typed refs, solution', async () => {
    const { findings, assets, scans } = await importFixture(
      openvasXmlImporter,
      'openvas_xml/report_detail_v2.xml',
    );
    expect(assets).toEqual([{ ip: '10.99.99.99', hostname: 'server99' }]);
    expect(scans[0]).toMatchObject({
      scannerVersion: 'GMP 22.6',
      startedAt: '2025-08-22T13:01:38.000Z',
    });
    expect(findings).toHaveLength(1);
    const kb = findings[0]!;
    expect(kb).toMatchObject({ port: 42, protocol: 'tcp', asset: { hostname: 'server99' } });
    expect(kb.vulnerability).toMatchObject({
      title: 'Microsoft Windows Multiple Vulnerabilities (KB5062557)',
      severity: 'high',
      cvss3: 9.8,
      cvss3Vector: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
    expect(kb.vulnerability.cvss2).toBeUndefined();
    expect(kb.vulnerability.cves).toHaveLength(93);
    expect(kb.vulnerability.cves).toContain('CVE-2025-49757');
    expect(kb.vulnerability.references).toEqual([
      'https://support.microsoft.com/en-us/help/5062557',
      'CERT-BUND:WID-SEC-2025-1850',
      'CERT-BUND:WID-SEC-2025-1790',
      'CERT-BUND:WID-SEC-2025-1495',
      'DFN-CERT:DFN-CERT-2025-2181',
      'DFN-CERT:DFN-CERT-2025-1825',
    ]);
    expect(kb.solution).toBe(
      'The vendor has released updates. Please see\nthe references for more information.',
    );
    expect(kb.evidence).toContain('File version:      10.0.17763.7434');
  });

  it('one_vuln.xml: the Firefox update with its component and the solution from the NVT tags', async () => {
    const { findings } = await importFixture(openvasXmlImporter, 'openvas_xml/one_vuln.xml');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({
      asset: { ip: '10.0.101.2' },
      component: {
        name: 'Mozilla Firefox',
        version: '116.0.3',
        fixedVersion: '117',
        path: 'C:\\Program Files\\Mozilla Firefox',
      },
      solution: 'Upgrade to version 117 or later,\nPlease see the references for more information.',
    });
    expect(findings[0]?.vulnerability.cves).toHaveLength(12);
  });

  it('no_vuln.xml: no results, no hosts, only the scan', async () => {
    const { records } = await importFixture(openvasXmlImporter, 'openvas_xml/no_vuln.xml');
    expect(records).toEqual([
      {
        kind: 'scan',
        scan: {
          scanner: 'OpenVAS',
          scannerVersion: 'GMP 9.0',
          startedAt: '2023-09-25T10:46:09.000Z',
          finishedAt: '2023-09-25T10:54:26.000Z',
        },
      },
    ]);
  });
});

describe('openvas-xml importer: layouts the fixtures lack', () => {
  const report = `<get_reports_response status="200" status_text="OK">
<report id="r1" format_id="a994b278-1f62-11e1-96ac-406186ea4fc5" extension="xml">
<report id="r1"><omp><version>7.0</version></omp>
<scan_start>2024-01-02T03:04:05Z</scan_start>
<ports start="1" max="-1"><port>22/tcp<host>10.0.0.5</host></port></ports>
<results start="1" max="-1">
<result id="a"><name>openssl update</name><host>10.0.0.5</host><port>package</port>
<nvt oid="1.3.6.1.4.1.25623.1.1.2.2023.1"><name>Ubuntu: Security Advisory (USN-6119-1)</name>
<cvss_base>7.5</cvss_base><cve>CVE-2023-2650, CVE-2023-1255</cve>
<xref>URL:https://ubuntu.com/security/notices/USN-6119-1, CERT-BUND:WID-SEC-2023-1350</xref>
<tags>cvss_base_vector=AV:N/AC:L/Au:N/C:N/I:N/A:P|solution=Please install the updated package(s).|solution_type=VendorFix</tags></nvt>
<threat>High</threat><severity>7.5</severity>
<description>
Vulnerable package: openssl
Installed version:  openssl-1.1.1f-1ubuntu2.16
Fixed version:      >=openssl-1.1.1f-1ubuntu2.19
</description></result>
<result id="b"><name>ignored</name><host>10.0.0.5</host><port>22/tcp</port>
<nvt oid="1.2.3"><name>Marked false positive</name></nvt><threat>False Positive</threat><severity>-1.0</severity></result>
<result id="c"><name>SSH banner</name><host>10.0.0.6</host><port>ssh (22/tcp)</port>
<nvt oid="1.2.4"><name>SSH Server type and version</name></nvt><severity>0.0</severity>
<detection><result id="d"><details><detail><name>product</name><value>cpe:/a:openbsd:openssh:8.2p1</value></detail></details></result></detection>
<description>Installed version: 8.2p1
Fixed version: 9.3</description></result>
</results>
<host><ip>10.0.0.5</ip><start>2024-01-02T03:04:06Z</start><end>2024-01-02T04:00:00Z</end>
<detail><name>hostname</name><value>web01.example.org</value><source><name>1.2.5</name></source></detail>
<detail><name>best_os_txt</name><value>Ubuntu 20.04</value></detail>
<detail><name>MAC</name><value>52-54-00-12-34-56</value></detail></host>
<scan_end>2024-01-02T04:00:01Z</scan_end>
</report></report></get_reports_response>`;

  it('reads OMP 7 cve/xref lists, v2 vectors, LSC packages, host details and result-only hosts', async () => {
    const { records, findings, assets, scans, notes } = await collect(
      openvasXmlImporter.parse(Readable.from([report]), { fileName: 'gmp.xml' }),
    );
    for (const f of findings) normalizedFindingSchema.parse(f);
    expect(findings).toHaveLength(2);
    const [usn, ssh] = findings;
    expect(usn?.vulnerability).toMatchObject({
      cves: ['CVE-2023-2650', 'CVE-2023-1255'],
      references: ['https://ubuntu.com/security/notices/USN-6119-1', 'CERT-BUND:WID-SEC-2023-1350'],
      severity: 'high',
      cvss2: 7.5,
    });
    expect(usn?.vulnerability.cvss3).toBeUndefined();
    expect(usn).toMatchObject({
      solution: 'Please install the updated package(s).',
      component: {
        name: 'openssl',
        version: '1.1.1f-1ubuntu2.16',
        fixedVersion: '1.1.1f-1ubuntu2.19',
      },
      firstSeen: '2024-01-02T03:04:05.000Z',
    });
    expect(usn?.port).toBeUndefined();
    expect(ssh).toMatchObject({
      port: 22,
      protocol: 'tcp',
      service: 'ssh',
      vulnerability: { severity: 'info' },
      component: { name: 'openssh', version: '8.2p1', fixedVersion: '9.3' },
    });
    expect(assets).toEqual([
      {
        ip: '10.0.0.5',
        hostname: 'web01.example.org',
        os: 'Ubuntu 20.04',
        mac: '52:54:00:12:34:56',
      },
      { ip: '10.0.0.6' },
    ]);
    expect(scans).toEqual([
      {
        scanner: 'OpenVAS',
        scannerVersion: 'GMP 7.0',
        startedAt: '2024-01-02T03:04:05.000Z',
        finishedAt: '2024-01-02T04:00:01.000Z',
      },
    ]);
    expect(notes).toEqual(['gmp.xml: 1 result(s) marked False Positive or Error were skipped.']);
    expect(records.at(-1)?.kind).toBe('scan');
  });
});
