/**
 * First run as a new user meets it: the empty gate offers "Try with sample data", which
 * opens a labelled demo vault with a populated dashboard and findings; leaving the demo
 * returns to the untouched first-run state. From a real, empty vault the dashboard offers
 * the same, and locking the demo comes back to the real vault's unlock screen.
 */
import { createVaultInUi, expect, test } from './harness';

test('from an empty vault to a populated dashboard in one step, kept apart from the real vault', async ({
  page,
  harness,
}, testInfo) => {
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
  await page.getByRole('button', { name: 'Try with sample data' }).click();

  const banner = page.getByTestId('demo-banner');
  await expect(banner).toContainText('DEMO VAULT', { timeout: 60_000 });
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  const open = page.getByRole('button', { name: /^Open findings: \d+/ });
  await expect(open).toBeVisible();
  const label = (await open.getAttribute('aria-label')) ?? '';
  expect(Number(/(\d+)/.exec(label)?.[1])).toBeGreaterThan(100);
  await expect(page.getByTestId('operator')).toContainText('demo');
  await page.screenshot({ path: testInfo.outputPath('first-run-demo.png'), fullPage: true });

  await page.getByRole('button', { name: 'Findings', exact: true }).click();
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await expect(banner).toBeVisible();

  await page.getByRole('button', { name: 'Leave the demo' }).click();
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
  await expect(banner).toHaveCount(0);

  // A real vault, empty: its dashboard offers the same sample data, in a separate vault.
  await createVaultInUi(page, harness.url);
  await expect(page.getByRole('heading', { name: 'No findings yet' })).toBeVisible();
  await page.getByRole('button', { name: 'Try with sample data' }).click();
  await expect(banner).toContainText('DEMO VAULT', { timeout: 60_000 });
  await expect(page.getByRole('button', { name: /^Open findings: \d+/ })).toBeVisible();
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock the vault' })).toBeVisible();
  await expect(banner).toHaveCount(0);
});
