import { describe, expect, it } from 'vitest';
import { nessusCsvImporter } from '../../../../src-main/importers/formats/nessus-csv';
import { nessusWasCsvImporter } from '../../../../src-main/importers/formats/nessus-was-csv';
import { openvasCsvImporter } from '../../../../src-main/importers/formats/openvas-csv';
import { qualysCsvImporter } from '../../../../src-main/importers/formats/qualys-csv';
import { tenableScCsvImporter } from '../../../../src-main/importers/formats/tenable-sc-csv';
import { tenableVmCsvImporter } from '../../../../src-main/importers/formats/tenable-vm-csv';
import { MAX_FIELD_CHARS } from '../../../../src-main/importers/types';
import { collect, findingsWithKey, importFixture, streamOf } from './helpers';

describe('nessus-csv', () => {
  it('imports the Nessus template export: 2 hosts, 5 findings, rejected x10 scores', async () => {
    const result = await importFixture(nessusCsvImporter, 'nessus_csv', 'nessus-template.csv');
    expect(result.scans).toEqual([{ scanner: 'Nessus' }]);
    expect(result.assets).toEqual([{ ip: '192.168.0.100' }, { ip: '192.168.0.101' }]);
    expect(result.findings).toHaveLength(5);
    const [php] = findingsWithKey(result, 'nessus:200162');
    expect(php).toMatchObject({
      format: 'nessus-csv',
      scanner: { name: 'Nessus', pluginId: '200162' },
      asset: { ip: '192.168.0.101' },
      port: 8080,
      protocol: 'tcp',
      vulnerability: { cves: ['CVE-2024-4577'], severity: 'critical' },
    });
    // This export writes 100 for 10.0: out of range, ignored with a note naming the line.
    expect(php?.vulnerability.cvss2).toBeUndefined();
    expect(result.notes).toContain(
      'nessus-template.csv: line 85: CVSS v2.0 Base Score "100" is not a CVSS score from 0 to 10; ignored.',
    );
    const [trace] = findingsWithKey(result, 'nessus:11213');
    expect(trace?.vulnerability.cwes).toEqual(['CWE-16', 'CWE-200']);
    expect(trace?.vulnerability.references).toContain('http://www.apacheweek.com/issues/03-01-24');
  });

  it('merges the repeated rows of a plugin on the same port (30 rows, 29 findings)', async () => {
    const result = await importFixture(
      nessusCsvImporter,
      'nessus_csv',
      'nessus_many_vuln2-all.csv',
    );
    expect(result.assets).toEqual([{ ip: '52.208.101.182' }]);
    expect(result.findings).toHaveLength(29);
    const serviceDetection = findingsWithKey(result, 'nessus:22964');
    expect(serviceDetection.map((f) => f.port)).toEqual([80, 443]);
    const [tls10] = findingsWithKey(result, 'nessus:104743');
    expect(tls10).toMatchObject({
      port: 443,
      vulnerability: {
        severity: 'medium',
        cvss2: 6.1,
        cvss3: 6.5,
        title: 'TLS Version 1.0 Protocol Detection',
      },
      evidence: 'TLSv1 is enabled and the server supports at least one cipher.',
    });
    const [weakHash] = findingsWithKey(result, 'nessus:95631');
    expect(weakHash?.vulnerability).toMatchObject({ cves: ['CVE-2004-2761'], severity: 'info' });
  });

  it('reads the default column set the same way', async () => {
    const all = await importFixture(nessusCsvImporter, 'nessus_csv', 'nessus_many_vuln2-all.csv');
    const slim = await importFixture(
      nessusCsvImporter,
      'nessus_csv',
      'nessus_many_vuln2-default.csv',
    );
    expect(slim.findings.map((f) => f.vulnerability.key)).toEqual(
      all.findings.map((f) => f.vulnerability.key),
    );
  });

  it('cuts a plugin output longer than MAX_FIELD_CHARS and says so', async () => {
    const huge = 'x'.repeat(MAX_FIELD_CHARS + 500);
    const csv = `Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name,Plugin Output\n1,,,Low,10.0.0.1,tcp,22,Big,"${huge}"\n`;
    const result = await collect(nessusCsvImporter, streamOf(csv), 'big.csv');
    expect(result.findings[0]?.evidence).toHaveLength(MAX_FIELD_CHARS);
    expect(result.notes).toEqual([
      `big.csv: line 2 (nessus:1): evidence was cut to ${MAX_FIELD_CHARS} characters.`,
    ]);
  });

  it('merges one-row-per-CVE rows and extracts the Debian package from the output', async () => {
    const output =
      '\n  - Installed package : openssl_1.1.1f-1ubuntu2.16\n    Fixed package     : openssl_1.1.1f-1ubuntu2.17\n';
    const row = (cve: string) =>
      `158000,${cve},5.0,Medium,srv1.example.org,tcp,0,Ubuntu : OpenSSL,"${output}"`;
    const csv = [
      'Plugin ID,CVE,CVSS,Risk,Host,Protocol,Port,Name,Plugin Output',
      row('CVE-2022-0778'),
      row('CVE-2022-1292'),
      row('cve-2022-2068'),
      '158001,,,Low,srv1.example.org,tcp,0,Other,',
    ].join('\r\n');
    const result = await collect(nessusCsvImporter, streamOf(csv, 7), 'merge.csv');
    expect(result.assets).toEqual([{ fqdn: 'srv1.example.org' }]);
    expect(result.findings).toHaveLength(2);
    expect(result.findings[0]).toMatchObject({
      port: 0,
      vulnerability: { cves: ['CVE-2022-0778', 'CVE-2022-1292', 'CVE-2022-2068'] },
      component: {
        name: 'openssl',
        version: '1.1.1f-1ubuntu2.16',
        fixedVersion: '1.1.1f-1ubuntu2.17',
      },
    });
  });
});

