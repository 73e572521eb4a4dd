import { afterEach, describe, expect, it, vi } from 'vitest';
import { testCore } from '../../helpers/core';
import { populateTriage } from '../../helpers/synthetic-triage';
import { PASS } from '../../helpers/vault';

afterEach(() => {
  vi.useRealTimers();
});

describe('vault manager timers', () => {
  it('takes the scheduled backup in the writer thread a minute after unlocking, then on its interval', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const core = testCore();
    await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
    const session = core.ctx.vault.session();
    expect(session.listBackups()).toEqual([]);
    vi.advanceTimersByTime(60_000);
    vi.useRealTimers();
    await expect
      .poll(() => session.listBackups().map((b) => b.reason), { timeout: 20_000 })
      .toEqual(['scheduled']);
  });

  it('locks itself after the idle time and tells the renderer why', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval'] });
    const core = testCore();
    const reasons: string[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'vaultLocked') reasons.push((payload as { reason: string }).reason);
    });
    await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
    await core.router.call('vault.updateSettings', { idleLockMinutes: 1 });
    vi.advanceTimersByTime(59_000);
    expect(core.ctx.vault.state()).toBe('unlocked');
    vi.advanceTimersByTime(2_000);
    expect(core.ctx.vault.state()).toBe('locked');
    expect(reasons).toEqual(['idle']);
  });

  it('reopens expired risk acceptances every hour while unlocked', async () => {
    vi.useFakeTimers({
      toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
    });
    vi.setSystemTime(new Date('2026-03-01T12:00:00Z'));
    const core = testCore();
    await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
    // The longest idle lock (24 h) keeps the vault open through the two simulated hours.
    await core.router.call('vault.updateSettings', { idleLockMinutes: 24 * 60 });
    const db = core.ctx.vault.session().db;
    populateTriage(db, { findings: 20, assets: 3, vulnerabilities: 4 });
    const ids = db
      .prepare(`SELECT id FROM findings WHERE status = 'open' LIMIT 2`)
      .pluck()
      .all() as number[];
    expect(
      await core.router.call('findings.decide', {
        ids,
        action: 'accept',
        reason: 'maintenance window in March',
        expiresOn: '2026-03-02',
        confirm: true,
      }),
    ).toEqual({ ok: true, value: { updated: 2, skipped: 0 } });
    vi.advanceTimersByTime(60 * 60_000);
    expect(
      db
        .prepare(`SELECT count(*) FROM findings WHERE status = 'accepted' AND id IN (?, ?)`)
        .pluck()
        .get(...ids),
    ).toBe(2);
    vi.setSystemTime(new Date('2026-03-03T00:30:00Z'));
    vi.advanceTimersByTime(60 * 60_000);
    expect(
      db.prepare(`SELECT status, status_reason FROM findings WHERE id IN (?, ?)`).all(...ids),
    ).toEqual([
      { status: 'open', status_reason: 'risk acceptance expired on 2026-03-02' },
      { status: 'open', status_reason: 'risk acceptance expired on 2026-03-02' },
    ]);
  });
});
