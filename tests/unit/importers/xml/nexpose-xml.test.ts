import { describe, expect, it } from 'vitest';
import { nexposeXmlImporter } from '../../../../src-main/importers/formats/nexpose-xml';
import { findingOf, importFixture } from './helpers';

describe('nexpose-xml importer: many_vulns.xml', () => {
  it('emits the scan, 8 nodes, the 162 vulnerable test results, 8 live hosts and 27 open endpoints', async () => {
    const { scans, assets, findings, notes } = await importFixture(
      nexposeXmlImporter,
      'nexpose/many_vulns.xml',
    );
    expect(scans).toEqual([
      {
        scanner: 'Nexpose',
        startedAt: '2013-11-27T05:02:42.739Z',
        finishedAt: '2013-11-27T11:55:13.233Z',
      },
    ]);
    expect(assets).toHaveLength(8);
    expect(assets).toContainEqual({
      ip: '192.168.1.37',
      hostname: 'MACBOOKPRO-C9A7',
      mac: 'e4:ce:8f:49:0d:7c',
    });
    // The most certain OS fingerprint wins (0.70 Linux 2.6.9 for this node).
    expect(assets[0]).toEqual({ ip: '192.168.1.1', os: 'Linux 2.6.9' });
    expect(findings.filter((f) => f.kind === undefined)).toHaveLength(162);
    expect(findings.filter((f) => f.vulnerability.key === 'nexpose:host-up')).toHaveLength(8);
    expect(findings.filter((f) => f.vulnerability.key === 'nexpose:open-port')).toHaveLength(27);
    expect(notes).toEqual([]);
  });

  it('records live hosts and open services as informational service findings', async () => {
    const { findings } = await importFixture(nexposeXmlImporter, 'nexpose/many_vulns.xml');
    const ssh = findingOf(findings, 'nexpose:open-port', '192.168.1.1', 22);
    expect(ssh).toEqual({
      format: 'nexpose-xml',
      kind: 'service',
      scanner: { name: 'Nexpose' },
      asset: { ip: '192.168.1.1', os: 'Linux 2.6.9' },
      vulnerability: {
        key: 'nexpose:open-port',
        cves: [],
        title: 'Open port 22/tcp (SSH)',
        severity: 'info',
        cwes: [],
        references: [],
      },
      evidence: 'port 22/tcp open\nservice: SSH\nfingerprint: Dropbear 0.51 (certainty 0.9)',
      firstSeen: '2013-11-27T05:02:42.739Z',
      lastSeen: '2013-11-27T11:55:13.233Z',
      port: 22,
      protocol: 'tcp',
      service: 'SSH',
    });
    const up = findingOf(findings, 'nexpose:host-up', '192.168.1.37');
    expect(up).toMatchObject({
      kind: 'service',
      vulnerability: { title: 'Host up', severity: 'info' },
    });
    expect(up.port).toBeUndefined();
    expect(up.evidence).toMatch(/^status: alive/);
  });

  it('maps CVE-2009-2765 on 192.168.1.18:80 (severity 8 = high) with proof, solution link and refs', async () => {
    const { findings } = await importFixture(nexposeXmlImporter, 'nexpose/many_vulns.xml');
    const ddwrt = findingOf(
      findings,
      'nexpose:http-dd-wrt-remote-command-execution',
      '192.168.1.18',
      80,
    );
    expect(ddwrt).toMatchObject({
      format: 'nexpose-xml',
      scanner: { name: 'Nexpose', pluginId: 'http-dd-wrt-remote-command-execution' },
      protocol: 'tcp',
      service: 'HTTP',
      evidence: 'Sleep command executed (Round-trip times: 10428ms, 92ms, 10100ms, 364ms)',
      firstSeen: '2013-11-27T05:02:42.739Z',
      lastSeen: '2013-11-27T11:55:13.233Z',
    });
    expect(ddwrt.vulnerability).toMatchObject({
      title: 'DD-WRT Remote Command Execution as Root',
      severity: 'high',
      cvss2: 8.3,
      cves: ['CVE-2009-2765'],
    });
    expect(ddwrt.vulnerability.references).toEqual(
      expect.arrayContaining(['BID:35742', 'http://milw0rm.com/exploits/9209']),
    );
    // The link of the solution lives in a URLLink attribute.
    expect(ddwrt.solution).toMatch(
      /^Download and apply the upgrade from:\nhttp:\/\/www\.dd-wrt\.com\//,
    );
  });

  it('maps node-level tests without a port and severity 10 to critical', async () => {
    const { findings } = await importFixture(nexposeXmlImporter, 'nexpose/many_vulns.xml');
    const seq = findingOf(findings, 'nexpose:tcp-seq-num-approximation', '192.168.1.1');
    expect(seq.port).toBeUndefined();
    expect(seq.vulnerability).toMatchObject({ severity: 'medium', cves: ['CVE-2004-0230'] });
    const root = findingOf(
      findings,
      'nexpose:ssh-default-account-root-password-root',
      '192.168.1.1',
      22,
    );
    expect(root.vulnerability.severity).toBe('critical');
    expect(root.evidence).toBe(
      'Running vulnerable SSH service.\nSuccessfully authenticated to the SSH service with credentials: uid[root] pw[root] realm[null]',
    );
  });
});

describe('nexpose-xml importer: version 2.0 and empty reports', () => {
  it('dns.xml: vulnerable-since becomes firstSeen, MAC from hardware-address', async () => {
    const { assets, findings } = await importFixture(nexposeXmlImporter, 'nexpose/dns.xml');
    expect(assets).toEqual([{ ip: '192.168.1.1', mac: '00:11:22:33:44:55', os: 'Linux 2.6.32' }]);
    expect(findings.filter((f) => f.kind === undefined)).toHaveLength(5);
    expect(findings.filter((f) => f.kind === 'service').map((f) => f.vulnerability.title)).toEqual([
      'Open port 53/tcp (DNS)',
      'Open port 53/udp (DNS)',
      'Host up',
    ]);
    // The same check on 53/tcp and 53/udp: two findings.
    expect(
      findings.filter((f) => f.vulnerability.key === 'nexpose:dns-allows-cache-snooping'),
    ).toHaveLength(2);
    const udp = findings.find(
      (f) => f.vulnerability.key === 'nexpose:dns-amplification' && f.protocol === 'udp',
    );
    expect(udp).toMatchObject({ port: 53, service: 'DNS', vulnerability: { severity: 'low' } });
    const tcp = findings.find(
      (f) => f.vulnerability.key === 'nexpose:dns-allows-cache-snooping' && f.protocol === 'tcp',
    );
    expect(tcp).toMatchObject({
      firstSeen: '2021-02-11T16:45:06.081Z',
      lastSeen: '2021-02-28T22:54:29.678Z',
      vulnerability: { severity: 'medium', cvss2: 5 },
    });
  });

  it('no_vuln.xml: the node is covered (host up); a test naming an undefined vulnerability is skipped with a note', async () => {
    const { assets, findings, notes } = await importFixture(
      nexposeXmlImporter,
      'nexpose/no_vuln.xml',
    );
    expect(assets).toEqual([{ ip: '192.168.1.1', os: 'Linux 2.6.9' }]);
    expect(findings.map((f) => [f.kind, f.vulnerability.key])).toEqual([
      ['service', 'nexpose:host-up'],
    ]);
    expect(notes).toEqual([
      'no_vuln.xml: 1 vulnerable test result(s) name vulnerabilities the report does not define; they were skipped.',
    ]);
  });
});
