import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nessusImporter } from '../../../../src-main/importers/formats/nessus';
import { normalizedFindingSchema } from '../../../../src-main/importers/types';
import { collect, findingOf, importFixture } from './helpers';

describe('nessus importer: nessus_with_cvssv3.nessus (one web host, 49 plugins)', () => {
  it('reports the scan, the host and every ReportItem', async () => {
    const { scans, assets, findings, notes } = await importFixture(
      nessusImporter,
      'nessus_xml/nessus_with_cvssv3.nessus',
    );
    expect(scans).toEqual([
      {
        scanner: 'Nessus',
        scannerVersion: '10.1.1',
        startedAt: '2022-03-23T13:31:51.000Z',
        finishedAt: '2022-03-23T14:07:52.000Z',
        policy: 'Basic Network Scan',
      },
    ]);
    expect(assets).toEqual([
      {
        ip: '44.228.249.3',
        hostname: 'testphp.vulnweb.com',
        fqdn: 'testphp.vulnweb.com',
        os: 'Linux Kernel 2.6',
      },
    ]);
    expect(findings).toHaveLength(49);
    // The policy's 64 KiB+ plugin_set is skipped, not truncated with a note.
    expect(notes).toEqual([]);
  });

  it('maps plugin 31649 on 80/tcp: severity 3 = high, CVEs, CWEs, CVSS2 and the PHP component', async () => {
    const { findings } = await importFixture(
      nessusImporter,
      'nessus_xml/nessus_with_cvssv3.nessus',
    );
    const php = findingOf(findings, 'nessus:31649', '44.228.249.3', 80);
    expect(php).toMatchObject({
      format: 'nessus',
      scanner: { name: 'Nessus', pluginId: '31649' },
      protocol: 'tcp',
      service: 'www',
      solution: 'Upgrade to PHP version 5.2.0 or later.',
      firstSeen: '2022-03-23T13:31:51.000Z',
      lastSeen: '2022-03-23T14:07:52.000Z',
      component: { name: 'PHP', version: '5.1.6', fixedVersion: '5.2' },
    });
    expect(php.vulnerability).toMatchObject({
      title: 'PHP 5.x < 5.2 Multiple Vulnerabilities',
      severity: 'high',
      cvss2: 7.5,
      cwes: ['CWE-94', 'CWE-119', 'CWE-399'],
    });
    expect(php.vulnerability.cves).toHaveLength(15);
    expect(php.vulnerability.cves).toContain('CVE-2006-1015');
    expect(php.vulnerability.references).toContain('http://www.php.net/releases/5_2_0.php');
    expect(php.evidence).toContain('Installed version : 5.1.6');
  });

  it('keeps CVSS v3 score and vector, and the scanner severity over the score', async () => {
    const { findings } = await importFixture(
      nessusImporter,
      'nessus_xml/nessus_with_cvssv3.nessus',
    );
    expect(findingOf(findings, 'nessus:40984', '44.228.249.3', 80).vulnerability).toMatchObject({
      severity: 'medium',
      cvss3: 5.3,
      cvss3Vector: 'CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:L/I:N/A:N',
      cvss2: 5,
    });
    // Plugin 58987 appears twice (two PHP installs): severity 4 = critical.
    const unsupported = findings.filter((f) => f.vulnerability.key === 'nessus:58987');
    expect(unsupported.map((f) => f.vulnerability.severity)).toEqual(['critical', 'critical']);
    expect(unsupported.map((f) => f.component?.version)).toEqual([
      '5.6.40-38+ubuntu20.04.1+deb.sury.org+1',
      '5.1.6',
    ]);
  });

  it('omits the port of port-0 ("general") items but keeps the protocol', async () => {
    const { findings } = await importFixture(
      nessusImporter,
      'nessus_xml/nessus_with_cvssv3.nessus',
    );
    const scanInfo = findingOf(findings, 'nessus:19506', '44.228.249.3');
    expect(scanInfo.port).toBeUndefined();
    expect(scanInfo.service).toBeUndefined();
    expect(scanInfo.protocol).toBe('tcp');
    expect(scanInfo.vulnerability.severity).toBe('info');
    expect(scanInfo.evidence).toMatch(
      /^Information about this scan :\n\nNessus version : 10\.1\.1\n/,
    );
  });
});

