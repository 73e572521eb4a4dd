import { describe, expect, it } from 'vitest';
import {
  AssetRegistry,
  assetFromHost,
  buildAsset,
  parsePort,
} from '../../../../src-main/importers/common/asset';
import { extractCves, normalizeVulnerabilityId } from '../../../../src-main/importers/common/cves';
import {
  cleanCvssVector,
  parseCvss,
  severityFromCvss,
} from '../../../../src-main/importers/common/cvss';
import {
  extractCwes,
  normalizeCwe,
  normalizeCwes,
} from '../../../../src-main/importers/common/cwe';
import { toIsoDate } from '../../../../src-main/importers/common/dates';
import {
  ConsecutiveMerger,
  mergeFindings,
} from '../../../../src-main/importers/common/finding-merge';
import { NoteCollector } from '../../../../src-main/importers/common/notes';
import { lookupSeverity, maxSeverity } from '../../../../src-main/importers/common/severity';
import {
  cleanText,
  cleanValue,
  splitReferences,
  truncateText,
  uniqueStrings,
} from '../../../../src-main/importers/common/text';
import type { NormalizedFinding } from '../../../../src-main/importers/types';

describe('CVE ids', () => {
  it('extracts, upper-cases and de-duplicates in order', () => {
    expect(
      extractCves('cve-2021-44228, CVE-2021-45046;CVE-2021-44228', 'GHSA-jfh8-c2jp-5v3q'),
    ).toEqual(['CVE-2021-44228', 'CVE-2021-45046']);
    expect(extractCves(undefined, '', 'CVE-YYYY-XXXXX')).toEqual([]);
  });

  it('normalizes keys: CVE upper case, other ids as written', () => {
    expect(normalizeVulnerabilityId(' cve-2020-1234 ')).toBe('CVE-2020-1234');
    expect(normalizeVulnerabilityId('GHSA-v6rh-hp5x-86rv')).toBe('GHSA-v6rh-hp5x-86rv');
  });
});

describe('CWE ids', () => {
  it('normalizes the spellings of the exports', () => {
    expect(normalizeCwe('CWE-79')).toBe('CWE-79');
    expect(normalizeCwe('cwe:079')).toBe('CWE-79');
    expect(normalizeCwe('CWE #310')).toBe('CWE-310');
    expect(normalizeCwe(22)).toBe('CWE-22');
    expect(normalizeCwe('NVD-CWE-Other')).toBeUndefined();
    expect(normalizeCwes(['CWE-787', 'NVD-CWE-noinfo', '787', null])).toEqual(['CWE-787']);
  });

  it('finds CWEs in cross-reference cells', () => {
    expect(extractCwes('CERT:288308;CERT:867593;CWE:16;CWE:200')).toEqual(['CWE-16', 'CWE-200']);
    expect(extractCwes('CERT #836068,CWE #310')).toEqual(['CWE-310']);
  });
});

describe('CVSS', () => {
  it('parses scores, decimal commas and Qualys "score (vector)"', () => {
    expect(parseCvss('7.5')).toEqual({ score: 7.5 });
    expect(parseCvss('7,5')).toEqual({ score: 7.5 });
    expect(parseCvss(9.8)).toEqual({ score: 9.8 });
    expect(parseCvss('8.1 (AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H)')).toEqual({
      score: 8.1,
      vector: 'AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H',
    });
  });

  it('rejects out-of-range and non-numeric values, accepts empty ones', () => {
    expect(parseCvss('75')).toEqual({ rejected: '75' });
    expect(parseCvss('-1')).toEqual({ rejected: '-1' });
    expect(parseCvss('high')).toEqual({ rejected: 'high' });
    expect(parseCvss('')).toEqual({});
    expect(parseCvss('N/A')).toEqual({});
    expect(parseCvss(null)).toEqual({});
  });

  it('rates scores on the CVSS v3 scale and cleans vectors', () => {
    expect([0, 0.1, 3.9, 4, 6.9, 7, 8.9, 9, 10].map(severityFromCvss)).toEqual([
      'info',
      'low',
      'low',
      'medium',
      'medium',
      'high',
      'high',
      'critical',
      'critical',
    ]);
    expect(cleanCvssVector('CVSS2#AV:N/AC:H/Au:S/C:N/I:P/A:N')).toBe('AV:N/AC:H/Au:S/C:N/I:P/A:N');
    expect(cleanCvssVector('  ')).toBeUndefined();
  });
});

describe('severity tables', () => {
  const table = { none: 'info', high: 'high', '3': 'high' } as const;
  it('looks up case- and space-insensitively', () => {
    expect(lookupSeverity(' None ', table)).toBe('info');
    expect(lookupSeverity('HIGH', table)).toBe('high');
    expect(lookupSeverity(3, table)).toBe('high');
    expect(lookupSeverity('toString', table)).toBeUndefined();
    expect(lookupSeverity(undefined, table)).toBeUndefined();
    expect(maxSeverity('low', 'critical')).toBe('critical');
  });
});

describe('dates', () => {
  it('keeps zones it knows and never invents one', () => {
    expect(toIsoDate('2023-06-08T01:58:56.166Z')).toBe('2023-06-08T01:58:56.166Z');
    expect(toIsoDate('2025-08-22T16:27:22+02:00')).toBe('2025-08-22T14:27:22.000Z');
    expect(toIsoDate('2021-05-26 20:50:18')).toBe('2021-05-26T20:50:18');
    expect(toIsoDate('2000/01/04')).toBe('2000-01-04');
    expect(toIsoDate('Feb 9, 2024 10:48:42 UTC')).toBe('2024-02-09T10:48:42Z');
    expect(toIsoDate('Jan 5, 2021 10:24:08 MST')).toBe('2021-01-05T10:24:08');
  });

  it('reads slashed dates month first unless that is impossible', () => {
    expect(toIsoDate('05/13/2021 07:08:28')).toBe('2021-05-13T07:08:28');
    expect(toIsoDate('22/09/2022 13:01')).toBe('2022-09-22T13:01:00');
    expect(toIsoDate('02/30/2021')).toBeUndefined();
    expect(toIsoDate('yesterday')).toBeUndefined();
    expect(toIsoDate('')).toBeUndefined();
  });
});

