import { existsSync, mkdtempSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RENDERER_CSP_HEADER } from '../../src-main/core/csp';
import { startHarness, type Harness } from '../../src-main/harness/server';
import { apiShape } from '../../src-preload/api-shape';
import { testCore } from '../helpers/core';
import { PASS } from '../helpers/vault';

const dir = mkdtempSync(join(tmpdir(), 'vz-harness-'));
mkdirSync(join(dir, 'assets'));
writeFileSync(
  join(dir, 'index.html'),
  '<!doctype html><html><head><title>t</title></head><body></body></html>',
);
writeFileSync(join(dir, 'assets', 'app.js'), 'export {}');
writeFileSync(join(dirname(dir), `${dir.split('/').pop()}-secret`), 'secret');

function dirname(p: string) {
  return p.slice(0, p.lastIndexOf('/'));
}

const core = testCore({ runtime: { transport: 'harness' } });
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness({ core, rendererDir: dir });
});
afterAll(async () => {
  await harness.close();
});

function call(channel: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${harness.origin}/__vz/call/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

describe('loopback harness', () => {
  it('listens on loopback with a random port and a long token', () => {
    expect(harness.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(harness.token).toMatch(/^[0-9a-f]{48}$/);
    expect(harness.url).toBe(`${harness.origin}/?token=${harness.token}`);
  });

  it('routes calls through the same router, with the token', async () => {
    const res = await call('app.version', {}, { 'x-vz-token': harness.token });
    expect(await res.json()).toMatchObject({ ok: true, value: { transport: 'harness' } });
    const bad = await call(
      'jobs.cancel',
      { input: { jobId: '' } },
      { 'x-vz-token': harness.token },
    );
    expect(await bad.json()).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });

  it('rejects calls without the token, with a wrong token, from another origin or with a bad body', async () => {
    expect((await call('app.version', {})).status).toBe(403);
    expect((await call('app.version', {}, { 'x-vz-token': 'x'.repeat(48) })).status).toBe(403);
    expect(
      (
        await call(
          'app.version',
          {},
          { 'x-vz-token': harness.token, origin: 'http://evil.example' },
        )
      ).status,
    ).toBe(403);
    const res = await fetch(`${harness.origin}/__vz/call/app.version`, {
      method: 'POST',
      headers: { 'x-vz-token': harness.token },
      body: '{not json',
    });
    expect(res.status).toBe(400);
  });

  it('rejects a foreign Host header (DNS rebinding)', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const url = new URL(harness.origin);
      const req = request(
        { host: url.hostname, port: url.port, path: '/', headers: { host: 'evil.example' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end();
    });
    expect(status).toBe(421);
  });

  it('serves index.html only with the token, injecting the bridge and the CSP header', async () => {
    expect((await fetch(`${harness.origin}/`)).status).toBe(403);
    const res = await fetch(harness.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toBe(RENDERER_CSP_HEADER);
    const html = await res.text();
    expect(html).toContain(`<meta name="vz-harness-token" content="${harness.token}">`);
    expect(html).toContain('<script src="./__vz/bridge.js"></script>');
    expect((await fetch(`${harness.origin}/assets/app.js`)).status).toBe(200);
    expect((await fetch(`${harness.origin}/assets/missing.js`)).status).toBe(404);
    expect((await fetch(`${harness.origin}/..%2f${dir.split('/').pop()}-secret`)).status).toBe(404);
    expect((await fetch(`${harness.origin}/assets/app.js`, { method: 'DELETE' })).status).toBe(405);
  });

  it('serves a bridge script that builds the preload shape', async () => {
    const script = await (await fetch(`${harness.origin}/__vz/bridge.js`)).text();
    expect(script).toContain(JSON.stringify(apiShape()));
    expect(script).toContain("Object.defineProperty(window, 'vulnzero'");
  });

  it('streams events to token holders as server-sent events', async () => {
    expect((await fetch(`${harness.origin}/__vz/events`)).status).toBe(403);
    const controller = new AbortController();
    const res = await fetch(`${harness.origin}/__vz/events?token=${harness.token}`, {
      signal: controller.signal,
    });
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const reader = res.body!.getReader();
    await reader.read(); // the ": connected" comment
    core.events.emit('progress', {
      jobId: 'j1',
      kind: 'import',
      phase: 'parse',
      done: 5,
      total: 10,
    });
    const { value } = await reader.read();
    const text = new TextDecoder().decode(value);
    expect(JSON.parse(text.replace(/^data: /, '').trim())).toEqual({
      name: 'progress',
      payload: { jobId: 'j1', kind: 'import', phase: 'parse', done: 5, total: 10 },
    });
    controller.abort();
  });

  it('stages a dropped file only for token holders with the vault unlocked, owner-only, under a safe name', async () => {
    const stage = (name: string, headers: Record<string, string>) =>
      fetch(`${harness.origin}/__vz/stage?name=${encodeURIComponent(name)}`, {
        method: 'POST',
        headers,
        body: 'scan bytes',
      });
    expect((await stage('a.nessus', {})).status).toBe(403);
    const locked = (await (await stage('a.nessus', { 'x-vz-token': harness.token })).json()) as {
      ok: boolean;
      error?: { code: string };
    };
    expect(locked).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });

    await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
    const staged = (await (
      await stage('../../etc/x\u0001.xml', { 'x-vz-token': harness.token })
    ).json()) as {
      ok: boolean;
      value: string;
    };
    expect(staged.ok).toBe(true);
    const root = join(dirname(core.ctx.vault.path), 'staged-imports');
    expect(staged.value.startsWith(root + '/')).toBe(true);
    expect(staged.value.split('/').pop()).toBe('x_.xml');
    expect(readFileSync(staged.value, 'utf8')).toBe('scan bytes');
    expect(statSync(staged.value).mode & 0o777).toBe(0o600);
    // The staged copy goes when the last import ends.
    core.events.emit('jobFinished', { jobId: 'j2', kind: 'import', state: 'done' });
    expect(existsSync(root)).toBe(false);
  });
});
