import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseNvd, type NvdRecord } from '../../../src-main/feeds/nvd';
import { PassThrough, collect, fixture, gz, streamOf, vzError } from './helpers';

const SINGLE = 'nvd/single-entry.json';
const PAGE = 'nvd/full-page.json';

function records(items: unknown[]): NvdRecord[] {
  return items.filter((i): i is NvdRecord => (i as { type: string }).type === 'nvd');
}

function byId(items: unknown[], id: string): NvdRecord {
  const found = records(items).find((r) => r.id === id);
  if (found === undefined) throw new Error(`${id} missing`);
  return found;
}

/** xz(1) compresses in the test, so the decoder is checked against the reference tool. */
function xz(data: Buffer): Buffer {
  const run = spawnSync('xz', ['-z', '-c', '-T1'], { input: data, maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`xz failed: ${run.stderr.toString()}`);
  return run.stdout;
}

const EXPECTED_SINGLE: NvdRecord = {
  type: 'nvd',
  id: 'CVE-2022-1576',
  published: '2022-07-11T13:15:08.503Z',
  lastModified: '2024-11-21T06:41:00.133Z',
  vulnStatus: 'Modified',
  description:
    'The WP Maintenance Mode & Coming Soon WordPress plugin before 2.4.5 is lacking CSRF when emptying the subscribed users list, which could allow attackers to make a logged in admin perform such action via a CSRF attack',
  cvss3: {
    version: '3.1',
    baseScore: 6.5,
    vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:N/I:H/A:N',
    baseSeverity: 'MEDIUM',
    source: 'nvd@nist.gov',
    metricType: 'Primary',
  },
  cvss2: {
    version: '2.0',
    baseScore: 4.3,
    vectorString: 'AV:N/AC:M/Au:N/C:N/I:P/A:N',
    baseSeverity: 'MEDIUM',
    source: 'nvd@nist.gov',
    metricType: 'Primary',
  },
  cvss4: null,
  cwes: ['CWE-352'],
  references: ['https://wpscan.com/vulnerability/68deab46-1c16-46ae-a912-a104958ca4cf'],
};

describe('parseNvd', () => {
  it('extracts one CVE from an API 2.0 response, with meta first', async () => {
    const items = await collect(
      parseNvd(streamOf(fixture(SINGLE), 101), { fileName: 'single.json' }),
    );
    expect(items[0]).toEqual({
      type: 'meta',
      kind: 'nvd',
      fileName: 'single.json',
      version: '2.0',
      date: '2023-01-03T21:56:15.797Z',
      recordCount: 1,
      format: 'NVD_CVE',
      totalResults: 1,
      startIndex: 0,
      feedName: null,
    });
    expect(items.slice(1)).toEqual([EXPECTED_SINGLE]);
  });

  it('reads a 38-record page, preferring the Primary NVD score and skipping NVD-CWE-*', async () => {
    const items = await collect(parseNvd(streamOf(fixture(PAGE), 4096), { fileName: 'page.json' }));
    expect(records(items)).toHaveLength(38);
    // NVD Primary 8.8 beats the CNA's Secondary 5.4.
    expect(byId(items, 'CVE-2023-45109').cvss3).toMatchObject({
      baseScore: 8.8,
      source: 'nvd@nist.gov',
      metricType: 'Primary',
    });
    // Awaiting analysis: only the CNA's Secondary score exists.
    expect(byId(items, 'CVE-2023-30781').cvss3).toMatchObject({
      baseScore: 7.1,
      metricType: 'Secondary',
    });
    expect(byId(items, 'CVE-2023-43250')).toMatchObject({ cvss3: null, cvss2: null, cwes: [] });
    expect(byId(items, 'CVE-2023-27314').cwes).toEqual(['CWE-400']);
    expect(byId(items, 'CVE-2022-22377').cwes).toEqual(['CWE-311']);
  });

  it('reads gzip and xz (made here by xz(1)) to the same records as plain', async () => {
    const plain = await collect(parseNvd(streamOf(fixture(PAGE)), { fileName: 'p' }));
    const gzipped = await collect(parseNvd(streamOf(gz(fixture(PAGE))), { fileName: 'p' }));
    const xzed = await collect(parseNvd(streamOf(xz(fixture(PAGE)), 333), { fileName: 'p' }));
    expect(gzipped).toEqual(plain);
    expect(xzed).toEqual(plain);
  });

  it('reads the committed .xz fixture (made by xz 5.4)', async () => {
    const items = await collect(
      parseNvd(streamOf(fixture(`${SINGLE}.xz`)), { fileName: 's.json.xz' }),
    );
    expect(items.slice(1)).toEqual([EXPECTED_SINGLE]);
  });

  it('refuses corrupt and truncated xz with FEED_MALFORMED', async () => {
    const data = xz(fixture(PAGE));
    const corrupt = Buffer.from(data);
    const middle = Math.floor(corrupt.length / 2);
    corrupt[middle] = (corrupt[middle] ?? 0) ^ 0xff;
    const e1 = await vzError(() => collect(parseNvd(streamOf(corrupt), { fileName: 'c.json.xz' })));
    expect(e1.code).toBe('FEED_MALFORMED');
    expect(e1.message).toMatch(/^c\.json\.xz: cannot decompress xz/);
    const e2 = await vzError(() =>
      collect(parseNvd(streamOf(data.subarray(0, data.length - 30)), { fileName: 't.json.xz' })),
    );
    expect(e2.code).toBe('FEED_MALFORMED');
  });

  it('reads the community rebuild format (cve_items of bare CVE objects)', async () => {
    const page = JSON.parse(fixture(PAGE).toString('utf8')) as {
      vulnerabilities: { cve: unknown }[];
    };
    const rebuild = {
      timestamp: '2026-10-02T00:00:23+00:00',
      cve_count: page.vulnerabilities.length,
      feed_name: 'CVE-2023',
      source: 'community rebuild',
      cve_items: page.vulnerabilities.map((v) => v.cve),
    };
    const items = await collect(
      parseNvd(streamOf(JSON.stringify(rebuild, null, 2)), { fileName: 'CVE-2023.json' }),
    );
    expect(items[0]).toMatchObject({
      type: 'meta',
      feedName: 'CVE-2023',
      recordCount: 38,
      date: '2026-10-02T00:00:23.000Z',
    });
    const plain = await collect(parseNvd(streamOf(fixture(PAGE)), { fileName: 'p' }));
    expect(records(items)).toEqual(records(plain));
  });

  it('yields the first CVE before the rest of the file arrives', async () => {
    const text = fixture(PAGE).toString('utf8');
    const cut = text.indexOf('"CVE-2023-45109"');
    const input = new PassThrough();
    const items = parseNvd(input, { fileName: 'live.json' });
    input.write(text.slice(0, cut));
    expect((await items.next()).value).toMatchObject({ type: 'meta' });
    expect((await items.next()).value).toMatchObject({ id: 'CVE-2023-27314' });
    expect(input.writableEnded).toBe(false);
    input.end(text.slice(cut));
    expect(records(await collect(items))).toHaveLength(37);
  });

  it('names the element and field of an invalid CVE', async () => {
    const page = JSON.parse(fixture(SINGLE).toString('utf8')) as {
      vulnerabilities: {
        cve: { metrics: { cvssMetricV31: { cvssData: { baseScore: unknown } }[] } };
      }[];
    };
    const metric = page.vulnerabilities[0]!.cve.metrics.cvssMetricV31[0]!;
    metric.cvssData.baseScore = 11;
    const err = await vzError(() =>
      collect(parseNvd(streamOf(JSON.stringify(page)), { fileName: 'n.json' })),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toContain(
      'n.json: vulnerabilities[0].cve.metrics.cvssMetricV31[0].cvssData.baseScore',
    );
  });

  it.each([
    ['another format', '{"format":"OTHER","vulnerabilities":[]}', /format: expected "NVD_CVE"/],
    [
      'NVD 1.1',
      '{"format":"NVD_CVE","version":"1.1","vulnerabilities":[]}',
      /version "1.1" is not supported/,
    ],
    ['no array', '{"format":"NVD_CVE","version":"2.0"}', /no "vulnerabilities" array/],
    ['invalid JSON', '{"format":"NVD_CVE",,}', /near byte \d+: invalid JSON/],
    ['a truncated file', fixture(SINGLE).toString('utf8').slice(0, 2000), /ends early/],
    [
      'invalid UTF-8',
      Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
      /not valid UTF-8/,
    ],
  ])('refuses %s', async (_label, text, message) => {
    const err = await vzError(() => collect(parseNvd(streamOf(text), { fileName: 'n.json' })));
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toMatch(message);
  });
});
