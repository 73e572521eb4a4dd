/**
 * The findings table's queries on a synthetic vault: every filter and sort, walked page
 * by page through the router, must return exactly the rows a brute-force filter and
 * sort of all findings gives — no row twice, none missing, in order. And the hot
 * queries must keep their index plans (EXPLAIN QUERY PLAN).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TriageFilter, TriageRow, TriageSort } from '../../../src-preload/contract';
import { pageSql } from '../../../src-main/triage/page';
import { findingGroups } from '../../../src-main/triage/groups';
import { testCore } from '../../helpers/core';
import { populateTriage } from '../../helpers/synthetic-triage';
import { PASS } from '../../helpers/vault';

const core = testCore();
const now = new Date();
let all: TriageRow[] = [];

async function call<T>(channel: string, input: unknown): Promise<T> {
  const result = await core.router.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function walk(filter: TriageFilter, sort: TriageSort, limit = 37): Promise<TriageRow[]> {
  const rows: TriageRow[] = [];
  let cursor: string | null | undefined;
  do {
    const page: { rows: TriageRow[]; next: string | null } = await call('findings.page', {
      filter,
      sort,
      limit,
      ...(cursor ? { cursor } : {}),
    });
    rows.push(...page.rows);
    cursor = page.next;
  } while (cursor);
  return rows;
}

const SEVERITY = { info: 0, low: 1, medium: 2, high: 3, critical: 4 };
const DECISION = { Defer: 0, Scheduled: 1, 'Out-of-cycle': 2, Immediate: 3 };
function sortValue(row: TriageRow, column: TriageSort['column']): string | number {
  switch (column) {
    case 'risk':
      return row.riskScore;
    case 'decision':
      return DECISION[row.decision];
    case 'severity':
      return SEVERITY[row.severity];
    case 'due':
      return row.dueAt;
    case 'epss':
      return row.epss ?? -1;
    case 'firstSeen':
      return row.firstSeen;
    case 'lastSeen':
      return row.lastSeen;
    case 'title':
      return row.title;
    case 'asset':
      return row.assetName;
    case 'id':
      return row.id;
  }
}

function expected(match: (r: TriageRow) => boolean, sort: TriageSort): number[] {
  const sign = sort.dir === 'asc' ? 1 : -1;
  return all
    .filter(match)
    .sort((a, b) => {
      const va = sortValue(a, sort.column);
      const vb = sortValue(b, sort.column);
      if (va < vb) return -sign;
      if (va > vb) return sign;
      return (a.id - b.id) * sign;
    })
    .map((r) => r.id);
}

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  populateTriage(core.ctx.vault.session().db, {
    findings: 3000,
    assets: 150,
    vulnerabilities: 120,
  });
  all = await walk({}, { column: 'id', dir: 'asc' }, 500);
}, 60_000);

describe('findings pages', () => {
  it('hold every finding once, with its stored priority', () => {
    expect(all).toHaveLength(3000);
    expect(new Set(all.map((r) => r.id)).size).toBe(3000);
    expect(all.some((r) => r.kev)).toBe(true);
    expect(all.every((r) => r.riskScore >= 0 && r.riskScore <= 100 && r.dueAt.endsWith('Z'))).toBe(
      true,
    );
  });

  const cases: [string, TriageFilter, (r: TriageRow) => boolean][] = [
    ['open', { status: ['open'] }, (r) => r.status === 'open'],
    [
      'open critical/high',
      { status: ['open'], severity: ['critical', 'high'] },
      (r) => r.status === 'open' && ['critical', 'high'].includes(r.severity),
    ],
    ['KEV', { kev: true }, (r) => r.kev],
    ['not KEV', { kev: false }, (r) => !r.kev],
    ['EPSS >= 0.5', { epssMin: 0.5 }, (r) => (r.epss ?? -1) >= 0.5],
    ['overdue', { overdue: true }, (r) => r.status === 'open' && r.dueAt < now.toISOString()],
    [
      'decision',
      { decision: ['Scheduled', 'Out-of-cycle'] },
      (r) => ['Scheduled', 'Out-of-cycle'].includes(r.decision),
    ],
    ['asset id', { assetId: 7 }, (r) => r.assetId === 7],
    ['asset text', { asset: 'host-12.' }, (r) => r.assetName === 'host-12.corp.example'],
    [
      'scanner',
      { scanner: 'trivy', status: ['accepted'] },
      (r) => r.scanner === 'trivy' && r.status === 'accepted',
    ],
    ['component', { component: 'openssl' }, (r) => r.component?.startsWith('openssl ') === true],
    ['CVE', { cve: 'cve-2019-10015' }, (r) => r.cves.includes('CVE-2019-10015')],
  ];
  const sorts: TriageSort[] = [
    { column: 'risk', dir: 'desc' },
    { column: 'due', dir: 'asc' },
    { column: 'title', dir: 'asc' },
    { column: 'asset', dir: 'desc' },
    { column: 'epss', dir: 'desc' },
    { column: 'severity', dir: 'asc' },
    { column: 'decision', dir: 'desc' },
    { column: 'lastSeen', dir: 'desc' },
    { column: 'firstSeen', dir: 'asc' },
    { column: 'id', dir: 'desc' },
  ];
  for (const [name, filter, match] of cases) {
    it(`filter "${name}" matches the brute-force result under every sort`, async () => {
      const want = expected(match, { column: 'id', dir: 'asc' });
      expect(want.length).toBeGreaterThan(0);
      const { total } = await call<{ total: number }>('findings.count', { filter });
      expect(total).toBe(want.length);
      for (const sort of sorts) {
        const got = (await walk(filter, sort)).map((r) => r.id);
        expect(got, `${name} sorted by ${sort.column} ${sort.dir}`).toEqual(expected(match, sort));
      }
    });
  }

  it('free text matches titles, CVE ids, asset names and components; every term must match', async () => {
    const openssl = await walk({ q: 'OpenSSL' }, { column: 'risk', dir: 'desc' });
    expect(openssl.length).toBeGreaterThan(0);
    expect(
      openssl.every((r) => r.title.includes('OpenSSL') || r.component?.startsWith('openssl ')),
    ).toBe(true);
    const byCve = await walk({ q: 'CVE-2019-10015' }, { column: 'risk', dir: 'desc' });
    expect(byCve.map((r) => r.id).sort()).toEqual(
      all
        .filter((r) => r.cves.includes('CVE-2019-10015'))
        .map((r) => r.id)
        .sort(),
    );
    const both = await walk({ q: 'openssl host-12.corp' }, { column: 'id', dir: 'asc' });
    expect(both.every((r) => r.assetName === 'host-12.corp.example')).toBe(true);
    // FTS5 syntax in the operator's text is data, not a query.
    expect(await walk({ q: 'NEAR(" OR *' }, { column: 'id', dir: 'asc' })).toEqual([]);
  });

  it('refuses a forged cursor with a clear error', async () => {
    const result = await core.router.call('findings.page', {
      filter: {},
      sort: { column: 'risk', dir: 'desc' },
      limit: 10,
      cursor: 'bm90LWpzb24',
    });
    expect(result).toMatchObject({ ok: false, error: { code: 'BAD_CURSOR' } });
  });

  it('groups count the matching findings by vulnerability, asset and component', async () => {
    const db = core.ctx.vault.session().db;
    for (const by of ['vulnerability', 'asset', 'component'] as const) {
      const groups = findingGroups(db, { status: ['open'] }, by, 1000, now);
      const open = all.filter((r) => r.status === 'open' && (by !== 'component' || r.component));
      expect(groups.reduce((n, g) => n + g.count, 0)).toBe(open.length);
      const [top] = groups;
      const members = await walk(top!.filter, { column: 'risk', dir: 'desc' });
      expect(members).toHaveLength(top!.count);
      expect(members[0]?.riskScore).toBe(top!.maxRisk);
    }
  });
});

describe('query plans of the hot queries', () => {
  function plan(filter: TriageFilter, sort: TriageSort, cursor = false): string {
    const db = core.ctx.vault.session().db;
    let request = { filter, sort, limit: 100 } as Parameters<typeof pageSql>[1];
    if (cursor) {
      const first = pageSql(db, request, now);
      const row = db.prepare(first.sql).get(...first.params) as { sort_value: number; id: number };
      request = {
        ...request,
        cursor: Buffer.from(JSON.stringify([row.sort_value, row.id])).toString('base64url'),
      };
    }
    const { sql, params } = pageSql(db, request, now);
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[])
      .map((r) => r.detail)
      .join(' | ');
  }

  it('a broad filter walks the sort column index and never sorts the table', () => {
    for (const cursor of [false, true]) {
      const p = plan(
        { status: ['open'], severity: ['critical', 'high'] },
        { column: 'risk', dir: 'desc' },
        cursor,
      );
      expect(p).toMatch(/(SCAN|SEARCH) f USING INDEX findings_risk\b/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
    expect(plan({ status: ['open'] }, { column: 'due', dir: 'asc' })).toMatch(
      /INDEX findings_due\b/,
    );
    expect(plan({ status: ['open'] }, { column: 'lastSeen', dir: 'desc' })).toMatch(
      /INDEX findings_last_seen/,
    );
  });

  it('KEV views use the partial KEV indexes', () => {
    expect(plan({ status: ['open'], kev: true }, { column: 'due', dir: 'asc' })).toMatch(
      /INDEX findings_kev_due/,
    );
    expect(plan({ kev: true }, { column: 'risk', dir: 'desc' })).toMatch(/INDEX findings_kev_risk/);
  });

  it('title and asset sorts walk the joined table by name and sort only ties', () => {
    expect(plan({ status: ['open'] }, { column: 'title', dir: 'asc' })).toMatch(
      /SCAN v USING INDEX vulnerabilities_title.*LAST TERM OF ORDER BY/,
    );
    expect(plan({ status: ['open'] }, { column: 'asset', dir: 'asc' })).toMatch(
      /SCAN a USING (COVERING )?INDEX assets_display_name.*LAST TERM OF ORDER BY/,
    );
  });

  it('a narrow filter starts from its own index instead of walking the sort index', () => {
    expect(plan({ assetId: 3 }, { column: 'risk', dir: 'desc' })).toMatch(
      /SEARCH f USING INDEX findings_asset_scanner_status \(asset_id=\?/,
    );
    expect(plan({ q: 'CVE-2019-10015' }, { column: 'risk', dir: 'desc' })).toMatch(
      /SEARCH f USING INDEX findings_vulnerability_status \(vulnerability_id=\?/,
    );
  });

  it('grouped counts by vulnerability read the covering index only', () => {
    const db = core.ctx.vault.session().db;
    const rows = db
      .prepare(
        `EXPLAIN QUERY PLAN SELECT f.vulnerability_id, count(*) FROM findings f INDEXED BY findings_vulnerability_status
         WHERE f.status IN ('open') GROUP BY f.vulnerability_id`,
      )
      .all() as { detail: string }[];
    expect(rows.map((r) => r.detail).join(' | ')).toMatch(
      /COVERING INDEX findings_vulnerability_status/,
    );
  });
});
