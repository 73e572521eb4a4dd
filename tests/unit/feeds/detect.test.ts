import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import {
  detectFeedKind,
  detectFeedKindFromText,
  detectFeedKindOfFile,
} from '../../../src-main/feeds/detect';
import { parseFeedFile, pumpFeed, type FeedRecord } from '../../../src-main/feeds/parse';
import { fixture, fixturePath, gz, streamOf, vzError } from './helpers';

describe('detectFeedKind', () => {
  it.each([
    ['known_exploited_vulnerabilities.json', 'kev'],
    ['epss_scores-2025-02-20.slice.csv', 'epss'],
    ['epss_scores-2026-09-29.slice.csv', 'epss'],
    ['nvd/single-entry.json', 'nvd'],
    ['nvd/full-page.json', 'nvd'],
    ['nvd/single-entry.json.xz', 'nvd'],
    ['cve5/CVE-2022-1576.json', 'cve5'],
  ])('sniffs %s as %s', async (name, kind) => {
    expect(await detectFeedKindOfFile(fixturePath(name))).toBe(kind);
  });

  it('sniffs through gzip and xz', async () => {
    expect(
      await detectFeedKind(streamOf(gz(fixture('epss_scores-2026-09-29.slice.csv'))), {
        fileName: 'e.gz',
      }),
    ).toBe('epss');
    const xz = spawnSync('xz', ['-z', '-c'], { input: fixture('cve5/CVE-2022-1576.json') });
    expect(xz.status).toBe(0);
    expect(await detectFeedKind(streamOf(xz.stdout), { fileName: 'c.xz' })).toBe('cve5');
  });

  it('recognises the community NVD rebuild, CVE JSON lines and a BOM', () => {
    expect(
      detectFeedKindFromText(
        'f',
        '{"timestamp":"x","cve_count":1,"feed_name":"CVE-2024","cve_items":[',
      ),
    ).toBe('nvd');
    expect(
      detectFeedKindFromText('f', '{"dataType":"CVE_RECORD","dataVersion":"5.1"}\n{"dataType"'),
    ).toBe('cve5');
    expect(
      detectFeedKindFromText(
        'f',
        '\uFEFF#model_version:v1,score_date:2025-01-01\ncve,epss,percentile',
      ),
    ).toBe('epss');
  });

  it('refuses anything else with FEED_UNKNOWN_KIND listing the supported kinds', async () => {
    const err = await vzError(() =>
      detectFeedKind(streamOf('PK\u0003\u0004 zip bytes'), { fileName: 'scan.zip' }),
    );
    expect(err.code).toBe('FEED_UNKNOWN_KIND');
    expect(err.message).toMatch(/^scan\.zip: not a recognised feed file\. Supported kinds: kev \(/);
    for (const kind of ['kev (', 'epss (', 'nvd (', 'cve5 (', '.gz or .xz'])
      expect(err.message).toContain(kind);
    const json = await vzError(() =>
      detectFeedKind(streamOf('{"hello":1}'), { fileName: 'x.json' }),
    );
    expect(json.message).toMatch(/JSON, but none of the supported feed formats/);
    const legacy = await vzError(() =>
      detectFeedKind(streamOf('{"CVE_data_type":"CVE","CVE_data_format":"MITRE","CVE_Items":[]}'), {
        fileName: 'nvdcve-1.1-2020.json',
      }),
    );
    expect(legacy.message).toMatch(/retired NVD JSON 1\.1 feed/);
    const empty = await vzError(() => detectFeedKind(streamOf(''), { fileName: 'empty.json' }));
    expect(empty.message).toMatch(/the file is empty/);
  });
});

describe('parseFeedFile and pumpFeed', () => {
  it('detect, parse and deliver every record to a sink, meta first', async () => {
    const seen: string[] = [];
    const result = await pumpFeed(parseFeedFile(fixturePath('nvd/full-page.json')), {
      meta: (m) => {
        seen.push(`meta:${m.kind}`);
      },
      record: async (r: FeedRecord) => {
        await Promise.resolve();
        seen.push(r.type);
      },
    });
    expect(result.meta).toMatchObject({ kind: 'nvd', fileName: 'full-page.json' });
    expect(result.records).toBe(38);
    expect(seen[0]).toBe('meta:nvd');
    expect(seen.slice(1).every((s) => s === 'nvd')).toBe(true);
  });
});
