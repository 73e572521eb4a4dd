import { afterEach, describe, expect, it, vi } from 'vitest';
import { testCore } from '../../helpers/core';
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
});
