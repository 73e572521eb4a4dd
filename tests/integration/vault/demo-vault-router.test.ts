/**
 * "Try with sample data" over the router: the real vault is locked, a demo vault of the
 * shipped sample files opens in its own folder and says it is a demo, its findings are
 * there, and locking it discards it and returns to the real vault untouched.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { testCore } from '../../helpers/core';
import { PASS } from '../../helpers/vault';

async function ok<T>(core: ReturnType<typeof testCore>, channel: string, input?: unknown) {
  const result = await core.router.call(channel, input);
  if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

type Status = { state: string; path: string; demo: boolean; operator: { name: string } | null };

describe('demo vault from the app', () => {
  it('opens a separate, labelled demo and discards it on lock', async () => {
    const core = testCore();
    await ok(core, 'vault.create', { operator: 'alice', passphrase: PASS });
    const real = await ok<Status>(core, 'vault.status');
    expect(real).toMatchObject({ state: 'unlocked', demo: false });

    const started = await ok<{ path: string; operator: { name: string; role: string } }>(
      core,
      'vault.startDemo',
    );
    expect(started.operator).toMatchObject({ name: 'demo', role: 'admin' });
    expect(started.path).not.toBe(real.path);
    expect(dirname(started.path)).toBe(`${dirname(real.path)}/demo-vault`);
    const demo = await ok<Status>(core, 'vault.status');
    expect(demo).toMatchObject({ state: 'unlocked', demo: true, path: started.path });
    const count = await ok<{ total: number }>(core, 'findings.count', { filter: {} });
    expect(count.total).toBeGreaterThan(100);
    const audit = await ok<{ action: string }[]>(core, 'audit.list', { limit: 200 });
    expect(audit.map((e) => e.action)).toContain('demo.init');

    await ok(core, 'vault.lock');
    expect(existsSync(dirname(started.path))).toBe(false);
    const back = await ok<Status>(core, 'vault.status');
    expect(back).toMatchObject({ state: 'locked', demo: false, path: real.path });
    expect(existsSync(real.path)).toBe(true);
    await ok(core, 'vault.unlock', { operator: 'alice', passphrase: PASS });
    const realCount = await ok<{ total: number }>(core, 'findings.count', { filter: {} });
    expect(realCount.total).toBe(0);
    await core.dispose();
  });

  it('says what is missing when the sample files are not there, and stays on the real vault', async () => {
    const core = testCore({ demoDir: '/nonexistent/vz-demo' });
    const failed = await core.router.call('vault.startDemo', undefined);
    expect(failed.ok).toBe(false);
    if (!failed.ok) {
      expect(failed.error.code).toBe('DEMO_DATA_MISSING');
      expect(failed.error.message).toContain('/nonexistent/vz-demo/scans');
    }
    const status = await ok<Status>(core, 'vault.status');
    expect(status).toMatchObject({ state: 'absent', demo: false });
    expect(existsSync(dirname(core.ctx.vault.demoPath()))).toBe(false);
  });
});
