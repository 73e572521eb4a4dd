import { availableParallelism } from 'node:os';
/** The vault through the router, exactly as the renderer calls it. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { totp } from '../../../src-main/vault/totp';
import { testCore } from '../../helpers/core';
import { PASS, PASS2, tempDir } from '../../helpers/vault';

async function ok<T>(p: Promise<{ ok: boolean; value?: unknown; error?: unknown }>): Promise<T> {
  const r = await p;
  if (!r.ok) throw new Error(`expected ok, got ${JSON.stringify(r.error)}`);
  return r.value as T;
}

describe('vault over the router', () => {
  it('first run: absent → create → unlocked; lock → locked; wrong passphrase is a clear error', async () => {
    const core = testCore();
    const { router } = core;
    const locked: string[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'vaultLocked') locked.push((payload as { reason: string }).reason);
    });
    expect(await ok(router.call('vault.status', undefined))).toMatchObject({
      state: 'absent',
      operator: null,
    });
    expect(
      await router.call('vault.unlock', { operator: 'alice', passphrase: PASS }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_NOT_FOUND' } });
    expect(await ok(router.call('vault.checkPassphrase', { passphrase: 'letmein' }))).toMatchObject(
      { ok: false },
    );
    expect(
      await router.call('vault.create', { operator: 'alice', passphrase: 'weak' }),
    ).toMatchObject({ ok: false, error: { code: 'WEAK_PASSPHRASE' } });
    expect(
      await ok(router.call('vault.create', { operator: 'alice', passphrase: PASS })),
    ).toMatchObject({ operator: { name: 'alice', role: 'admin' } });
    expect(await ok(router.call('vault.status', undefined))).toMatchObject({
      state: 'unlocked',
      operator: { name: 'alice' },
    });
    expect(await router.call('vault.create', { operator: 'x', passphrase: PASS })).toMatchObject({
      ok: false,
      error: { code: 'VAULT_EXISTS' },
    });
    await ok(router.call('vault.lock', undefined));
    expect(locked).toEqual(['operator']);
    expect(await ok(router.call('vault.status', undefined))).toMatchObject({ state: 'locked' });
    expect(await router.call('vault.info', undefined)).toMatchObject({
      ok: false,
      error: { code: 'VAULT_LOCKED' },
    });
    expect(await router.call('vault.unlock', { operator: 'alice', passphrase: PASS2 })).toEqual({
      ok: false,
      error: { code: 'WRONG_PASSPHRASE', message: 'The passphrase is wrong for this operator.' },
    });
    await ok(router.call('vault.unlock', { operator: 'alice', passphrase: PASS }));
    expect(await ok(router.call('vault.info', undefined))).toMatchObject({
      cipher: 'sqlcipher',
      operators: [{ name: 'alice' }],
    });
  });

  it('operators, roles, TOTP, settings and audit through the router', async () => {
    const { router, ctx } = testCore();
    await ok(router.call('vault.create', { operator: 'alice', passphrase: PASS }));
    const bob = await ok<{ id: string }>(
      router.call('operators.add', { name: 'bob', role: 'analyst', passphrase: PASS2 }),
    );
    expect(await router.call('operators.remove', { id: bob.id })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const enrol = await ok<{ secret: string }>(router.call('operators.enrollTotp', undefined));
    await ok(router.call('operators.confirmTotp', { code: totp(enrol.secret) }));
    await ok(router.call('vault.lock', undefined));
    expect(
      await router.call('vault.unlock', { operator: 'alice', passphrase: PASS }),
    ).toMatchObject({ ok: false, error: { code: 'TOTP_REQUIRED' } });
    await ok(
      router.call('vault.unlock', {
        operator: 'alice',
        passphrase: PASS,
        totp: totp(enrol.secret),
      }),
    );

    expect(await ok(router.call('vault.getSettings', undefined))).toEqual({
      idleLockMinutes: 15,
      backupIntervalHours: 24,
      backupKeep: 7,
      llmThreads: Math.max(1, availableParallelism() - 1),
      requireSignedFeeds: false,
    });
    expect(
      await ok(router.call('vault.updateSettings', { idleLockMinutes: 5, llmThreads: 3 })),
    ).toMatchObject({ idleLockMinutes: 5, llmThreads: 3 });
    expect(ctx.vault.idleMinutes()).toBe(5);
    // The idle lock cannot be turned off (SECURITY.md, "An unlocked session").
    const off = await router.call('vault.updateSettings', { idleLockMinutes: 0 });
    expect(off).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    expect(JSON.stringify(off)).toContain('The idle lock cannot be turned off');
    expect(ctx.vault.idleMinutes()).toBe(5);
    // A 0 written by an older build locks after the default time.
    ctx.vault.session().setSetting('lock.idleMinutes', 0);
    expect(ctx.vault.idleMinutes()).toBe(15);
    ctx.vault.session().setSetting('lock.idleMinutes', 5);
    expect(ctx.llm.threadsFor(ctx.vault.session())).toBe(3);
    expect(await router.call('vault.updateSettings', { llmThreads: 0 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });

    await ok(router.call('operators.remove', { id: bob.id, confirm: true }));
    expect(
      (await ok<{ name: string }[]>(router.call('operators.list', undefined))).map((o) => o.name),
    ).toEqual(['alice']);

    const entries = await ok<{ action: string; seq: number }[]>(
      router.call('audit.list', { limit: 100 }),
    );
    expect(entries.map((e) => e.action)).toEqual(
      expect.arrayContaining([
        'vault.create',
        'operator.add',
        'operator.totp_enabled',
        'vault.lock',
        'settings.set',
        'operator.remove',
      ]),
    );
    expect(entries[0]!.seq).toBeGreaterThan(entries.at(-1)!.seq);
    const page2 = await ok<{ seq: number }[]>(
      router.call('audit.list', { limit: 2, beforeSeq: 3 }),
    );
    expect(page2.map((e) => e.seq)).toEqual([2, 1]);
    expect(await ok(router.call('audit.verify', undefined))).toMatchObject({ ok: true });
    const out = join(tempDir(), 'audit.jsonl');
    const exported = await ok<{ entries: number }>(
      router.call('audit.export', { path: out, format: 'jsonl' }),
    );
    expect(readFileSync(out, 'utf8').trim().split('\n')).toHaveLength(exported.entries);
    expect(await router.call('audit.export', { path: out, format: 'jsonl' })).toMatchObject({
      ok: false,
    });
  });

  it('rotates the key as a job with progress and backups / restore with confirmation', async () => {
    const core = testCore();
    const { router } = core;
    const seen: { name: string; payload: unknown }[] = [];
    core.events.subscribe((name, payload) => seen.push({ name, payload }));
    await ok(router.call('vault.create', { operator: 'alice', passphrase: PASS }));
    expect(await router.call('vault.rotateKey', {})).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
    const { jobId } = await ok<{ jobId: string }>(
      router.call('vault.rotateKey', { confirm: true }),
    );
    await expect
      .poll(() => seen.find((e) => e.name === 'jobFinished'), { timeout: 20_000 })
      .toBeTruthy();
    expect(seen.find((e) => e.name === 'jobFinished')?.payload).toMatchObject({
      jobId,
      state: 'done',
    });
    expect(
      seen.some((e) => e.name === 'progress' && (e.payload as { jobId: string }).jobId === jobId),
    ).toBe(true);
    expect(await ok(router.call('vault.info', undefined))).toMatchObject({ keyEpoch: 2 });

    const backup = await ok<{ path: string }>(router.call('vault.backup', undefined));
    expect(existsSync(backup.path)).toBe(true);
    expect(
      (await ok<{ reason: string }[]>(router.call('vault.listBackups', undefined))).map(
        (b) => b.reason,
      ),
    ).toEqual(['manual', 'pre-rekey']);
    expect(
      await router.call('vault.restore', { path: backup.path, passphrase: PASS }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
    const restored = await ok<{ previous: string }>(
      router.call('vault.restore', { path: backup.path, passphrase: PASS, confirm: true }),
    );
    expect(existsSync(restored.previous)).toBe(true);
    expect(await ok(router.call('vault.status', undefined))).toMatchObject({ state: 'unlocked' });
    expect(await ok(router.call('vault.check', undefined))).toMatchObject({
      ok: true,
      problems: [],
    });
  });
});
