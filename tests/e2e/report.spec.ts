/**
 * The remediation report as an operator takes it away: imported through the app, written
 * by `vulnzero report --format html` from the same vault, then opened in Chromium from
 * disk with no network. The page renders its figures and charts, loads nothing else, and
 * a screenshot is kept as a test artifact.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createVaultInUi, expect, PASSPHRASE, test } from './harness';

const root = join(import.meta.dirname, '..', '..');
const fixtures = join(root, 'tests', 'fixtures');

test('a saved HTML report opens in Chromium, self-contained', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page
    .getByLabel('Files to import')
    .fill(join(fixtures, 'nessus_xml', 'nessus_with_cvssv3.nessus'));
  await page.getByRole('button', { name: 'Import file' }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });
  // The CLI reads the same vault; lock it in the app first (one writer at a time).
  await page.getByRole('button', { name: 'Lock' }).click();

  const out = join(mkdtempSync(join(tmpdir(), 'vz-e2e-report-')), 'report.html');
  const run = spawnSync(
    process.execPath,
    [
      join(root, 'bin', 'vulnzero.cjs'),
      'report',
      '--format',
      'html',
      '--out',
      out,
      '--from',
      '2000-01-01',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, VULNZERO_VAULT: harness.vaultPath, VULNZERO_PASSPHRASE: PASSPHRASE },
    },
  );
  expect(run.status, run.stderr).toBe(0);

  // A fresh tab, so only the report's own requests are seen.
  const tab = await page.context().newPage();
  const requests: string[] = [];
  tab.on('request', (r) => requests.push(r.url()));
  await tab.goto(pathToFileURL(out).href);
  await expect(tab.getByRole('heading', { name: 'Remediation report' })).toBeVisible();
  await expect(tab.getByRole('img', { name: 'By severity' })).toBeVisible();
  await expect(tab.getByRole('img', { name: 'By SSVC decision' })).toBeVisible();
  await expect(tab.locator('.figure').first()).toContainText('open findings');
  expect(requests).toEqual([pathToFileURL(out).href]);
  await tab.screenshot({ path: testInfo.outputPath('report.png'), fullPage: true });
});