describe('tenable-sc-csv', () => {
  it('imports 4 findings on 2 hosts and skips the padding rows', async () => {
    const result = await importFixture(
      tenableScCsvImporter,
      'tenable_sc_csv',
      'nessus_many_vuln.csv',
    );
    expect(result.scans).toEqual([{ scanner: 'Tenable Security Center' }]);
    expect(result.assets).toEqual([{ ip: '10.1.1.1' }, { ip: '10.2.1.1' }]);
    expect(result.findings).toHaveLength(4);
    const [rc4] = findingsWithKey(result, 'nessus:65821');
    expect(rc4).toMatchObject({
      asset: { ip: '10.2.1.1' },
      port: 443,
      protocol: 'tcp',
      vulnerability: {
        cves: ['CVE-2013-2566', 'CVE-2015-2808'],
        severity: 'medium',
        cvss3: 5.9,
        cvss2: 4.3,
      },
      firstSeen: '2021-01-05T10:24:08',
    });
    const [weakHash] = findingsWithKey(result, 'nessus:35291');
    expect(weakHash?.vulnerability.cwes).toEqual(['CWE-310']);
    expect(weakHash?.evidence?.startsWith('The following certificates')).toBe(true);
  });

  it('keeps NetBIOS names without their domain and UTC dates as UTC', async () => {
    const result = await importFixture(tenableScCsvImporter, 'tenable_sc_csv', 'issue_9612.csv');
    expect(result.assets).toEqual([
      { ip: '2.3.4.5', hostname: 'ECODARCHDB', mac: '9c:8e:99:1b:8b:dc' },
      { ip: '1.2.3.4', hostname: 'ECODARCHDB', mac: '9c:8e:99:1b:8b:dc' },
    ]);
    expect(result.findings.map((f) => [f.asset.ip, f.port, f.vulnerability.severity])).toEqual([
      ['2.3.4.5', 1433, 'critical'],
      ['2.3.4.5', 5555, 'critical'],
      ['1.2.3.4', 1433, 'critical'],
    ]);
    expect(result.findings[0]).toMatchObject({
      vulnerability: { cvss3: 10, cvss3Vector: 'AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H' },
      firstSeen: '2024-02-05T21:01:08Z',
      lastSeen: '2024-02-19T21:01:01Z',
    });
    // The affected application from the plugin text; "no longer supported" is no version.
    expect(result.findings[0]?.component).toEqual({
      name: 'Microsoft SQL Server',
      version: '10.50.6560.0',
    });
  });

  it('reads the "Steps to Remediate" variant', async () => {
    const result = await importFixture(tenableScCsvImporter, 'tenable_sc_csv', 'issue_11102.csv');
    expect(result.findings).toHaveLength(3);
    expect(result.findings[0]?.solution).toMatch(/^Reconfigure the affected application/);
    expect(result.findings.every((f) => f.vulnerability.cves.includes('CVE-2016-2183'))).toBe(true);
  });
});

