/**
 * The remediation report as an operator takes it away: imported through the app, written
 * by `vulnzero report --format html` from the same vault, then opened in Chromium from
 * disk with no network. The page renders its figures and charts, loads nothing else, and
 * a screenshot is kept as a test artifact.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, PASSPHRASE, test, vaultWithNessusScan } from './harness';

const root = join(import.meta.dirname, '..', '..');

test('a saved HTML report opens in Chromium, self-contained', async ({
  page,
  harness,
}, testInfo) => {
  await vaultWithNessusScan(page, harness.url);
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

test('the Reports screen previews the figures and saves the report the CLI would', async ({
  page,
  harness,
}, testInfo) => {
  await vaultWithNessusScan(page, harness.url);

  await page.getByRole('button', { name: 'Reports', exact: true }).click();
  await page.getByLabel('From').fill('2000-01-01');
  await page.getByRole('button', { name: 'Preview' }).click();
  const preview = page.getByRole('article', { name: 'Report preview' });
  await expect(preview.getByRole('img', { name: 'By severity' })).toBeVisible();
  await expect(preview).toContainText('2000-01-01 to');
  const open = Number(
    await page.getByTestId('report-open-findings').locator('.figure-value').innerText(),
  );
  expect(open).toBeGreaterThan(0);
  // No native dialog in the harness: the path is typed.
  await expect(page.getByRole('button', { name: 'Choose…' })).toHaveCount(0);

  const dir = mkdtempSync(join(tmpdir(), 'vz-e2e-reports-screen-'));
  const out = join(dir, 'screen-report.html');
  await page.getByLabel('Save to').fill(out);
  await page.getByRole('button', { name: 'Save report' }).click();
  await expect(page.getByText(/Saved the HTML report/)).toContainText(`${open} open findings`);
  // Saving again without "replace" keeps the file and says why.
  await page.getByRole('button', { name: 'Save report' }).click();
  await expect(page.getByRole('alert')).toContainText('exists');

  await page.getByLabel('Format').selectOption('json');
  await page.getByLabel('Save to').fill(join(dir, 'screen-report.json'));
  await page.getByRole('button', { name: 'Save report' }).click();
  await expect(page.getByText(/Saved the JSON report/)).toBeVisible();
  const json = JSON.parse(readFileSync(join(dir, 'screen-report.json'), 'utf8')) as {
    open: { total: number };
  };
  expect(json.open.total).toBe(open);

  const tab = await page.context().newPage();
  await tab.goto(pathToFileURL(out).href);
  await expect(tab.getByRole('heading', { name: 'Remediation report' })).toBeVisible();
  await expect(tab.locator('.figure').first()).toContainText(String(open));
  await page.screenshot({ path: testInfo.outputPath('reports-screen.png'), fullPage: true });
});
