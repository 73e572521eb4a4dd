import { describe, expect, it } from 'vitest';
import { parseCve5, type Cve5Record } from '../../../src-main/feeds/cve5';
import { collect, fixture, streamOf, vzError } from './helpers';

const FILE = 'cve5/CVE-2022-1576.json';

type Json = Record<string, unknown>;
function record(): Json {
  return JSON.parse(fixture(FILE).toString('utf8')) as Json;
}

/**
 * The real record plus a CISA vulnrichment ADP container shaped like the ones CISA
 * publishes (metrics[].other.type "ssvc", content.options as one-key objects), added here
 * because the sample record predates vulnrichment.
 */
function enriched(options: Json[], extra: Json = {}): Json {
  const r = record();
  const containers = r.containers as { adp: Json[] };
  containers.adp.push({
    title: 'CISA ADP Vulnrichment',
    providerMetadata: { orgId: '134c704f-9b21-4f2e-91b3-4a467353bcc0', shortName: 'CISA-ADP' },
    metrics: [
      {
        other: {
          type: 'ssvc',
          content: {
            id: 'CVE-2022-1576',
            role: 'CISA Coordinator',
            options,
            version: '2.0.3',
            timestamp: '2024-06-01T12:00:00.000000Z',
          },
        },
      },
      {
        cvssV3_1: {
          version: '3.1',
          baseScore: 8.1,
          vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
          baseSeverity: 'HIGH',
        },
      },
      {
        other: {
          type: 'kev',
          content: { dateAdded: '2024-06-02', reference: 'https://www.cisa.gov/kev' },
        },
      },
    ],
    problemTypes: [
      {
        descriptions: [
          {
            type: 'CWE',
            cweId: 'CWE-862',
            lang: 'en',
            description: 'CWE-862 Missing Authorization',
          },
        ],
      },
    ],
    ...extra,
  });
  return r;
}

const SSVC_OPTIONS = [
  { Exploitation: 'poc' },
  { Automatable: 'yes' },
  { 'Technical Impact': 'total' },
];

