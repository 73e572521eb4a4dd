import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nmapXmlImporter } from '../../../../src-main/importers/formats/nmap-xml';
import { normalizedFindingSchema } from '../../../../src-main/importers/types';
import { collect, findingOf, importFixture } from './helpers';

describe('nmap-xml importer', () => {
  it('nmap_script_vulners.xml: an open-port finding, then vulners CVEs with scores and component', async () => {
    const { records } = await importFixture(nmapXmlImporter, 'nmap/nmap_script_vulners.xml');
    expect(
      records.map((r) => (r.kind === 'finding' ? r.finding.vulnerability.key : r.kind)),
    ).toEqual(['asset', 'nmap:open-port', 'CVE-2018-15919', 'CVE-2017-15906', 'scan']);
    const { findings, scans, assets } = await importFixture(
      nmapXmlImporter,
      'nmap/nmap_script_vulners.xml',
    );
    expect(assets).toEqual([{ ip: '192.168.0.1' }]);
    expect(scans).toEqual([
      {
        scanner: 'Nmap',
        scannerVersion: '7.60',
        startedAt: '2020-02-17T09:07:25.000Z',
        finishedAt: '2020-02-17T09:07:35.000Z',
        policy: 'nmap -sV -p22 --script=vulners/vulners.nse -oX 192_168_0_1.xml 192.168.0.1',
      },
    ]);
    expect(findingOf(findings, 'nmap:open-port', '192.168.0.1', 5022)).toMatchObject({
      protocol: 'tcp',
      service: 'ssh',
      vulnerability: { title: 'Open port 5022/tcp (ssh)', severity: 'info', cves: [] },
      evidence:
        'service: ssh\nproduct: OpenSSH\nversion: 7.4\nextrainfo: protocol 2.0\ncpe: cpe:/a:openbsd:openssh:7.4',
      firstSeen: '2020-02-17T09:07:30.000Z',
      lastSeen: '2020-02-17T09:07:35.000Z',
    });
    const cve = findingOf(findings, 'CVE-2018-15919', '192.168.0.1', 5022);
    expect(cve).toMatchObject({
      scanner: { name: 'Nmap', pluginId: 'vulners' },
      service: 'ssh',
      component: { name: 'openssh', version: '7.4' },
    });
    expect(cve.vulnerability).toEqual({
      key: 'CVE-2018-15919',
      cves: ['CVE-2018-15919'],
      title: 'CVE-2018-15919 in OpenSSH 7.4',
      severity: 'medium',
      cvss2: 5,
      cwes: [],
      references: ['https://vulners.com/cve/CVE-2018-15919'],
    });
  });

  it('issue4406.xml: 25 open ports and 42 vulners entries, exploit ids keep their vulners key', async () => {
    const { assets, findings } = await importFixture(nmapXmlImporter, 'nmap/issue4406.xml');
    expect(assets).toEqual([
      {
        ip: '10.250.195.71',
        hostname: 'ip-10-250-195-71.eu-west-1.compute.internal',
        fqdn: 'ip-10-250-195-71.eu-west-1.compute.internal',
      },
    ]);
    expect(findings.filter((f) => f.vulnerability.key === 'nmap:open-port')).toHaveLength(25);
    expect(findings).toHaveLength(67);
    expect(findingOf(findings, 'CVE-2019-6111', '10.250.195.71', 22).vulnerability).toMatchObject({
      severity: 'medium',
      cvss2: 5.8,
    });
    const msf = findingOf(findings, 'MSF:ILITIES/UBUNTU-CVE-2019-6111/', '10.250.195.71', 22);
    expect(msf.vulnerability).toMatchObject({
      cves: ['CVE-2019-6111'],
      title: 'MSF:ILITIES/UBUNTU-CVE-2019-6111/ (metasploit) in OpenSSH 7.4',
      references: ['https://vulners.com/metasploit/MSF:ILITIES/UBUNTU-CVE-2019-6111/'],
    });
    expect(msf.evidence).toContain('(public exploit)');
    const mysql = findingOf(findings, 'nmap:open-port', '10.250.195.71', 30367);
    expect(mysql.vulnerability.title).toBe('Open port 30367/tcp (mysql)');
    expect(mysql.evidence).toContain('version: 5.7.32');
  });

  it('issue12411.xml: only open ports become findings (filtered ports do not), user hostname first', async () => {
    const { assets, findings } = await importFixture(nmapXmlImporter, 'nmap/issue12411.xml');
    expect(assets).toEqual([
      { ip: '172.217.18.238', hostname: 'google.com', fqdn: 'par10s10-in-f238.1e100.net' },
      { ip: '54.239.28.85', hostname: 'amazon.com', fqdn: 'amazon.com' },
    ]);
    expect(findings.map((f) => `${f.asset.ip}:${f.port}`)).toEqual([
      '172.217.18.238:80',
      '172.217.18.238:443',
      '54.239.28.85:80',
      '54.239.28.85:443',
    ]);
    expect(findings[1]?.vulnerability.title).toBe('Open port 443/tcp (https)');
  });

  it('nmap_0port.xml: a host without open ports is covered, no findings', async () => {
    const { assets, findings } = await importFixture(nmapXmlImporter, 'nmap/nmap_0port.xml');
    expect(assets).toEqual([
      { ip: '127.0.0.1', hostname: 'localhost.localdomain', fqdn: 'localhost.localdomain' },
    ]);
    expect(findings).toEqual([]);
  });

  it('parses vulners text output when the script wrote no tables, and skips hosts that are down', async () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE nmaprun>
<nmaprun scanner="nmap" version="7.80" start="1600000000">
<host><status state="down"/><address addr="10.0.0.9" addrtype="ipv4"/></host>
<host starttime="1600000001" endtime="1600000002"><status state="up"/>
<address addr="10.0.0.1" addrtype="ipv4"/><address addr="00:0C:29:AA:BB:CC" addrtype="mac"/>
<ports><port protocol="tcp" portid="80"><state state="open"/>
<service name="http" product="Apache httpd" version="2.4.29"><cpe>cpe:/a:apache:http_server:2.4.29</cpe></service>
<script id="vulners" output="&#xa;  cpe:/a:apache:http_server:2.4.29: &#xa;    &#x9;CVE-2019-0211&#x9;7.2&#x9;https://vulners.com/cve/CVE-2019-0211&#xa;    &#x9;EDB-ID:46676&#x9;7.2&#x9;https://vulners.com/exploitdb/EDB-ID:46676&#x9;*EXPLOIT*"/>
</port></ports>
<os><osmatch name="Linux 4.15" accuracy="96"/></os>
</host>
<runstats><finished time="1600000010"/></runstats>
</nmaprun>`;
    const { assets, findings, notes } = await collect(
      nmapXmlImporter.parse(Readable.from([xml]), { fileName: 'old-vulners.xml' }),
    );
    for (const f of findings) normalizedFindingSchema.parse(f);
    expect(assets).toEqual([{ ip: '10.0.0.1', mac: '00:0c:29:aa:bb:cc', os: 'Linux 4.15' }]);
    expect(findings.map((f) => f.vulnerability.key)).toEqual([
      'nmap:open-port',
      'CVE-2019-0211',
      'EDB-ID:46676',
    ]);
    expect(findings[1]).toMatchObject({
      component: { name: 'http_server', version: '2.4.29' },
      asset: { os: 'Linux 4.15' },
      vulnerability: {
        severity: 'high',
        cvss2: 7.2,
        title: 'CVE-2019-0211 in Apache httpd 2.4.29',
      },
    });
    expect(findings[2]?.vulnerability.references).toEqual([
      'https://vulners.com/exploitdb/EDB-ID:46676',
    ]);
    expect(notes).toEqual(['old-vulners.xml: 1 host(s) reported down were not imported.']);
  });
});
