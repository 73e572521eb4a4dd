/**
 * `npm run dev:web` as an operator runs it: start scripts/dev-web.mjs, read the URL it
 * prints, load the page and call the core through it, then Ctrl-C (SIGINT) and check the
 * process ends cleanly. The script builds out/ itself when it is missing or stale.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

it('dev:web prints a tokenised loopback URL that serves the app and stops on Ctrl-C', async () => {
  const vault = join(mkdtempSync(join(tmpdir(), 'vz-devweb-')), 'vault.vz');
  const child = spawn(process.execPath, [join(root, 'scripts', 'dev-web.mjs'), '--vault', vault], {
    cwd: root,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no URL in 100 s; stderr:\n${stderr}`)),
      100_000,
    );
    void exited.then(({ code }) => reject(new Error(`dev:web exited with ${code}:\n${stderr}`)));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^VZ_HARNESS_URL (\S+)$/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  try {
    const parsed = new URL(url);
    expect(parsed.hostname).toBe('127.0.0.1');
    expect(parsed.searchParams.get('token')).toMatch(/^[0-9a-f]{48}$/);

    const page = await fetch(url);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<div id="root">');
    expect(html).toContain('__vz/bridge.js');

    // Without the token the page is refused: the URL printed is the only way in.
    expect((await fetch(parsed.origin + '/')).status).toBe(403);

    const status = await fetch(`${parsed.origin}/__vz/call/vault.status`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-vz-token': parsed.searchParams.get('token') ?? '',
      },
      body: JSON.stringify({}),
    });
    const body = (await status.json()) as { ok: boolean; value: { state: string; path: string } };
    expect(body).toMatchObject({ ok: true, value: { state: 'absent', path: vault } });
  } finally {
    child.kill('SIGINT');
  }
  expect(await exited).toEqual({ code: 0, signal: null });
}, 150_000);