describe('tenable-vm-csv', () => {
  it('imports the vulnerability export and merges the 10 mariadb CVE rows', async () => {
    const result = await importFixture(
      tenableVmCsvImporter,
      'tenable_vm_csv',
      'tenable_many_vuln.csv',
    );
    expect(result.scans).toEqual([{ scanner: 'Tenable Vulnerability Management' }]);
    expect(result.assets).toHaveLength(3);
    expect(result.assets[0]).toEqual({
      ip: '127.0.0.1',
      fqdn: 'ip-127-0-0-1.us-west-2.compute.internal',
      os: 'Linux Kernel 4.14.313-235.533.amzn2.x86_64 on Amazon Linux 2',
    });
    expect(result.findings).toHaveLength(9);
    const [mariadb] = findingsWithKey(result, 'nessus:176703');
    expect(mariadb?.vulnerability.cves).toHaveLength(10);
    expect(mariadb).toMatchObject({
      asset: { ip: '127.0.0.1' },
      vulnerability: { severity: 'high', cvss3: 7.5, cvss2: 5 },
      component: {
        name: 'mariadb-libs',
        version: '5.5.68-1.amzn2',
        fixedVersion: '5.5.68-1.amzn2.0.1',
      },
      firstSeen: '2023-06-08T01:58:56.166Z',
    });
    const [kernel] = findingsWithKey(result, 'nessus:176700');
    expect(kernel?.component).toEqual({
      name: 'kernel',
      version: '4.14.314-237.533.amzn2',
      fixedVersion: '4.14.314-238.539.amzn2',
    });
  });

  it('imports the ;-separated findings export: 99 hosts, 99 findings', async () => {
    const result = await importFixture(tenableVmCsvImporter, 'tenable_vm_csv', 'nessus_new.csv');
    expect(result.assets).toHaveLength(99);
    expect(result.findings).toHaveLength(99);
    const openjdk = result.findings.find(
      (f) => f.vulnerability.key === 'nessus:171969' && f.asset.ip === '10.0.0.11',
    );
    expect(openjdk).toMatchObject({
      asset: { hostname: 'Blah11', os: 'Ubuntu 18.04.6 LTS (Bionic Beaver)' },
      vulnerability: {
        cves: ['CVE-2023-21835', 'CVE-2023-21843'],
        severity: 'low',
        cvss3: 3.7,
        cvss3Vector: 'CVSS:3.0/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N',
      },
      component: {
        name: 'openjdk-11-jdk',
        version: '11.0.13+8-0ubuntu1~18.04',
        fixedVersion: '11.0.18+10-0ubuntu1~18.04.1',
      },
    });
    // The spreadsheet guard "'" before the output is not evidence.
    expect(result.findings[0]?.evidence?.startsWith('The following running daemon')).toBe(true);
  });
});