describe('parseCve5', () => {
  it('reads the real cvelistV5 record', async () => {
    const items = await collect(
      parseCve5(streamOf(fixture(FILE), 211), { fileName: 'CVE-2022-1576.json' }),
    );
    expect(items[0]).toEqual({
      type: 'meta',
      kind: 'cve5',
      fileName: 'CVE-2022-1576.json',
      version: null,
      date: null,
      recordCount: null,
    });
    expect(items.slice(1)).toEqual([
      {
        type: 'cve5',
        cveId: 'CVE-2022-1576',
        state: 'PUBLISHED',
        assigner: 'WPScan',
        datePublished: '2022-07-11T12:55:56.000Z',
        dateUpdated: '2024-08-03T00:10:03.924Z',
        title: 'WP Maintenance Mode & Coming Soon < 2.4.5 - Subscribed Users Deletion via CSRF',
        description:
          'The WP Maintenance Mode & Coming Soon WordPress plugin before 2.4.5 is lacking CSRF when emptying the subscribed users list, which could allow attackers to make a logged in admin perform such action via a CSRF attack',
        cwes: ['CWE-352'],
        references: ['https://wpscan.com/vulnerability/68deab46-1c16-46ae-a912-a104958ca4cf'],
        cvss: [],
        ssvc: null,
        kevDateAdded: null,
      } satisfies Cve5Record,
    ]);
  });

  it('reads CISA vulnrichment: SSVC points, ADP CVSS, ADP CWE and the KEV marker', async () => {
    const items = await collect(
      parseCve5(streamOf(JSON.stringify(enriched(SSVC_OPTIONS))), { fileName: 'r.json' }),
    );
    expect(items[1]).toMatchObject({
      ssvc: {
        exploitation: 'poc',
        automatable: 'yes',
        technicalImpact: 'total',
        provider: 'CISA-ADP',
        role: 'CISA Coordinator',
        version: '2.0.3',
      },
      cvss: [
        {
          version: '3.1',
          baseScore: 8.1,
          baseSeverity: 'HIGH',
          vectorString: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:N',
          provider: 'CISA-ADP',
        },
      ],
      cwes: ['CWE-352', 'CWE-862'],
      kevDateAdded: '2024-06-02',
    });
  });

  it('orders CVSS newest version first and keeps the CNA scores', async () => {
    const r = record();
    (r.containers as { cna: Json }).cna.metrics = [
      { cvssV2_0: { version: '2.0', baseScore: 4.3, vectorString: 'AV:N/AC:M/Au:N/C:N/I:P/A:N' } },
      {
        cvssV4_0: {
          version: '4.0',
          baseScore: 5.3,
          baseSeverity: 'MEDIUM',
          vectorString: 'CVSS:4.0/AV:N',
        },
      },
    ];
    const items = await collect(parseCve5(streamOf(JSON.stringify(r)), { fileName: 'r.json' }));
    expect((items[1] as Cve5Record).cvss.map((c) => [c.version, c.provider])).toEqual([
      ['4.0', 'cna'],
      ['2.0', 'cna'],
    ]);
  });

  it('accepts an array of records and JSON lines', async () => {
    const a = enriched([
      { Exploitation: 'active' },
      { Automatable: 'no' },
      { 'Technical Impact': 'partial' },
    ]);
    const b = record();
    const asArray = await collect(
      parseCve5(streamOf(JSON.stringify([a, b])), { fileName: 'all.json' }),
    );
    expect(asArray.map((i) => i.type)).toEqual(['meta', 'cve5', 'cve5']);
    expect((asArray[1] as Cve5Record).ssvc).toMatchObject({
      exploitation: 'active',
      automatable: 'no',
    });
    const lines = `${JSON.stringify(a)}\n${JSON.stringify(b)}\n`;
    const asLines = await collect(parseCve5(streamOf(lines, 50), { fileName: 'all.jsonl' }));
    expect(asLines).toEqual(
      asArray.map((i) => (i.type === 'meta' ? { ...i, fileName: 'all.jsonl' } : i)),
    );
  });

  it('reads a rejected record', async () => {
    const rejected = {
      dataType: 'CVE_RECORD',
      dataVersion: '5.1',
      cveMetadata: {
        cveId: 'CVE-2023-0001',
        state: 'REJECTED',
        dateUpdated: '2023-05-01T00:00:00.000Z',
      },
      containers: { cna: { rejectedReasons: [{ lang: 'en', value: 'Duplicate.' }] } },
    };
    const items = await collect(
      parseCve5(streamOf(JSON.stringify(rejected)), { fileName: 'r.json' }),
    );
    expect(items[1]).toMatchObject({
      cveId: 'CVE-2023-0001',
      state: 'REJECTED',
      description: null,
      cvss: [],
    });
  });

  it('refuses an SSVC value outside the SSVC vocabulary, naming where', async () => {
    const bad = enriched([{ Exploitation: 'maybe' }]);
    const err = await vzError(() =>
      collect(parseCve5(streamOf(JSON.stringify(bad)), { fileName: 'r.json' })),
    );
    expect(err.code).toBe('FEED_MALFORMED');
    expect(err.message).toContain('containers.adp[1].metrics[0].other.content.options[0]');
    expect(err.message).toContain('SSVC Exploitation "maybe" is not one of none, poc, active');
  });

  it('refuses records that are not CVE JSON 5, naming the record and field', async () => {
    const r = record();
    (r.cveMetadata as Json).cveId = 'CVE-22-1';
    const err = await vzError(() =>
      collect(parseCve5(streamOf(JSON.stringify([record(), r])), { fileName: 'all.json' })),
    );
    expect(err.message).toBe('all.json: [1] cveMetadata.cveId: expected CVE-YYYY-NNNN');
    const scalar = await vzError(() => collect(parseCve5(streamOf('42'), { fileName: 'x.json' })));
    expect(scalar.code).toBe('FEED_MALFORMED');
  });
});
