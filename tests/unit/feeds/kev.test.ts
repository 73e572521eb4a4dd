import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { parseKev, type KevMeta, type KevRecord } from '../../../src-main/feeds/kev';
import { kevVulnerabilitySchema } from '../../../src-main/feeds/kev';
import { collect, fixture, gz, streamOf, vzError } from './helpers';

const KEV = 'known_exploited_vulnerabilities.json';

function catalog(vulnerabilities: unknown[], extra: Record<string, unknown> = {}): string {
  return JSON.stringify({
    title: 'test',
    catalogVersion: '2025.01.01',
    dateReleased: '2025-01-01T10:00:00.000Z',
    count: vulnerabilities.length,
    vulnerabilities,
    ...extra,
  });
}

const entry = {
  cveID: 'CVE-2024-0001',
  vendorProject: 'Acme',
  product: 'Widget',
  vulnerabilityName: 'Acme Widget RCE',
  dateAdded: '2024-05-01',
  shortDescription: 'Remote code execution.',
  requiredAction: 'Apply updates.',
  dueDate: '2024-05-22',
  knownRansomwareCampaignUse: 'Known',
  notes: 'https://example.invalid/advisory',
  cwes: ['CWE-78'],
};

describe('parseKev', () => {
  it('streams the real CISA catalog: meta first, then 1404 validated records', async () => {
    const items = await collect(parseKev(streamOf(fixture(KEV), 65536), { fileName: KEV }));
    const meta = items[0] as KevMeta;
    expect(meta).toMatchObject({
      type: 'meta',
      kind: 'kev',
      version: '2025.08.25',
      catalogVersion: '2025.08.25',
      dateReleased: '2025-08-25T17:04:19.9796Z',
      date: '2025-08-25T17:04:19.979Z',
      count: 1404,
      recordCount: 1404,
    });
    const records = items.slice(1) as KevRecord[];
    expect(records).toHaveLength(1404);
    expect(records.every((r) => r.type === 'kev')).toBe(true);
    expect(records[0]).toMatchObject({
      cveID: 'CVE-2025-48384',
      vendorProject: 'Git',
      product: 'Git',
      dateAdded: '2025-08-25',
      dueDate: '2025-09-15',
      knownRansomwareCampaignUse: 'Unknown',
      cwes: ['CWE-59', 'CWE-436'],
    });
    expect(records.filter((r) => r.knownRansomwareCampaignUse === 'Known')).toHaveLength(293);
  });

  it('reads a gzip-compressed catalog the same way', async () => {
    const items = await collect(parseKev(streamOf(gz(fixture(KEV))), { fileName: 'kev.json.gz' }));
    expect(items).toHaveLength(1405);
  });

  it('requires exactly the fields the official JSON schema requires', () => {
    const schema = z
      .object({
        required: z.array(z.string()),
        $defs: z.object({ vulnerability: z.object({ required: z.array(z.string()) }) }),
      })
      .parse(JSON.parse(fixture('known_exploited_vulnerabilities_schema.json').toString('utf8')));
    const requiredHere = Object.entries(kevVulnerabilitySchema.shape)
      .filter(([, field]) => !field.safeParse(undefined).success)
      .map(([name]) => name);
    expect(requiredHere.sort()).toEqual([...schema.$defs.vulnerability.required].sort());
    expect(schema.required).toEqual(['catalogVersion', 'dateReleased', 'count', 'vulnerabilities']);
  });

  it('defaults the optional fields and keeps notes and cwes', async () => {
    const { knownRansomwareCampaignUse: _k, notes: _n, cwes: _c, ...bare } = entry;
    const items = await collect(parseKev(streamOf(catalog([entry, bare])), { fileName: 'k.json' }));
    expect(items[1]).toMatchObject({
      knownRansomwareCampaignUse: 'Known',
      notes: entry.notes,
      cwes: ['CWE-78'],
    });
    expect(items[2]).toMatchObject({
      knownRansomwareCampaignUse: 'Unknown',
      notes: null,
      cwes: [],
    });
  });

  it('yields meta first even when the header members follow the array', async () => {
    const text = `{"vulnerabilities":[${JSON.stringify(entry)}],"catalogVersion":"1","dateReleased":"2025-01-01T00:00:00Z","count":1}`;
    const items = await collect(parseKev(streamOf(text, 7), { fileName: 'k.json' }));
    expect(items.map((i) => i.type)).toEqual(['meta', 'kev']);
  });

  it.each([
    ['a bad CVE id', { cveID: 'CVE-24-1' }, 'vulnerabilities[1].cveID'],
    ['a date that is not YYYY-MM-DD', { dueDate: '22/05/2024' }, 'vulnerabilities[1].dueDate'],
    [
      'an unknown ransomware value',
      { knownRansomwareCampaignUse: 'Maybe' },
      'vulnerabilities[1].knownRansomwareCampaignUse',
    ],
    ['a malformed CWE', { cwes: ['CWE-78', 'NVD-CWE-noinfo'] }, 'vulnerabilities[1].cwes[1]'],
    ['a missing required field', { product: undefined }, 'vulnerabilities[1].product'],
  ])('names the entry index and field for %s', async (_label, patch, where) => {
    const bad = { ...entry, ...patch };
    const err = await vzError(() =>
      collect(parseKev(streamOf(catalog([entry, bad])), { fileName: 'kev.json' })),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toContain('kev.json: ');
    expect(err.message).toContain(where);
  });

  it('refuses a catalog whose count disagrees with its entries', async () => {
    const err = await vzError(() =>
      collect(parseKev(streamOf(catalog([entry], { count: 2 })), { fileName: 'kev.json' })),
    );
    expect(err).toMatchObject({ code: 'FEED_MALFORMED' });
    expect(err.message).toMatch(/declares 2 vulnerabilities but holds 1/);
  });

  it('refuses a catalog without catalogVersion or with a bad dateReleased', async () => {
    const noVersion = JSON.stringify({
      dateReleased: '2025-01-01T00:00:00Z',
      count: 0,
      vulnerabilities: [],
    });
    expect(
      (await vzError(() => collect(parseKev(streamOf(noVersion), { fileName: 'k' })))).message,
    ).toMatch(/missing required field\(s\): catalogVersion/);
    const badDate = catalog([], { dateReleased: '2025-01-01 10:00' });
    const err = await vzError(() => collect(parseKev(streamOf(badDate), { fileName: 'k' })));
    expect(err.message).toMatch(/^k: dateReleased: /);
  });

  it('refuses a truncated catalog', async () => {
    const text = fixture(KEV).subarray(0, 500_000);
    const err = await vzError(() =>
      collect(parseKev(streamOf(text, 65536), { fileName: 'kev.json' })),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toMatch(/ends early/);
  });

  it('stops with CANCELLED when the job is cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const err = await vzError(() =>
      collect(parseKev(streamOf(fixture(KEV)), { fileName: KEV, signal: controller.signal })),
    );
    expect(err.code).toBe('CANCELLED');
  });
});
