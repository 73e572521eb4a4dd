/**
 * assets.set, assets.merge and findings.decide run as jobs in the vault writer thread:
 * the channel's answer is unchanged, the job reports its phases as progress events, the
 * main thread's event loop keeps turning while priorities of 60,000 findings are
 * recomputed, the audit entry carries the operator, and a refused change leaves the vault
 * as it was.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';
import { populateTriage } from '../../helpers/synthetic-triage';
import { PASS } from '../../helpers/vault';

const core = testCore();
const { router } = core;
const events: { name: string; payload: Record<string, unknown> }[] = [];
core.events.subscribe((name, payload) =>
  events.push({ name, payload: payload as Record<string, unknown> }),
);

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = await router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function jobEvents(kind: string): { name: string; payload: Record<string, unknown> }[] {
  return events.filter((e) => e.payload['kind'] === kind);
}

interface Row {
  id: number;
  assetId: number;
  riskScore: number;
  status: string;
}

async function rows(filter: Record<string, unknown> = {}): Promise<Row[]> {
  const page = await call<{ rows: Row[] }>('findings.page', {
    filter,
    sort: { column: 'id', dir: 'asc' },
    limit: 200,
  });
  return page.rows;
}

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  populateTriage(core.ctx.vault.session().db, {
    findings: 60_000,
    assets: 600,
    vulnerabilities: 900,
  });
}, 120_000);

describe('writes that can touch every finding run in the writer thread', () => {
  it('assets.set by CIDR: progress phases, a free main thread, recomputed priorities, audit', async () => {
    const before = await rows();
    let ticks = 0;
    const timer = setInterval(() => (ticks += 1), 5);
    const result = await call<{ updated: number }>('assets.set', {
      cidr: '10.0.0.0/8',
      criticality: 'critical',
      exposure: 'internet',
    });
    clearInterval(timer);
    expect(result).toEqual({ updated: 600 });

    const job = jobEvents('assets.set');
    const phases = job.filter((e) => e.name === 'progress').map((e) => e.payload['phase']);
    expect(phases).toContain('recompute priorities');
    expect(job.at(-1)).toMatchObject({ name: 'jobFinished', payload: { state: 'done' } });
    // The main thread ran timers while the writer thread recomputed 60,000 priorities.
    expect(ticks).toBeGreaterThan(3);

    const after = new Map((await rows()).map((r) => [r.id, r.riskScore]));
    const raised = before.filter((r) => (after.get(r.id) ?? 0) > r.riskScore);
    expect(raised.length).toBeGreaterThan(0);
    expect(before.every((r) => (after.get(r.id) ?? 0) >= r.riskScore)).toBe(true);

    const audit = await call<{ action: string; operatorName: string }[]>('audit.list', {
      limit: 1,
    });
    expect(audit[0]).toMatchObject({ action: 'assets.set', operatorName: 'alice' });
  }, 120_000);

  it('findings.decide: a refused decision is a typed error from the thread and changes nothing', async () => {
    const open = (await rows({ status: ['open'] })).slice(0, 3).map((r) => r.id);
    const auditBefore = await call<unknown[]>('audit.list', { limit: 500 });
    expect(
      await router.call('findings.decide', {
        ids: open,
        action: 'accept',
        reason: 'compensating control',
        confirm: true,
      }),
    ).toMatchObject({ ok: false, error: { code: 'DECISION_INVALID', message: /expiry/ } });
    expect(jobEvents('findings.decide').at(-1)).toMatchObject({
      name: 'jobFinished',
      payload: { state: 'failed', error: { code: 'DECISION_INVALID' } },
    });
    expect((await rows({ status: ['open'] })).slice(0, 3).map((r) => r.id)).toEqual(open);
    expect(await call<unknown[]>('audit.list', { limit: 500 })).toHaveLength(auditBefore.length);

    expect(
      await call('findings.decide', {
        ids: open,
        action: 'false_positive',
        reason: 'banner only',
        confirm: true,
      }),
    ).toEqual({ updated: 3, skipped: 0 });
    const marked = await rows({ status: ['false_positive'] });
    expect(marked.map((r) => r.id)).toEqual(expect.arrayContaining(open));
  }, 60_000);

  it('assets.merge: the merge is made in the thread, with progress and audit', async () => {
    // (Findings moving on real imports is covered in triage-router.test.ts; the synthetic
    // population's identities are not import identities, so they stay where they are.)
    const mergedInto = (id: number): unknown =>
      core.ctx.vault
        .session()
        .db.prepare('SELECT merged_into FROM assets WHERE id = ?')
        .pluck()
        .get(id);
    expect(mergedInto(1)).toBeNull();
    const { mergeId } = await call<{ mergeId: number }>('assets.merge', {
      fromId: 1,
      intoId: 2,
      confirm: true,
    });
    expect(mergeId).toBeGreaterThan(0);
    expect(mergedInto(1)).toBe(2);
    expect(
      jobEvents('assets.merge')
        .filter((e) => e.name === 'progress')
        .map((e) => e.payload['phase']),
    ).toContain('move findings');
    expect(jobEvents('assets.merge').at(-1)).toMatchObject({
      name: 'jobFinished',
      payload: { state: 'done' },
    });
    const audit = await call<{ action: string }[]>('audit.list', { limit: 1 });
    expect(audit[0]?.action).toMatch(/^assets\.merge/);
  }, 60_000);
});
