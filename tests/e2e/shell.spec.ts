import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { apiShape } from '../../src-preload/api-shape';
import { createVaultInUi, expect, test } from './harness';

const pkg = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8'),
) as { version: string };

test('the production renderer shows the app shell and the core version', async ({
  page,
  harness,
}, testInfo) => {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });

  await createVaultInUi(page, harness.url);
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  for (const name of [
    'Dashboard',
    'Findings',
    'Assets',
    'Import',
    'Feeds',
    'Drafts',
    'Approvals',
    'Push',
    'Audit',
    'Settings',
  ]) {
    await expect(page.getByRole('button', { name, exact: true })).toBeVisible();
  }
  await expect(page.getByTestId('app-version')).toHaveText(`v${pkg.version}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Dashboard');

  await page.getByRole('button', { name: 'Findings', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Findings');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await page.getByRole('button', { name: 'Light theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'light');

  await page.screenshot({ path: testInfo.outputPath('app-shell.png'), fullPage: true });
  expect(errors).toEqual([]);
});

test('window.vulnzero has the preload shape and enforces the CSP', async ({ page, harness }) => {
  const response = await page.goto(harness.url);
  expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");

  const shape = await page.evaluate(() => {
    const api = (window as unknown as { vulnzero: Record<string, Record<string, unknown>> })
      .vulnzero;
    return Object.fromEntries(Object.entries(api).map(([k, v]) => [k, Object.keys(v).sort()]));
  });
  const expected = apiShape();
  expect(shape).toEqual({
    ...Object.fromEntries(Object.entries(expected.namespaces).map(([k, v]) => [k, [...v].sort()])),
    events: Object.values(expected.events).sort(),
    // Not a channel: the path of a dropped or picked file (api-shape.ts FileAccess).
    files: ['pathFor'],
  });

  const health = await page.evaluate(() =>
    (
      window as unknown as { vulnzero: { app: { health: () => Promise<unknown> } } }
    ).vulnzero.app.health(),
  );
  expect(health).toMatchObject({ ok: true, value: { status: 'ok', vault: 'absent' } });

  // Inline scripts are refused by the CSP: a script element with a body never runs.
  const inlineRan = await page.evaluate(async () => {
    const violation = new Promise<string>((resolve) =>
      document.addEventListener('securitypolicyviolation', (e) => resolve(e.violatedDirective), {
        once: true,
      }),
    );
    const script = document.createElement('script');
    script.textContent = 'window.__inlineRan = true';
    document.head.append(script);
    const directive = await violation;
    return {
      ran: (window as unknown as { __inlineRan?: boolean }).__inlineRan === true,
      directive,
    };
  });
  expect(inlineRan).toEqual({ ran: false, directive: expect.stringMatching(/^script-src/) });
});

test('the page without the token is refused', async ({ page, harness }) => {
  const response = await page.goto(harness.origin + '/');
  expect(response?.status()).toBe(403);
});