describe('nessus importer: nessus_v_unknown.xml (7 Windows hosts, Nessus 5.2.1)', () => {
  it('emits one asset per ReportHost with ip, NetBIOS name, fqdn, MAC and OS', async () => {
    const { scans, assets, findings } = await importFixture(
      nessusImporter,
      'nessus_xml/nessus_v_unknown.xml',
    );
    expect(assets).toHaveLength(7);
    expect(assets[0]).toEqual({
      ip: '10.31.112.29',
      hostname: 'QA3APP09',
      fqdn: 'qa3app09',
      mac: '00:50:56:81:01:e3',
      os: 'Microsoft Windows Server 2008 R2 Standard Service Pack 1',
    });
    expect(findings).toHaveLength(296);
    expect(scans).toEqual([
      {
        scanner: 'Nessus',
        scannerVersion: '5.2.1',
        // HOST_START "Mon Jul  1 11:33:11 2013" has no zone: read as UTC.
        startedAt: '2013-07-01T11:33:11.000Z',
        finishedAt: '2013-07-01T11:54:48.000Z',
        policy: 'Internal Network Scan',
      },
    ]);
  });

  it('reports CVE-2005-1794 (plugin 18405) as medium on 3389/tcp of every host', async () => {
    const { findings } = await importFixture(nessusImporter, 'nessus_xml/nessus_v_unknown.xml');
    const rdp = findings.filter((f) => f.vulnerability.cves.includes('CVE-2005-1794'));
    expect(rdp.map((f) => f.asset.ip)).toEqual([
      '10.31.112.29',
      '10.31.112.26',
      '10.31.112.25',
      '10.31.112.24',
      '10.31.112.23',
      '10.31.112.22',
      '10.31.112.21',
    ]);
    const first = findingOf(findings, 'nessus:18405', '10.31.112.29', 3389);
    expect(first).toMatchObject({ protocol: 'tcp', service: 'msrdp' });
    expect(first.vulnerability).toMatchObject({ severity: 'medium', cvss2: 5.1 });
    const counts = { info: 0, low: 0, medium: 0, high: 0, critical: 0 };
    for (const f of findings) counts[f.vulnerability.severity]++;
    expect(counts).toEqual({ info: 266, low: 7, medium: 23, high: 0, critical: 0 });
  });
});

describe('nessus importer: local checks and hosts the fixtures lack', () => {
  const report = `<?xml version="1.0" ?>
<NessusClientData_v2><Report name="lsc" xmlns:cm="http://www.nessus.org/cm">
<ReportHost name="10.9.8.7"><HostProperties>
<tag name="HOST_START_TIMESTAMP">1700000000</tag><tag name="HOST_START">Tue Nov 14 22:13:20 2023</tag>
<tag name="HOST_END_TIMESTAMP">1700000600</tag>
<tag name="mac-address">00:50:56:aa:bb:cc
00:50:56:aa:bb:cd</tag>
<tag name="netbios-name">UBU01</tag><tag name="operating-system">Linux Kernel 5.4 on Ubuntu 20.04</tag>
</HostProperties>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="3" pluginID="176367" pluginName="Ubuntu 20.04 LTS : OpenSSL vulnerabilities (USN-6119-1)" pluginFamily="Ubuntu Local Security Checks">
<cvss3_base_score>7.5</cvss3_base_score><cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H</cvss3_vector>
<cve>CVE-2023-2650</cve><cve>cve-2023-2650</cve><xref>USN:6119-1</xref>
<plugin_output>
  - Installed package : libssl1.1_1.1.1f-1ubuntu2.17
  - Fixed package     : libssl1.1_1.1.1f-1ubuntu2.19
</plugin_output></ReportItem>
</ReportHost>
<ReportHost name="rhel7.example.org"><HostProperties><tag name="host-ip">10.9.8.8</tag></HostProperties>
<ReportItem port="0" svc_name="general" protocol="tcp" severity="2" pluginID="144504" pluginName="CentOS 7 : openssl (CESA-2020:5566)" pluginFamily="CentOS Local Security Checks">
<plugin_output>
Remote package installed : openssl-libs-1.0.2k-19.el7
Should be                : openssl-libs-1.0.2k-21.el7_9
</plugin_output></ReportItem>
</ReportHost>
<ReportHost name="10.9.8.9"><HostProperties><tag name="HOST_END">Tue Nov 14 22:20:00 2023</tag></HostProperties></ReportHost>
</Report></NessusClientData_v2>`;

  it('extracts Debian and rpm components and covers hosts without items', async () => {
    const { assets, findings, scans } = await collect(
      nessusImporter.parse(Readable.from([report]), { fileName: 'lsc.nessus' }),
    );
    for (const f of findings) normalizedFindingSchema.parse(f);
    expect(assets).toEqual([
      {
        ip: '10.9.8.7',
        hostname: 'UBU01',
        mac: '00:50:56:aa:bb:cc',
        os: 'Linux Kernel 5.4 on Ubuntu 20.04',
      },
      { ip: '10.9.8.8', hostname: 'rhel7.example.org', fqdn: 'rhel7.example.org' },
      { ip: '10.9.8.9' },
    ]);
    expect(findings[0]).toMatchObject({
      vulnerability: {
        key: 'nessus:176367',
        severity: 'high',
        cves: ['CVE-2023-2650'],
        cvss3: 7.5,
        references: ['USN:6119-1'],
      },
      component: {
        name: 'libssl1.1',
        version: '1.1.1f-1ubuntu2.17',
        fixedVersion: '1.1.1f-1ubuntu2.19',
      },
      firstSeen: '2023-11-14T22:13:20.000Z',
      lastSeen: '2023-11-14T22:23:20.000Z',
    });
    expect(findings[1]?.component).toEqual({
      name: 'openssl-libs',
      version: '1.0.2k-19.el7',
      fixedVersion: '1.0.2k-21.el7_9',
    });
    expect(scans).toEqual([
      {
        scanner: 'Nessus',
        startedAt: '2023-11-14T22:13:20.000Z',
        finishedAt: '2023-11-14T22:23:20.000Z',
      },
    ]);
  });
});