describe('nessus-was-csv', () => {
  it('imports 5 web findings on google.com and skips the blank rows', async () => {
    const result = await importFixture(
      nessusWasCsvImporter,
      'nessus_was',
      'nessus_was_many_vuln.csv',
    );
    expect(result.scans).toEqual([{ scanner: 'Nessus WAS' }]);
    expect(result.assets).toEqual([{ fqdn: 'google.com' }]);
    expect(result.findings).toHaveLength(5);
    const [xss] = findingsWithKey(result, 'nessus:98104');
    expect(xss).toMatchObject({
      format: 'nessus-was-csv',
      protocol: 'http',
      vulnerability: {
        title: 'Cross-Site Scripting (XSS)',
        severity: 'high',
        cvss3: 7.1,
        cvss2: 7.5,
      },
    });
    expect(xss?.port).toBeUndefined();
    expect(xss?.evidence).toContain('http://google.com/search.jsp');
    expect(findingsWithKey(result, 'nessus:112491')[0]?.vulnerability.severity).toBe('info');
  });

  it('reads the one-finding and header-only exports', async () => {
    const one = await importFixture(nessusWasCsvImporter, 'nessus_was', 'nessus_was_one_vuln.csv');
    expect(one.findings).toHaveLength(1);
    const none = await importFixture(nessusWasCsvImporter, 'nessus_was', 'nessus_was_no_vuln.csv');
    expect(none.records).toEqual([{ kind: 'scan', scan: { scanner: 'Nessus WAS' } }]);
  });
});

describe('openvas-csv', () => {
  it('imports 4 results of LOGSRV', async () => {
    const result = await importFixture(openvasCsvImporter, 'openvas_csv', 'many_vuln.csv');
    expect(result.scans).toEqual([{ scanner: 'OpenVAS' }]);
    expect(result.assets).toEqual([{ ip: '192.168.118.212', hostname: 'LOGSRV' }]);
    expect(result.findings).toHaveLength(4);
    const [tls] = findingsWithKey(result, 'openvas:1.3.6.1.4.1.25623.1.0.117274');
    expect(tls).toMatchObject({
      port: 9200,
      protocol: 'tcp',
      vulnerability: { cves: ['CVE-2011-3389', 'CVE-2015-0204'], severity: 'medium' },
      lastSeen: '2021-05-26T20:50:18.000Z',
    });
    // The CVSS column has no version: it is not stored as cvss2/cvss3.
    expect(tls?.vulnerability.cvss3).toBeUndefined();
    const [timestamps] = findingsWithKey(result, 'openvas:1.3.6.1.4.1.25623.1.0.80091');
    expect(timestamps?.port).toBeUndefined();
    expect(timestamps?.vulnerability.severity).toBe('low');
  });

  it('keys CVE scanner results by the CVE used as OID', async () => {
    const result = await importFixture(openvasCsvImporter, 'openvas_csv', 'report_using_CVE.csv');
    expect(result.findings).toHaveLength(43);
    const [httpd] = findingsWithKey(result, 'openvas:CVE-2021-26690');
    expect(httpd?.vulnerability).toMatchObject({ cves: ['CVE-2021-26690'], severity: 'high' });
  });

  it('merges the duplicated result and reads the v2 columns', async () => {
    const combined = await importFixture(
      openvasCsvImporter,
      'openvas_csv',
      'report_combine_v2.csv',
    );
    expect(combined.findings).toHaveLength(1);
    const detail = await importFixture(openvasCsvImporter, 'openvas_csv', 'report_detail_v2.csv');
    expect(detail.assets).toEqual([{ ip: '10.99.99.99', hostname: 'server99' }]);
    expect(detail.findings[0]).toMatchObject({
      port: 42,
      vulnerability: { severity: 'high' },
      lastSeen: '2025-08-22T14:27:22.000Z',
    });
    // All 93 CVEs of the "CVEs" cell, in file order.
    expect(detail.findings[0]?.vulnerability.cves).toHaveLength(93);
    expect(detail.findings[0]?.vulnerability.cves[0]).toBe('CVE-2025-49659');
    expect(detail.findings[0]?.vulnerability.cves.at(-1)).toBe('CVE-2025-49757');
  });

  it('reads the header-only and one-result exports', async () => {
    const none = await importFixture(openvasCsvImporter, 'openvas_csv', 'no_vuln.csv');
    expect(none.findings).toHaveLength(0);
    const one = await importFixture(openvasCsvImporter, 'openvas_csv', 'one_vuln.csv');
    expect(one.findings[0]).toMatchObject({ asset: { ip: '10.0.0.8' }, port: 22 });
  });
});

