/**
 * Drag-and-drop import as the harness offers it: a real scan file dropped on the Import
 * card (a DataTransfer built from its bytes) and another picked through the file input
 * are streamed to the harness and staged beside the vault, listed as paths, imported, and
 * the staged copies are removed once the import is over.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createVaultInUi, expect, test } from './harness';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const nessus = join(fixtures, 'nessus_xml', 'nessus_with_cvssv3.nessus');
const openvas = join(fixtures, 'openvas_xml', 'many_vuln.xml');

test('files dropped or picked are imported, and their staged copies removed', async ({
  page,
  harness,
}) => {
  const staging = join(dirname(harness.vaultPath), 'staged-imports');
  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  const zone = page.getByRole('region', { name: 'Drop scanner exports here' });
  const transfer = await page.evaluateHandle(
    ({ name, text }) => {
      const data = new DataTransfer();
      data.items.add(new File([text], name, { type: 'application/xml' }));
      return data;
    },
    { name: 'nessus_with_cvssv3.nessus', text: readFileSync(nessus, 'utf8') },
  );
  await zone.dispatchEvent('dragover', { dataTransfer: transfer });
  await zone.dispatchEvent('drop', { dataTransfer: transfer });
  const list = page.getByLabel('Files to import');
  await expect(list).toHaveValue(/staged-imports\/[0-9a-f-]+\/nessus_with_cvssv3\.nessus$/);

  await page.getByLabel('Add files from this computer').setInputFiles(openvas);
  await expect(list).toHaveValue(
    /nessus_with_cvssv3\.nessus\n.*staged-imports\/.*\/many_vuln\.xml$/,
  );
  expect(readdirSync(staging)).toHaveLength(2);

  await page.getByRole('button', { name: 'Import 2 files' }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });
  const results = page.getByRole('table', { name: 'Import results' });
  await expect(
    results
      .getByRole('row')
      .filter({ hasText: 'nessus_with_cvssv3.nessus' })
      .getByRole('cell')
      .nth(3),
  ).toHaveText('48');
  await expect(results.getByRole('row').filter({ hasText: 'many_vuln.xml' })).toContainText(
    'openvas',
  );
  await expect.poll(() => existsSync(staging)).toBe(false);
});
