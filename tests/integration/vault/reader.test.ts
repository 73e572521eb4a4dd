/**
 * The session's long-lived reader thread: it answers the dashboard, grouped counts and
 * report figures with the same results as the main connection, sees later imports (WAL snapshots), survives a data-key
 * rotation by restarting with the new key, and is gone once the vault locks.
 */
import { describe, expect, it } from 'vitest';
import { remediationFigures } from '../../../src-main/reports/figures';
import { dashboardFigures } from '../../../src-main/triage/dashboard';
import { findingGroups } from '../../../src-main/triage/groups';
import { countFindings } from '../../../src-main/triage/page';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS } from '../../helpers/vault';

const core = testCore();

async function importFile(path: string): Promise<void> {
  const end = await runJob(core, 'import.start', { paths: [path] });
  expect(end.state, end.error?.message).toBe('done');
}

const withoutTime = <T extends { generatedAt: string }>(s: T) => ({ ...s, generatedAt: '' });

describe('vault reader thread', () => {
  it('reads what the main connection reads, including later writes, across a rekey, until lock', async () => {
    await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
    const session = core.ctx.vault.session();
    const reader = session.reader();
    const empty = await reader.read('dashboard', {});
    expect(empty.total).toBe(0);

    await importFile(fixture('nessus_xml', 'nessus_with_cvssv3.nessus'));
    const after = await reader.read('dashboard', {});
    expect(after.total).toBeGreaterThan(0);
    expect(withoutTime(after)).toEqual(withoutTime(dashboardFigures(session.db)));
    // Two reads in flight at once each get their own answer.
    const [a, b] = await Promise.all([reader.read('dashboard', {}), reader.read('dashboard', {})]);
    expect(a.total).toBe(after.total);
    expect(b.open).toBe(after.open);

    // Grouped counts and report figures, the other heavy reads, agree with the main connection.
    const now = new Date().toISOString();
    const filter = { status: ['open' as const] };
    expect(await reader.read('groups', { filter, by: 'vulnerability', limit: 50, now })).toEqual(
      findingGroups(session.db, filter, 'vulnerability', 50, new Date(now)),
    );
    // findings.count too: the same number from the reader as from the main connection.
    for (const f of [{}, filter, { severity: ['critical' as const, 'high' as const] }])
      expect(await reader.read('count', { filter: f, now })).toBe(
        countFindings(session.db, f, new Date(now)),
      );
    const counted = await core.router.call('findings.count', { filter });
    expect(counted).toMatchObject({
      ok: true,
      value: { total: countFindings(session.db, filter) },
    });
    const scope = { from: '2000-01-01' };
    const figures = await reader.read('reportFigures', { scope, now });
    expect(figures.open.total).toBe(after.open);
    expect(withoutTime(figures)).toEqual(
      withoutTime(remediationFigures(session.db, scope, new Date(now))),
    );

    const rotated = await runJob(core, 'vault.rotateKey', { confirm: true });
    expect(rotated.state, rotated.error?.message).toBe('done');
    const afterRekey = await session.reader().read('dashboard', {});
    expect(afterRekey.total).toBe(after.total);

    const summary = await core.router.call('dashboard.summary', undefined);
    expect(summary.ok && (summary.value as { total: number }).total).toBe(after.total);

    await core.router.call('vault.lock', undefined);
    expect(() => session.reader()).toThrow(/locked/);
  });
});