describe('qualys-csv', () => {
  it('imports 6 detections on 4 hosts with CVSS3 vectors and US dates', async () => {
    const result = await importFixture(qualysCsvImporter, 'qualys_csv', 'Qualys_Sample_Report.csv');
    expect(result.scans).toEqual([{ scanner: 'Qualys' }]);
    expect(result.assets).toHaveLength(4);
    expect(result.findings).toHaveLength(6);
    const [may2021] = findingsWithKey(result, 'qualys:91762');
    expect(may2021).toMatchObject({
      asset: {
        ip: '10.98.57.180',
        fqdn: 'ip-10-98-57-180.eu-west-1.compute.internal',
        hostname: 'EC2AMAZ-IU0C43L',
      },
      vulnerability: {
        title: 'Microsoft Windows Security Update for May 2021',
        severity: 'critical',
        cvss3: 9.9,
        cvss3Vector: 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H',
      },
      firstSeen: '2021-05-13T07:08:28',
      lastSeen: '2021-05-25T07:36:58',
    });
    expect(may2021?.vulnerability.cves).toHaveLength(23);
    expect(may2021?.vulnerability.cves).toContain('CVE-2021-31192');
  });

  it('reads the PCI layout, its numeric level and its day-first date', async () => {
    const result = await importFixture(
      qualysCsvImporter,
      'qualys_csv',
      'monthly_pci_issue6932.csv',
    );
    expect(result.assets).toEqual([{ ip: '192.168.0.1', fqdn: 'abv.xyw.com.fj', os: 'Linux 2.x' }]);
    expect(result.findings).toEqual([
      expect.objectContaining({
        port: 80,
        protocol: 'tcp',
        vulnerability: expect.objectContaining({
          key: 'qualys:86476',
          severity: 'medium',
          cvss2: 6.4,
        }),
        lastSeen: '2022-09-22T13:01:00',
      }),
    ]);
  });

  it('imports a header-only export as an empty scan', async () => {
    const result = await importFixture(qualysCsvImporter, 'qualys_csv', 'empty.csv');
    expect(result.records).toEqual([{ kind: 'scan', scan: { scanner: 'Qualys' } }]);
  });

  it('skips a report preamble and records hosts without detections', async () => {
    const csv = [
      '"Scan Results","January 01 2024"',
      '"Reported by","operator"',
      '',
      '"IP","DNS","NetBIOS","OS","IP Status","QID","Title","Type","Severity","Port","Protocol"',
      '"10.0.0.5","db5.corp.example","DB5","Linux","host scanned, no vulnerabilities found","","","","","",""',
      '"10.0.0.6","","","","host scanned, found vuln","38173","SSL Certificate - Signature Verification Failed","Vuln","2","443","tcp"',
      '"10.0.0.6","","","","host scanned, found vuln","45038","Host Scan Time","Ig","3","",""',
    ].join('\n');
    const result = await collect(qualysCsvImporter, streamOf(csv), 'scan.csv');
    expect(result.assets).toEqual([
      { ip: '10.0.0.5', fqdn: 'db5.corp.example', hostname: 'DB5', os: 'Linux' },
      { ip: '10.0.0.6' },
    ]);
    expect(result.findings.map((f) => [f.vulnerability.key, f.vulnerability.severity])).toEqual([
      ['qualys:38173', 'low'],
      ['qualys:45038', 'info'],
    ]);
  });
});
