import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { xmlImporters } from '../../../../src-main/importers/formats/xml-formats';
import { findRoot } from '../../../../src-main/importers/xml/sniff';
import { XML_FIXTURES, fixture } from './helpers';

/** The head the caller hands to sniff(): first 64 KiB, UTF-8, BOM stripped. */
function head(relative: string): string {
  const text = readFileSync(fixture(relative))
    .subarray(0, 64 * 1024)
    .toString('utf8');
  return text.replace(/^\uFEFF/, '');
}

describe('sniffing the XML formats', () => {
  it('has the public format names', () => {
    expect(xmlImporters.map((i) => i.format)).toEqual([
      'nessus',
      'nessus-was-xml',
      'openvas-xml',
      'qualys-xml',
      'qualys-scan-xml',
      'nexpose-xml',
      'nmap-xml',
    ]);
  });

  it.each(XML_FIXTURES)(
    'recognises %s as %s, and no other format with confidence',
    (file, format) => {
      const text = head(file);
      const scores = xmlImporters.map((i) => ({
        format: i.format,
        score: i.sniff(text, 'upload.bin'),
      }));
      const best = scores.reduce((a, b) => (b.score > a.score ? b : a));
      expect(best.format).toBe(format);
      expect(best.score).toBeGreaterThanOrEqual(0.9);
      for (const other of scores.filter((s) => s.format !== format)) {
        expect(other.score, other.format).toBeLessThanOrEqual(0.5);
      }
    },
  );

  it('decides on content, not on the file name', () => {
    const nmap = head('nmap/issue4406.xml');
    for (const importer of xmlImporters) {
      expect(importer.sniff(nmap, 'scan.nessus')).toBe(importer.format === 'nmap-xml' ? 0.95 : 0);
    }
  });

  it('gives nothing to CSV, JSON or other XML', () => {
    const others = [
      'Plugin ID,CVE,CVSS v2.0 Base Score,Risk,Host,Protocol,Port,Name\n19506,,,None,10.0.0.1,tcp,0,Nessus Scan Information\n',
      '{"SchemaVersion": 2, "Results": []}',
      '<?xml version="1.0"?><bom xmlns="http://cyclonedx.org/schema/bom/1.4"><components/></bom>',
      '<?xml version="1.0"?><analysis xmlns="https://jeremylong.github.io/DependencyCheck/dependency-check.2.5.xsd"/>',
      '',
    ];
    for (const text of others) {
      for (const importer of xmlImporters) expect(importer.sniff(text, 'x.xml'), text).toBe(0);
    }
  });

  it('finds the root element after a declaration, comments, PIs and a DOCTYPE', () => {
    expect(
      findRoot(
        '\uFEFF<?xml version="1.0"?>\n<!-- c -->\n<!DOCTYPE x [<!ELEMENT x ANY>]>\n<?pi x?>\n<nmaprun scanner="nmap">',
      ),
    ).toEqual({ name: 'nmaprun', tag: '<nmaprun scanner="nmap">' });
    expect(findRoot('<?xml version="1.0"?><!-- never closed')).toBeUndefined();
    expect(findRoot('plain text')).toBeUndefined();
  });
});
