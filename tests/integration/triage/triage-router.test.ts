/**
 * Triage over the router on real scanner files and the real feed samples: stored
 * priorities agree with the prioritization code, follow asset edits, and every screen's
 * channel (detail, groups, decisions, views, facets, dashboard, assets) behaves.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Output, TriageRow } from '../../../src-preload/contract';
import { reopenExpired } from '../../../src-main/triage/decisions';
import { testCore } from '../../helpers/core';
import { runJob } from '../../helpers/jobs';
import { fixture } from '../../helpers/import';
import { PASS, PASS2, tempDir } from '../../helpers/vault';

const core = testCore();
const { router } = core;

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = await router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

async function job(channel: string, input: unknown): Promise<void> {
  const result = await runJob(core, channel, input);
  expect(result.state, result.error?.message).toBe('done');
}

async function everything(): Promise<TriageRow[]> {
  const page = await call<{ rows: TriageRow[] }>('findings.page', {
    filter: {},
    sort: { column: 'id', dir: 'asc' },
    limit: 500,
  });
  return page.rows;
}

type Stored = Output<'findings.list'>[number];
async function readTime(): Promise<Map<number, Stored>> {
  const rows = await call<Stored[]>('findings.list', { limit: 1000 });
  return new Map(rows.map((r) => [r.id, r]));
}

async function expectStoredEqualsReadTime(): Promise<TriageRow[]> {
  const rows = await everything();
  const computed = await readTime();
  for (const row of rows) {
    const c = computed.get(row.id)!;
    expect([row.id, row.riskScore, row.decision, row.dueAt, row.kev]).toEqual([
      c.id,
      c.riskScore,
      c.ssvc.decision,
      c.dueDate,
      c.kev !== null,
    ]);
  }
  return rows;
}

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  // A finding whose evidence tries to inject markup into the detail view.
  const dir = tempDir();
  const hostile = join(dir, 'hostile.nessus');
  const { readFileSync } = await import('node:fs');
  writeFileSync(
    hostile,
    readFileSync(fixture('nessus_xml', 'nessus_with_cvssv3.nessus'), 'utf8').replace(
      /<plugin_output>/,
      '<plugin_output>&lt;img src=x onerror=alert(1)&gt; ',
    ),
  );
  await job('import.start', { paths: [hostile, fixture('trivy', 'scheme_2_many_vulns.json')] });
  await job('feeds.import', {
    paths: [
      fixture('feeds', 'known_exploited_vulnerabilities.json'),
      fixture('feeds', 'epss_scores-2026-09-29.slice.csv'),
      fixture('feeds', 'nvd', 'full-page.json'),
    ],
  });
}, 120_000);

describe('stored priorities', () => {
  it('equal what the prioritization code computes, for every imported finding', async () => {
    const rows = await expectStoredEqualsReadTime();
    expect(rows.length).toBeGreaterThan(20);
    expect(new Set(rows.map((r) => r.riskScore)).size).toBeGreaterThan(3);
  });

  it('follow an asset criticality edit: higher criticality, higher risk', async () => {
    const before = await everything();
    const target = before.find((r) => r.scanner !== 'trivy')!;
    const assets = await call<Output<'assets.list'>>('assets.list', { limit: 100 });
    const asset = assets.find((a) => a.id === target.assetId)!;
    expect(asset.riskScore).toBe(
      Math.max(
        ...before
          .filter((r) => r.assetId === asset.id && r.status === 'open')
          .map((r) => r.riskScore),
      ),
    );
    expect(
      await call('assets.set', { ids: [asset.id], criticality: 'critical', exposure: 'internet' }),
    ).toEqual({
      updated: 1,
    });
    const after = await expectStoredEqualsReadTime();
    const moved = after.find((r) => r.id === target.id)!;
    expect(moved.riskScore).toBeGreaterThan(target.riskScore);
    // Findings on other assets did not move.
    const other = before.find((r) => r.assetId !== asset.id)!;
    expect(after.find((r) => r.id === other.id)?.riskScore).toBe(other.riskScore);
  });
});

describe('finding detail', () => {
  it('returns evidence as text, history, related findings and a breakdown that explains the score', async () => {
    const rows = await everything();
    const hostile = (
      await Promise.all(
        rows
          .filter((r) => r.scanner !== 'trivy')
          .map((r) => call<Output<'findings.detail'>>('findings.detail', { id: r.id })),
      )
    ).find((d) => d.evidence?.includes('<img'));
    expect(hostile?.evidence).toContain('<img src=x onerror=alert(1)>');
    const d = hostile!;
    expect(d.scans.map((s) => s.fileName)).toEqual(['hostile.nessus']);
    // The scanner's synopsis and description are kept (as text) for the detail view.
    expect(d.description?.length).toBeGreaterThan(20);
    expect(d.otherOnAsset.every((r) => r.assetId === d.asset.id && r.id !== d.row.id)).toBe(true);
    expect(d.sameCveOtherAssets.every((r) => r.vulnerabilityId === d.row.vulnerabilityId)).toBe(
      true,
    );
    const points = d.scoreBreakdown.reduce((n, c) => n + c.weight * c.factor, 0);
    expect(Math.round(points)).toBe(d.row.riskScore);
    expect(d.dueExplanation).toMatch(/SSVC|KEV/);
    expect(await router.call('findings.detail', { id: 999_999 })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
  });
});

describe('risk decisions', () => {
  it('accept needs reason, a future expiry and the approver or admin role; every decision is audited', async () => {
    const open = (await everything()).filter((r) => r.status === 'open').slice(0, 3);
    const ids = open.map((r) => r.id);
    const tomorrow = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    expect(
      await router.call('findings.decide', {
        ids,
        action: 'accept',
        expiresOn: tomorrow,
        confirm: true,
      }),
    ).toMatchObject({ ok: false, error: { code: 'DECISION_INVALID', message: /reason/ } });
    expect(
      await router.call('findings.decide', {
        ids,
        action: 'accept',
        reason: 'compensating control',
        confirm: true,
      }),
    ).toMatchObject({ ok: false, error: { code: 'DECISION_INVALID', message: /expiry/ } });
    expect(
      await router.call('findings.decide', {
        ids,
        action: 'accept',
        reason: 'x',
        expiresOn: '2020-01-01',
        confirm: true,
      }),
    ).toMatchObject({ ok: false, error: { message: /future/ } });
    expect(await router.call('findings.decide', { ids, action: 'reopen' })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });

    expect(
      await call('findings.decide', {
        ids: [...ids, ids[0]],
        action: 'accept',
        reason: 'compensating control: WAF rule 12',
        expiresOn: tomorrow,
        confirm: true,
      }),
    ).toEqual({ updated: 3, skipped: 0 });
    const accepted = await call<{ rows: TriageRow[] }>('findings.page', {
      filter: { status: ['accepted'] },
      sort: { column: 'id', dir: 'asc' },
      limit: 10,
    });
    expect(accepted.rows.map((r) => [r.id, r.statusReason])).toEqual(
      ids.map((id) => [id, 'compensating control: WAF rule 12']),
    );
    const audit = await call<{ action: string; summary: string }[]>('audit.list', { limit: 5 });
    const entry = audit.find((e) => e.action === 'findings.accept');
    expect(entry?.summary).toContain(String(ids[0]));

    // An analyst may mark false positives but not accept risk.
    await call('operators.add', { name: 'bob', role: 'analyst', passphrase: PASS2 });
    await call('vault.lock');
    await call('vault.unlock', { operator: 'bob', passphrase: PASS2 });
    expect(
      await router.call('findings.decide', {
        ids,
        action: 'accept',
        reason: 'r',
        expiresOn: tomorrow,
        confirm: true,
      }),
    ).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    const other = (await everything())
      .filter((r) => r.status === 'open')
      .slice(0, 2)
      .map((r) => r.id);
    expect(
      await call('findings.decide', {
        ids: other,
        action: 'false_positive',
        reason: 'banner only',
        confirm: true,
      }),
    ).toEqual({ updated: 2, skipped: 0 });
    // Already a false positive: skipped, not counted twice.
    expect(
      await call('findings.decide', {
        ids: other,
        action: 'false_positive',
        reason: 'again',
        confirm: true,
      }),
    ).toEqual({ updated: 0, skipped: 2 });
    expect(await call('findings.decide', { ids: other, action: 'reopen', confirm: true })).toEqual({
      updated: 2,
      skipped: 0,
    });
    expect(
      await call('findings.decide', {
        ids: other,
        action: 'assign',
        owner: 'team-web',
        confirm: true,
      }),
    ).toEqual({
      updated: 2,
      skipped: 0,
    });
    expect(
      await call('findings.decide', { ids: other, action: 'tag', tag: 'q4-patch', confirm: true }),
    ).toEqual({
      updated: 2,
      skipped: 0,
    });
    const tagged = await call<{ rows: TriageRow[] }>('findings.page', {
      filter: { tag: 'q4-patch', owner: 'team-web' },
      sort: { column: 'risk', dir: 'desc' },
      limit: 10,
    });
    expect(tagged.rows.map((r) => r.id).sort()).toEqual([...other].sort());
    expect(tagged.rows[0]?.tags).toEqual(['q4-patch']);
    expect(await call('findings.facets')).toMatchObject({
      tags: ['q4-patch'],
      owners: ['team-web'],
    });
    expect(
      await call('findings.decide', {
        ids: other,
        action: 'untag',
        tag: 'q4-patch',
        confirm: true,
      }),
    ).toEqual({
      updated: 2,
      skipped: 0,
    });
    const detail = await call<Output<'findings.detail'>>('findings.detail', { id: other[0] });
    expect(detail.decisions.map((d) => [d.kind, d.decidedBy, d.revokedAt === null])).toEqual([
      ['reopened', 'bob', true],
      ['false_positive', 'bob', false],
    ]);
    await call('vault.lock');
    await call('vault.unlock', { operator: 'alice', passphrase: PASS });
  });

  it('expired acceptances reopen on their own and say so', async () => {
    const session = core.ctx.vault.session();
    const accepted = (await everything()).filter((r) => r.status === 'accepted');
    expect(accepted).toHaveLength(3);
    const later = new Date(Date.now() + 3 * 86_400_000);
    expect(reopenExpired(session.db, { id: null, name: 'system' }, later)).toBe(3);
    expect(reopenExpired(session.db, { id: null, name: 'system' }, later)).toBe(0);
    const rows = (await everything()).filter((r) => accepted.some((a) => a.id === r.id));
    expect(rows.map((r) => r.status)).toEqual(['open', 'open', 'open']);
    expect(rows[0]?.statusReason).toMatch(/^risk acceptance expired on \d{4}-\d{2}-\d{2}$/);
    const audit = await call<{ action: string; operatorName: string }[]>('audit.list', {
      limit: 3,
    });
    expect(audit.find((e) => e.action === 'findings.acceptance_expired')?.operatorName).toBe(
      'system',
    );
  });
});

describe('views, dashboard and assets', () => {
  it('saves, replaces and deletes views (deleting needs confirmation)', async () => {
    const view = {
      name: 'KEV first',
      filter: { status: ['open'], kev: true },
      sort: { column: 'due', dir: 'asc' },
      columns: ['risk', 'title', 'asset'],
      groupBy: null,
    };
    expect(await call('findings.saveView', view)).toEqual([view]);
    expect(await call('findings.saveView', { ...view, columns: ['risk'] })).toEqual([
      { ...view, columns: ['risk'] },
    ]);
    expect(await router.call('findings.deleteView', { name: 'KEV first' })).toMatchObject({
      ok: false,
    });
    expect(await call('findings.deleteView', { name: 'KEV first', confirm: true })).toEqual([]);
    expect(await router.call('findings.deleteView', { name: 'nope', confirm: true })).toMatchObject(
      {
        ok: false,
        error: { code: 'NOT_FOUND' },
      },
    );
  });

  it('dashboard figures add up to the findings and are cached until something changes', async () => {
    const rows = await everything();
    const open = rows.filter((r) => r.status === 'open');
    const summary = await call<Output<'dashboard.summary'>>('dashboard.summary');
    expect(summary.total).toBe(rows.length);
    expect(summary.open).toBe(open.length);
    expect(summary.kevOpen).toBe(open.filter((r) => r.kev).length);
    expect(summary.overdue).toBe(open.filter((r) => r.overdue).length);
    expect(summary.byDecisionSeverity.reduce((n, c) => n + c.count, 0)).toBe(open.length);
    expect(summary.weekly).toHaveLength(12);
    expect(summary.expiredReopened).toBe(3);
    expect(summary.topAssets[0]?.riskScore).toBe(Math.max(...open.map((r) => r.riskScore)));
    // Top assets read from the head of the risk index agree with grouping every open row.
    const perAsset = new Map<number, { risk: number; n: number }>();
    for (const r of open) {
      const a = perAsset.get(r.assetId) ?? { risk: -1, n: 0 };
      perAsset.set(r.assetId, { risk: Math.max(a.risk, r.riskScore), n: a.n + 1 });
    }
    const top = [...perAsset.entries()]
      .sort(([ia, a], [ib, b]) => b.risk - a.risk || b.n - a.n || ia - ib)
      .slice(0, 10)
      .map(([id, a]) => [id, a.risk, a.n]);
    expect(summary.topAssets.map((a) => [a.id, a.riskScore, a.open])).toEqual(top);
    // Every trend bar and the expired figure click through to exactly their findings.
    const countOf = async (filter: object) =>
      (await call<{ total: number }>('findings.count', { filter })).total;
    expect(await countOf({ expiredSince: summary.expiredSince })).toBe(summary.expiredReopened);
    const sunday = (monday: string) =>
      new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10);
    expect(summary.weekly.reduce((n, w) => n + w.new, 0)).toBeGreaterThan(0);
    for (const w of summary.weekly) {
      expect(await countOf({ firstSeenFrom: w.week, firstSeenTo: sunday(w.week) })).toBe(w.new);
      expect(
        await countOf({
          status: ['fixed', 'fixed_verified'],
          changedFrom: w.week,
          changedTo: sunday(w.week),
        }),
      ).toBe(w.fixed);
    }
    expect(
      await router.call('findings.count', { filter: { firstSeenFrom: '2026-13-40' } }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const cached = await call<Output<'dashboard.summary'>>('dashboard.summary');
    expect(cached.generatedAt).toBe(summary.generatedAt);
    await call('findings.decide', {
      ids: [open[0]!.id],
      action: 'false_positive',
      reason: 'duplicate of another scanner',
      confirm: true,
    });
    const again = await call<Output<'dashboard.summary'>>('dashboard.summary');
    expect(again.open).toBe(summary.open - 1);
    // The trigger-kept cells (migration 010) equal a full count after imports,
    // re-imports, decisions and expiries.
    const db = core.ctx.vault.session().db;
    const kept = db
      .prepare(
        'SELECT status, decision_rank, severity_rank, kev, n FROM finding_cells WHERE n > 0 ORDER BY 1, 2, 3, 4',
      )
      .all();
    const counted = db
      .prepare(
        'SELECT status, decision_rank, severity_rank, kev, count(*) AS n FROM findings GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4',
      )
      .all();
    expect(kept.length).toBeGreaterThan(1);
    expect(kept).toEqual(counted);
  });

  it('asset detail shows identifiers; merge moves findings and split brings the asset back', async () => {
    const assets = await call<Output<'assets.list'>>('assets.list', { limit: 100 });
    expect(assets.length).toBeGreaterThanOrEqual(2);
    const [a, b] = assets as [Output<'assets.list'>[number], Output<'assets.list'>[number]];
    const detail = await call<Output<'assets.detail'>>('assets.detail', { id: a.id });
    expect(detail.identifiers.length).toBeGreaterThan(0);
    expect(
      (
        await call<Output<'assets.list'>>('assets.list', {
          limit: 10,
          q: detail.identifiers[0]!.value,
        })
      ).map((x) => x.id),
    ).toContain(a.id);
    const bFindings = (await everything()).filter((r) => r.assetId === b.id).length;
    expect(
      await router.call('assets.merge', { fromId: b.id, intoId: b.id, confirm: true }),
    ).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const { mergeId } = await call<{ mergeId: number }>('assets.merge', {
      fromId: b.id,
      intoId: a.id,
      confirm: true,
    });
    expect(await router.call('assets.detail', { id: b.id })).toMatchObject({
      ok: false,
      error: { code: 'NOT_FOUND' },
    });
    const merged = await call<Output<'assets.detail'>>('assets.detail', { id: a.id });
    expect(merged.merges.map((m) => m.id)).toContain(mergeId);
    expect(merged.openFindings).toBeGreaterThanOrEqual(a.openFindings);
    expect((await everything()).filter((r) => r.assetId === b.id)).toHaveLength(0);
    expect(bFindings).toBeGreaterThan(0);
    expect(await call('assets.split', { mergeId, confirm: true })).toEqual({ split: true });
    expect(
      (await call<Output<'assets.detail'>>('assets.detail', { id: b.id })).identifiers.length,
    ).toBeGreaterThan(0);
    expect(await router.call('assets.split', { mergeId, confirm: true })).toMatchObject({
      ok: false,
      error: { code: 'ALREADY_SPLIT' },
    });
  });
});
