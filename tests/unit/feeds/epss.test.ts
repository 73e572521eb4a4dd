import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { parseEpss, type EpssMeta, type EpssRecord } from '../../../src-main/feeds/epss';
import { PassThrough, collect, fixture, gz, streamOf, vzError } from './helpers';

const OLD = 'epss_scores-2025-02-20.slice.csv';
const NEW = 'epss_scores-2026-09-29.slice.csv';
const HEAD =
  '#model_version:v2025.03.14,score_date:2026-09-29T00:00:00+0000\ncve,epss,percentile\n';

describe('parseEpss', () => {
  it('reads the 2025 FIRST file: model version, +0000 score date and every row', async () => {
    const items = await collect(parseEpss(streamOf(fixture(OLD), 13), { fileName: OLD }));
    expect(items[0]).toEqual({
      type: 'meta',
      kind: 'epss',
      fileName: OLD,
      version: 'v2023.03.01',
      date: '2025-02-20T00:00:00.000Z',
      recordCount: null,
      modelVersion: 'v2023.03.01',
      scoreDate: '2025-02-20T00:00:00.000Z',
    } satisfies EpssMeta);
    expect(items.slice(1)).toEqual([
      { type: 'epss', cve: 'CVE-1999-0001', epss: 0.00383, percentile: 0.73075 },
      { type: 'epss', cve: 'CVE-1999-0002', epss: 0.01328, percentile: 0.85996 },
      { type: 'epss', cve: 'CVE-1999-0003', epss: 0.04409, percentile: 0.9244 },
      { type: 'epss', cve: 'CVE-1999-0004', epss: 0.00917, percentile: 0.82963 },
      { type: 'epss', cve: 'CVE-1999-0005', epss: 0.91963, percentile: 0.99214 },
    ]);
  });

  it('reads the 2026 file (Z score date, unpadded numbers), plain and gzip', async () => {
    for (const [name, data] of [
      [NEW, fixture(NEW)],
      [`${NEW}.gz`, gz(fixture(NEW))],
    ] as const) {
      const items = await collect(parseEpss(streamOf(data), { fileName: name }));
      expect(items[0]).toMatchObject({
        modelVersion: 'v2026.06.15',
        date: '2026-09-29T12:00:22.000Z',
      });
      const rows = items.slice(1) as EpssRecord[];
      expect(rows).toHaveLength(534);
      expect(rows.at(-1)).toEqual({
        type: 'epss',
        cve: 'CVE-1999-0549',
        epss: 0.0179,
        percentile: 0.77491,
      });
    }
  });

  it('accepts CRLF line ends and a file without the model comment', async () => {
    const items = await collect(
      parseEpss(streamOf('cve,epss,percentile\r\nCVE-2024-1234,0.5,0.9\r\n'), {
        fileName: 'x.csv',
      }),
    );
    expect(items).toEqual([
      expect.objectContaining({ type: 'meta', modelVersion: null, scoreDate: null }),
      { type: 'epss', cve: 'CVE-2024-1234', epss: 0.5, percentile: 0.9 },
    ]);
  });

  it('yields rows while the file is still arriving (nothing is held back)', async () => {
    const input = new PassThrough();
    const items = parseEpss(input, { fileName: 'live.csv' });
    input.write(`${HEAD}CVE-2024-0001,0.1,0.2\n`);
    expect((await items.next()).value).toMatchObject({ type: 'meta' });
    expect((await items.next()).value).toMatchObject({ cve: 'CVE-2024-0001' });
    // The stream is still open: the row above came before the end of input.
    expect(input.writableEnded).toBe(false);
    input.end('CVE-2024-0002,0.3,0.4\n');
    expect((await items.next()).value).toMatchObject({ cve: 'CVE-2024-0002' });
    expect((await items.next()).done).toBe(true);
  });

  it('parses a 200,000-row stream fed under backpressure', async () => {
    const rows = 200_000;
    const input = new PassThrough();
    const writer = (async () => {
      input.write(HEAD);
      for (let i = 0; i < rows; i += 1) {
        if (!input.write(`CVE-2024-${String(i).padStart(6, '0')},0.0${i % 10},0.5\n`))
          await once(input, 'drain');
      }
      input.end();
    })();
    let count = 0;
    for await (const item of parseEpss(input, { fileName: 'big.csv' }))
      if (item.type === 'epss') count += 1;
    await writer;
    expect(count).toBe(rows);
  });

  it.each([
    ['an epss above 1', 'CVE-2024-0001,1.5,0.2', /line 3: epss 1.5 is outside 0..1/],
    [
      'a negative percentile',
      'CVE-2024-0001,0.5,-0.2',
      /line 3: percentile "-0.2" is not a number/,
    ],
    ['a non-number', 'CVE-2024-0001,abc,0.2', /line 3: epss "abc" is not a number/],
    ['a bad CVE id', 'CVE-1-2,0.1,0.2', /line 3: "CVE-1-2" is not a CVE id/],
    ['a missing column', 'CVE-2024-0001,0.1', /line 3: expected 3 columns, found 2/],
  ])('refuses %s with file name and line', async (_label, row, message) => {
    const err = await vzError(() =>
      collect(parseEpss(streamOf(`${HEAD}${row}\n`), { fileName: 'e.csv' })),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toMatch(/^e\.csv: /);
    expect(err.message).toMatch(message);
  });

  it('refuses a file without the header and a bad score date', async () => {
    expect(
      (await vzError(() => collect(parseEpss(streamOf('hello,world\n'), { fileName: 'e.csv' }))))
        .message,
    ).toMatch(/line 1: expected the header "cve,epss,percentile"/);
    expect(
      (await vzError(() => collect(parseEpss(streamOf(''), { fileName: 'e.csv' })))).message,
    ).toMatch(/no "cve,epss,percentile" header/);
    const err = await vzError(() =>
      collect(
        parseEpss(streamOf('#model_version:v1,score_date:yesterday\ncve,epss\n'), {
          fileName: 'e.csv',
        }),
      ),
    );
    expect(err.message).toMatch(/line 1: score_date "yesterday" is not a date/);
  });

  it('refuses a truncated gzip file', async () => {
    const data = gz(fixture(NEW));
    const err = await vzError(() =>
      collect(parseEpss(streamOf(data.subarray(0, data.length - 40)), { fileName: 'e.csv.gz' })),
    );
    expect(err).toMatchObject({ code: 'FEED_MALFORMED' });
    expect(err.message).toMatch(/e\.csv\.gz: cannot decompress gzip/);
  });

  it('stops with CANCELLED', async () => {
    const controller = new AbortController();
    const items = parseEpss(streamOf(fixture(NEW)), { fileName: NEW, signal: controller.signal });
    await items.next();
    controller.abort();
    const err = await vzError(() => collect(items));
    expect(err.code).toBe('CANCELLED');
  });
});
