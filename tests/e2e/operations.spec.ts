/**
 * The Operations screen as an operator uses it: the import shows in Jobs with its duration
 * and outcome, Health says there is no backup yet; after a backup from Settings, Health
 * shows it and "Check last backup" verifies it (decrypt + integrity_check).
 */
import { expect, test, vaultWithNessusScan } from './harness';

test('jobs and health: an import, a backup and its check', async ({ page, harness }, testInfo) => {
  await vaultWithNessusScan(page, harness.url);

  await page.getByRole('button', { name: 'Operations', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Operations' })).toBeVisible();
  const jobs = page.getByRole('table', { name: 'Jobs' });
  const importRow = jobs.getByRole('row').filter({ hasText: 'Import' }).first();
  await expect(importRow).toContainText('done');
  await expect(importRow).toContainText(/\d+(\.\d)? (ms|s)/);
  const attention = page.getByRole('list', { name: 'Needs attention' });
  await expect(attention).toContainText('No backup of this vault yet.');
  await expect(attention).toContainText('Feed kev is not loaded.');
  await expect(page.getByTestId('last-backup')).toHaveText('none yet');

  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByRole('button', { name: /Back up now/ }).click();
  await expect(page.getByRole('cell', { name: 'manual', exact: true })).toBeVisible({
    timeout: 30_000,
  });

  await page.getByRole('button', { name: 'Operations', exact: true }).click();
  await expect(page.getByTestId('last-backup')).toContainText('manual');
  await expect(jobs.getByRole('row').filter({ hasText: 'Backup' }).first()).toContainText('done');
  await expect(page.getByTestId('backup-check')).toContainText('never checked');
  await page.getByRole('button', { name: 'Check last backup' }).click();
  await expect(page.getByText(/decrypts and passes its integrity check/)).toBeVisible({
    timeout: 30_000,
  });
  await expect(page.getByTestId('backup-check')).toContainText('ok on');
  await expect(jobs.getByRole('row').filter({ hasText: 'Backup check' })).toContainText('done');
  await expect(attention).not.toContainText('backup');
  await page.screenshot({ path: testInfo.outputPath('operations.png'), fullPage: true });
});
