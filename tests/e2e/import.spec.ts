import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVaultInUi, expect, test } from './harness';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

test('import screen: per-file results, errors and history', async ({ page, harness }, testInfo) => {
  const bad = join(mkdtempSync(join(tmpdir(), 'vz-e2e-import-')), 'notes.txt');
  writeFileSync(bad, 'not a scanner export\n');
  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await expect(page.getByText('Nothing imported yet.')).toBeVisible();
  await page.getByRole('button', { name: 'Choose files…' }).click();
  await expect(page.getByText('The file dialog needs the desktop app')).toBeVisible();
  await page
    .getByLabel('Files to import')
    .fill(
      [
        join(fixtures, 'nessus_xml', 'nessus_with_cvssv3.nessus'),
        bad,
        join(fixtures, 'openvas_xml', 'many_vuln.xml'),
      ].join('\n'),
    );
  await page.getByRole('button', { name: 'Import 3 files' }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });

  const results = page.getByRole('table', { name: 'Import results' });
  const nessus = results.getByRole('row').filter({ hasText: 'nessus_with_cvssv3.nessus' });
  await expect(nessus.getByRole('cell')).toHaveText([
    'nessus_with_cvssv3.nessus',
    'nessus',
    '1',
    '48',
    '0',
    '0',
    '0',
    '0', // skipped: every host of this file has a usable identifier
    /s$/,
  ]);
  await expect(results.getByRole('row').filter({ hasText: 'notes.txt' })).toContainText(
    'not a recognised scanner export',
  );
  await expect(results.getByRole('row').filter({ hasText: 'many_vuln.xml' })).toContainText(
    'openvas-xml',
  );

  const history = page.getByRole('table', { name: 'Import history' });
  await expect(history.getByRole('row')).toHaveCount(3); // header + two imported files
  await page.screenshot({ path: testInfo.outputPath('import.png'), fullPage: true });
});
