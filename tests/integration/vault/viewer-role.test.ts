/**
 * The viewer role (the "curious second operator" of SECURITY.md): reads every screen's
 * figures, changes nothing. Writes are refused FORBIDDEN whichever path they take — a role
 * list, the audited transaction, or a writer-thread job — and a refused call leaves the
 * vault and its audit trail as they were. A viewer still keeps their own passphrase and
 * second factor.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS, PASS2 } from '../../helpers/vault';

const core = testCore();
const NESSUS = fixture('nessus_xml', 'nessus_with_cvssv3.nessus');

async function call(channel: string, input?: unknown) {
  return core.router.call(channel, input);
}
const db = () => core.ctx.vault.session().db;

/** The error of a job channel, refused when it starts or when its job runs. */
async function jobError(channel: string, input: unknown): Promise<string | undefined> {
  try {
    return (await runJob(core, channel, input)).error?.code;
  } catch (error) {
    // runJob throws "<channel>: <CODE>: <message>" when the call itself is refused.
    return /^[\w.]+: ([A-Z_]+):/.exec((error as Error).message)?.[1];
  }
}
const auditCount = () => db().prepare('SELECT count(*) FROM audit').pluck().get() as number;

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  expect((await runJob(core, 'import.start', { paths: [NESSUS] })).state).toBe('done');
  expect(
    await call('operators.add', { name: 'vera', role: 'viewer', passphrase: PASS2 }),
  ).toMatchObject({
    ok: true,
    value: { role: 'viewer' },
  });
  await call('vault.lock', undefined);
  expect(await call('vault.unlock', { operator: 'vera', passphrase: PASS2 })).toMatchObject({
    ok: true,
  });
}, 60_000);

describe('a viewer', () => {
  it('reads the findings, the dashboard, the report figures, drafts and health', async () => {
    const count = await call('findings.count', { filter: {} });
    expect(count).toMatchObject({ ok: true });
    expect((count as { value: { total: number } }).value.total).toBeGreaterThan(0);
    for (const [channel, input] of [
      ['dashboard.summary', undefined],
      ['reports.figures', {}],
      ['drafts.list', {}],
      ['ops.health', undefined],
      ['findings.views', undefined],
    ] as const)
      expect(await call(channel, input), channel).toMatchObject({ ok: true });
  });

  it('changes nothing: every write is FORBIDDEN and leaves no trace', async () => {
    const before = auditCount();
    const findingId = db().prepare('SELECT id FROM findings LIMIT 1').pluck().get() as number;
    const refusals = {
      decide: await call('findings.decide', {
        ids: [findingId],
        action: 'false_positive',
        reason: 'not ours',
        confirm: true,
      }),
      assets: await call('assets.set', { pattern: '*', criticality: 'critical' }),
      view: await call('findings.saveView', {
        name: 'mine',
        filter: {},
        sort: { column: 'risk', dir: 'desc' },
        columns: [],
        groupBy: null,
      }),
      settings: await call('vault.updateSettings', { backupKeep: 3 }),
    };
    for (const [what, result] of Object.entries(refusals))
      expect(result, what).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } });
    expect(await jobError('import.start', { paths: [NESSUS] })).toBe('FORBIDDEN');
    expect(
      await jobError('feeds.import', {
        paths: [fixture('feeds', 'known_exploited_vulnerabilities.json')],
      }),
    ).toBe('FORBIDDEN');
    expect(await jobError('drafts.create', { findingId, engine: 'rules' })).toBe('FORBIDDEN');
    expect(auditCount()).toBe(before);
    expect(
      db().prepare(`SELECT count(*) FROM findings WHERE status = 'false_positive'`).pluck().get(),
    ).toBe(0);
  });

  it('keeps their own passphrase and second factor', async () => {
    expect(await call('operators.enrollTotp', undefined)).toMatchObject({ ok: true });
    expect(
      await call('vault.changePassphrase', { current: PASS2, next: `${PASS2}-new` }),
    ).toMatchObject({
      ok: true,
    });
  });

  it('is refused by the CLI too, and listed with its role', async () => {
    core.ctx.vault.lock('test');
    const vz = cli({
      VULNZERO_VAULT: core.ctx.vault.path,
      VULNZERO_PASSPHRASE: `${PASS2}-new`,
      VULNZERO_OPERATOR: 'vera',
    });
    const listed = await vz('operators', 'list', '--json');
    expect(JSON.parse(listed.out)).toContainEqual(
      expect.objectContaining({ name: 'vera', role: 'viewer' }),
    );
    const refused = await vz('import', NESSUS);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('vera is a viewer');
    expect((await vz('findings', '--json', '--limit', '5')).code).toBe(0);
  });
});
