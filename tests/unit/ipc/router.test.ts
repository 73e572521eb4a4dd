import { describe, expect, it } from 'vitest';
import { VzError } from '../../../src-main/core/errors';
import { handlers } from '../../../src-main/ipc/handlers';
import { createRouter, type Handlers } from '../../../src-main/ipc/router';
import { channelNames } from '../../../src-preload/contract';
import { testCore } from '../../helpers/core';

function routerWith(overrides: Partial<Handlers['app']>) {
  const core = testCore();
  const router = createRouter({ ...handlers, app: { ...handlers.app, ...overrides } }, core.ctx);
  return { router, logger: core.logger };
}

describe('router', () => {
  it('answers a known channel with a validated value', async () => {
    const { router } = testCore();
    const result = await router.call('app.version', undefined);
    expect(result).toEqual({
      ok: true,
      value: expect.objectContaining({
        name: 'VulnZero',
        version: expect.stringMatching(/^\d+\.\d+\.\d+/),
        transport: 'direct',
      }),
    });
  });

  it('refuses unknown channels with a stable code', async () => {
    const { router } = testCore();
    for (const name of [
      'app.nope',
      'nope.version',
      'app',
      '',
      '__proto__.x',
      'app.constructor',
      'app.toString',
    ]) {
      const result = await router.call(name, undefined);
      expect(result).toEqual({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL', message: expect.stringContaining('Unknown channel') },
      });
    }
  });

  it('refuses input that does not match the schema, saying which field', async () => {
    const { router } = testCore();
    const result = await router.call('jobs.cancel', { jobId: 42 });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('INVALID_INPUT');
    expect(result.error.message).toContain('jobs.cancel');
    expect(result.error.message).toContain('jobId');
    expect(await router.call('app.version', { unexpected: true })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_INPUT' },
    });
  });

  it('passes a domain error through with its code and message', async () => {
    const { router } = routerWith({
      version: () => {
        throw new VzError('VAULT_LOCKED', 'The vault is locked.');
      },
    });
    expect(await router.call('app.version', undefined)).toEqual({
      ok: false,
      error: { code: 'VAULT_LOCKED', message: 'The vault is locked.' },
    });
  });

  it('turns an unexpected exception into INTERNAL without leaking the stack', async () => {
    const { router, logger } = routerWith({
      health: () => {
        throw new TypeError('secret internal detail at /home/op/vault.db');
      },
    });
    const result = await router.call('app.health', undefined);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret internal detail');
    expect(JSON.stringify(result)).not.toMatch(/at .*\.ts:\d+/);
    expect(
      logger.records.some(
        (r) => r.level === 'error' && JSON.stringify(r.fields).includes('secret internal detail'),
      ),
    ).toBe(true);
  });

  it('refuses a handler result that breaks the contract', async () => {
    const { router, logger } = routerWith({
      openExternal: () => ({ opened: 'yes' }) as unknown as { opened: boolean },
    });
    const result = await router.call('app.openExternal', { url: 'https://nvd.nist.gov/' });
    expect(result).toMatchObject({ ok: false, error: { code: 'INVALID_OUTPUT' } });
    expect(logger.records.at(-1)?.msg).toContain('does not match the contract');
  });

  it('routes every channel of the contract to a handler', async () => {
    const { router } = testCore();
    expect(router.channels().sort()).toEqual(channelNames().sort());
    for (const name of channelNames()) {
      const result = await router.call(name, undefined);
      if (!result.ok) expect(result.error.code).not.toBe('UNKNOWN_CHANNEL');
    }
  });
});

describe('app handlers', () => {
  it('reports health with vault state and running jobs', async () => {
    const { router, ctx } = testCore();
    expect(await router.call('app.health', undefined)).toMatchObject({
      ok: true,
      value: { vault: 'absent', runningJobs: 0 },
    });
    const { done } = ctx.jobs.start('test', () => new Promise((r) => setTimeout(r, 50)));
    expect(await router.call('app.health', undefined)).toMatchObject({
      ok: true,
      value: { runningJobs: 1 },
    });
    await done;
  });

  it('opens only allow-listed links, and only where the runtime can', async () => {
    const opened: string[] = [];
    const { router } = testCore({
      runtime: { transport: 'electron', openExternal: (u) => Promise.resolve(void opened.push(u)) },
    });
    expect(
      await router.call('app.openExternal', {
        url: 'https://nvd.nist.gov/vuln/detail/CVE-2021-44228',
      }),
    ).toEqual({
      ok: true,
      value: { opened: true },
    });
    const refused = await router.call('app.openExternal', {
      url: 'https://nvd.nist.gov.evil.example/',
    });
    expect(refused).toMatchObject({
      ok: true,
      value: { opened: false, reason: expect.stringContaining('not on the list') },
    });
    expect(opened).toEqual(['https://nvd.nist.gov/vuln/detail/CVE-2021-44228']);

    const headless = testCore();
    expect(
      await headless.router.call('app.openExternal', { url: 'https://nvd.nist.gov/' }),
    ).toMatchObject({
      ok: true,
      value: { opened: false, reason: expect.stringContaining('copy the URL') },
    });
  });
});
