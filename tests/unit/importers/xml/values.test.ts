import { describe, expect, it } from 'vitest';
import {
  severityFromCvss,
  nexposeSeverity,
  nessusSeverity,
  qualysSeverity,
  severityFromWord,
} from '../../../../src-main/importers/xml/severity';
import {
  collapseLines,
  cvesIn,
  fromCompactTime,
  fromCtime,
  htmlToText,
  meaningfulSolution,
  normalizeCwe,
  normalizeMac,
  parsePort,
  parseScore,
  tidyText,
  toIso,
  vectorInParens,
} from '../../../../src-main/importers/xml/values';

describe('guarded values', () => {
  it('parses CVSS scores only when they are numbers in 0..10', () => {
    expect(parseScore('7.5')).toBe(7.5);
    expect(parseScore(' 10 ')).toBe(10);
    expect(parseScore('9.3 (AV:N/AC:M/Au:N/C:C/I:C/A:C)')).toBe(9.3);
    expect(parseScore('0.0')).toBe(0);
    for (const junk of ['', '-', 'N/A', '11', '10.5', '-1', '5.0.1', 'abc', undefined]) {
      expect(parseScore(junk), String(junk)).toBeUndefined();
    }
    expect(vectorInParens('8.6 (AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N)')).toBe(
      'AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:N/A:N',
    );
  });

  it('reads ports 1..65535; 0 means no port', () => {
    expect(parsePort('443')).toBe(443);
    expect(parsePort('0')).toBeUndefined();
    expect(parsePort('65536')).toBeUndefined();
    expect(parsePort('general')).toBeUndefined();
  });

  it('converts the date forms of the formats to ISO 8601 UTC', () => {
    expect(toIso('1648042311')).toBe('2022-03-23T13:31:51.000Z');
    expect(toIso('2025-08-22T15:01:38+02:00')).toBe('2025-08-22T13:01:38.000Z');
    expect(toIso('2021-03-12T12:34:30.12031+00:00')).toBe('2021-03-12T12:34:30.120Z');
    expect(toIso('2019-07-31T21:57:48Z')).toBe('2019-07-31T21:57:48.000Z');
    expect(toIso('2019-07-31T21:57:48')).toBe('2019-07-31T21:57:48.000Z');
    expect(toIso('yesterday')).toBeUndefined();
    expect(toIso('')).toBeUndefined();
    expect(fromCtime('Mon Jul  1 11:40:48 2013')).toBe('2013-07-01T11:40:48.000Z');
    expect(fromCtime('Wed Mar 23 15:07:52 2022')).toBe('2022-03-23T15:07:52.000Z');
    expect(fromCtime('Foo Bar 1 2 3')).toBeUndefined();
    expect(fromCompactTime('20131127T050242739')).toBe('2013-11-27T05:02:42.739Z');
    expect(fromCompactTime('19900101T000000000')).toBe('1990-01-01T00:00:00.000Z');
  });

  it('normalizes CVE and CWE identifiers', () => {
    expect(cvesIn('MSF:ILITIES/UBUNTU-cve-2019-6111/, CVE-2021-44228')).toEqual([
      'CVE-2019-6111',
      'CVE-2021-44228',
    ]);
    expect(normalizeCwe('79')).toBe('CWE-79');
    expect(normalizeCwe('CWE-094')).toBe('CWE-94');
    expect(normalizeCwe('CWE:399')).toBe('CWE-399');
    expect(normalizeCwe('NVD-CWE-Other')).toBeUndefined();
  });

  it('formats MAC addresses with colons', () => {
    expect(normalizeMac('001122334455')).toBe('00:11:22:33:44:55');
    expect(normalizeMac('00-50-56-81-01-E3')).toBe('00:50:56:81:01:e3');
    expect(normalizeMac('not-a-mac')).toBe('not-a-mac');
  });

  it('turns Qualys HTML into text and drops placeholder solutions', () => {
    expect(
      htmlToText(
        'Customers are advised to upgrade to <A HREF="http://x" TARGET="_blank">Squid 4.14</A>.<BR>\n<P>Patch:<BR>\nsee &quot;SQUID-2020:11&quot;',
      ),
    ).toBe('Customers are advised to upgrade to Squid 4.14.\n\nPatch:\n\nsee "SQUID-2020:11"');
    expect(meaningfulSolution('n/a')).toBeUndefined();
    expect(meaningfulSolution('Not  applicable.')).toBeUndefined();
    expect(meaningfulSolution('N/A')).toBeUndefined();
    expect(meaningfulSolution(' Upgrade. ')).toBe('Upgrade.');
  });

  it('removes pretty-printer indentation but keeps the scanner own indentation', () => {
    expect(
      tidyText(
        '\n                    Version source : x\n                    Installed version : 5.1.6\n                ',
      ),
    ).toBe('Version source : x\nInstalled version : 5.1.6');
    expect(tidyText('\nPackages :\n  - Installed package : a_1\n  - Fixed package : a_2\n')).toBe(
      'Packages :\n  - Installed package : a_1\n  - Fixed package : a_2',
    );
    expect(collapseLines('  Running.\n\t\t\n\n\n   Done.  ')).toBe('Running.\n\nDone.');
  });
});

describe('severity maps', () => {
  it('keeps each scanner scale', () => {
    expect(['0', '1', '2', '3', '4'].map(nessusSeverity)).toEqual([
      'info',
      'low',
      'medium',
      'high',
      'critical',
    ]);
    expect(nessusSeverity('5')).toBeUndefined();
    expect(['None', 'Low', 'Medium', 'High', 'Critical', 'Log'].map(severityFromWord)).toEqual([
      'info',
      'low',
      'medium',
      'high',
      'critical',
      'info',
    ]);
    expect(['1', '2', '3', '4', '5'].map((s) => qualysSeverity(s, false))).toEqual([
      'info',
      'low',
      'medium',
      'high',
      'critical',
    ]);
    expect(qualysSeverity('5', true)).toBe('info');
    expect(['0', '1', '3', '4', '6', '7', '8', '9', '10'].map(nexposeSeverity)).toEqual([
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
  });
});
