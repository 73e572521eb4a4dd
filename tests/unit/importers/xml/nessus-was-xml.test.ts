import { describe, expect, it } from 'vitest';
import { nessusWasXmlImporter } from '../../../../src-main/importers/formats/nessus-was-xml';
import { findingOf, importFixture } from './helpers';

const APP = { hostname: 'http://google.com/', fqdn: 'google.com' };

describe('nessus-was-xml importer', () => {
  it('imports nessus_was_many_vuln.xml: one web application, five plugins', async () => {
    const { scans, assets, findings } = await importFixture(
      nessusWasXmlImporter,
      'nessus_was/nessus_was_many_vuln.xml',
    );
    expect(scans).toEqual([
      {
        scanner: 'Tenable Web App Scanning',
        startedAt: '2021-03-12T12:34:30.120Z',
        finishedAt: '2021-03-12T14:35:34.341Z',
      },
    ]);
    expect(assets).toEqual([APP]);
    expect(findings.map((f) => [f.vulnerability.key, f.vulnerability.severity])).toEqual([
      ['nessus-was:98104', 'high'],
      ['nessus-was:112491', 'info'],
      ['nessus-was:98060', 'low'],
      ['nessus-was:115540', 'low'],
      ['nessus-was:112551', 'low'],
    ]);
  });

  it('maps the XSS plugin 98104 with WAS cvss/cvssv3 elements, CWE from xref and the proof', async () => {
    const { findings } = await importFixture(
      nessusWasXmlImporter,
      'nessus_was/nessus_was_many_vuln.xml',
    );
    const xss = findingOf(findings, 'nessus-was:98104', undefined, 80);
    expect(xss).toMatchObject({
      format: 'nessus-was-xml',
      scanner: { name: 'Tenable Web App Scanning', pluginId: '98104' },
      asset: APP,
      protocol: 'tcp',
      service: 'http',
      firstSeen: '2021-03-12T12:34:30.120Z',
    });
    expect(xss.vulnerability).toMatchObject({
      title: 'Cross-Site Scripting (XSS)',
      cvss3: 7.1,
      cvss2: 7.5,
      cwes: ['CWE-79'],
      cves: [],
    });
    expect(xss.vulnerability.references).toEqual(
      expect.arrayContaining([
        'http://projects.webappsec.org/w/page/13246920/Cross%20Site%20Scripting',
        'OWASP:2017-A7',
      ]),
    );
    // Entities are decoded: the payload reads as the scanner sent it.
    expect(xss.evidence).toContain(`| ()"&%1'-;<xss_9676200>'`);
    expect(xss.solution).toMatch(/^To remedy XSS vulnerabilities/);
    // Empty <cvss></cvss> elements give no score rather than 0.
    const cert = findingOf(findings, 'nessus-was:112491', undefined, 80);
    expect(cert.vulnerability.cvss2).toBeUndefined();
    expect(cert.vulnerability.cvss3).toBeUndefined();
    expect(cert.solution).toBeUndefined();
  });

  it('keeps the scanned application of nessus_was_no_vuln.xml as covered', async () => {
    const { assets, findings, scans } = await importFixture(
      nessusWasXmlImporter,
      'nessus_was/nessus_was_no_vuln.xml',
    );
    expect(assets).toEqual([APP]);
    expect(findings).toEqual([]);
    expect(scans).toHaveLength(1);
  });
});