describe('text', () => {
  it('cleans and recognizes placeholders', () => {
    expect(cleanText('  a\r\nb \r')).toBe('a\nb');
    expect(cleanText('   ')).toBeUndefined();
    expect(cleanValue('n/a')).toBeUndefined();
    expect(cleanValue(' - ')).toBeUndefined();
    expect(cleanValue('Upgrade')).toBe('Upgrade');
    expect(uniqueStrings(['a', ' a', undefined, 'b', ''])).toEqual(['a', 'b']);
    expect(splitReferences('http://a.example/x\n https://b.example/y , n/a')).toEqual([
      'http://a.example/x',
      'https://b.example/y',
    ]);
  });

  it('truncates without splitting a surrogate pair', () => {
    expect(truncateText('abcdef', 4)).toEqual({ text: 'abcd', cut: true });
    expect(truncateText('abc', 4)).toEqual({ text: 'abc', cut: false });
    const emoji = 'ab\u{1F600}cd';
    expect(truncateText(emoji, 3)).toEqual({ text: 'ab', cut: true });
  });
});

describe('assets', () => {
  it('classifies host cells', () => {
    expect(assetFromHost('10.0.0.1')).toEqual({ ip: '10.0.0.1' });
    expect(assetFromHost('fe80::1')).toEqual({ ip: 'fe80::1' });
    expect(assetFromHost('Web01.Corp.Example')).toEqual({ fqdn: 'web01.corp.example' });
    expect(assetFromHost('WEB01')).toEqual({ hostname: 'WEB01' });
    expect(assetFromHost('  ')).toEqual({});
  });

  it('builds assets from named parts in schema order', () => {
    const asset = buildAsset({
      host: 'srv.example.org',
      ip: '10.0.0.2',
      hostname: 'WORKGROUP\\SRV',
      mac: 'AA:BB:CC:00:11:22',
      os: 'n/a',
    });
    expect(asset).toEqual({
      ip: '10.0.0.2',
      hostname: 'SRV',
      fqdn: 'srv.example.org',
      mac: 'aa:bb:cc:00:11:22',
    });
    expect(Object.keys(asset)).toEqual(['ip', 'hostname', 'fqdn', 'mac']);
    expect(buildAsset({ fqdn: 'Blah1' })).toEqual({ hostname: 'Blah1' });
  });

  it('reports each asset once', () => {
    const registry = new AssetRegistry();
    expect(registry.firstSighting({ ip: '10.0.0.1', os: 'Linux' })).toBe(true);
    expect(registry.firstSighting({ ip: '10.0.0.1' })).toBe(false);
    expect(registry.firstSighting({ ip: '10.0.0.1', hostname: 'a' })).toBe(true);
  });

  it('parses ports', () => {
    expect(parsePort('443')).toBe(443);
    expect(parsePort('0')).toBe(0);
    expect(parsePort('70000')).toBeUndefined();
    expect(parsePort('general/tcp')).toBeUndefined();
  });
});

describe('notes', () => {
  it('caps notes and summarizes the rest', () => {
    const notes = new NoteCollector('f.csv', 2);
    notes.add('one');
    notes.add('two');
    notes.add('three');
    notes.add('four');
    expect(notes.take().map((r) => (r.kind === 'note' ? r.message : ''))).toEqual([
      'f.csv: one',
      'f.csv: two',
    ]);
    expect(notes.finish()).toEqual([
      { kind: 'note', message: 'f.csv: 2 more notes like the above were not listed.' },
    ]);
  });
});

describe('merging consecutive rows', () => {
  const base: NormalizedFinding = {
    format: 'nessus-csv',
    scanner: { name: 'Nessus', pluginId: '1' },
    asset: { ip: '10.0.0.1' },
    port: 22,
    vulnerability: {
      key: 'nessus:1',
      cves: ['CVE-2020-0001'],
      title: 'T',
      severity: 'low',
      cwes: [],
      references: ['https://a.example'],
    },
    evidence: 'same output',
    lastSeen: '2024-01-01T00:00:00Z',
  };
  const second: NormalizedFinding = {
    ...base,
    vulnerability: { ...base.vulnerability, cves: ['CVE-2020-0002'], severity: 'high', cvss3: 7.5 },
    lastSeen: '2024-02-01T00:00:00Z',
  };

  it('unites ids, keeps the worst severity and the evidence once', () => {
    expect(mergeFindings(base, second)).toEqual({
      ...base,
      vulnerability: {
        ...base.vulnerability,
        cves: ['CVE-2020-0001', 'CVE-2020-0002'],
        severity: 'high',
        cvss3: 7.5,
      },
      lastSeen: '2024-02-01T00:00:00Z',
    });
  });

  it('flushes a group when the key changes and at the end', () => {
    const merger = new ConsecutiveMerger<string>(
      (s) => s[0] ?? '',
      (a, b) => a + b,
    );
    expect(merger.push('a1', 1)).toBeUndefined();
    expect(merger.push('a2', 2)).toBeUndefined();
    expect(merger.push('b1', 3)).toEqual({ value: 'a1a2', line: 1 });
    expect(merger.flush()).toEqual({ value: 'b1', line: 3 });
    expect(merger.flush()).toBeUndefined();
  });
});
