import { join } from 'node:path';
import { createVaultInUi, expect, test } from './harness';

const fixtures = join(import.meta.dirname, '..', 'fixtures');

test('feeds: stale warning on the dashboard, loading files, status; asset exposure changes a finding’s priority', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await expect(page.getByRole('status')).toContainText('kev: never loaded');
  await page.getByRole('button', { name: 'Load feeds' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Feeds' })).toBeVisible();
  await page
    .getByLabel('Feed files')
    .fill(
      [
        join(fixtures, 'feeds', 'known_exploited_vulnerabilities.json'),
        join(fixtures, 'feeds', 'epss_scores-2026-09-29.slice.csv'),
      ].join('\n'),
    );
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText('Feeds loaded.')).toBeVisible({ timeout: 30_000 });
  const kevRow = page
    .getByRole('table', { name: 'Feed status' })
    .getByRole('row')
    .filter({ hasText: 'kev' });
  await expect(kevRow).toContainText('1404');
  await expect(kevRow).toContainText('unsigned file');
  await page.screenshot({ path: testInfo.outputPath('feeds.png'), fullPage: true });

  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page
    .getByLabel('Files to import')
    .fill(join(fixtures, 'qualys_xml', 'Qualys_Sample_Report.xml'));
  await page.getByRole('button', { name: 'Import file' }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });

  const decision = () =>
    page.evaluate(async () => {
      const api = (
        window as unknown as {
          vulnzero: {
            findings: {
              list: (i: unknown) => Promise<{
                ok: boolean;
                value: {
                  asset: { ip?: string };
                  ssvc: { decision: string; inputs: { exposure: { value: string } } };
                  kev: unknown;
                }[];
              }>;
            };
          };
        }
      ).vulnzero;
      const r = await api.findings.list({ limit: 50, cve: 'CVE-2019-0708' });
      const f = r.value.find((x) => x.kev !== null);
      return f
        ? { decision: f.ssvc.decision, exposure: f.ssvc.inputs.exposure.value, ip: f.asset.ip }
        : null;
    });
  const before = await decision();
  expect(before).toMatchObject({ exposure: 'controlled' });

  await page.getByRole('button', { name: 'Assets', exact: true }).click();
  await page.getByLabel('Apply to').selectOption('cidr');
  await page.getByLabel('CIDR').fill(`${before!.ip}/32`);
  await page.getByLabel('Exposure').selectOption('internet');
  await page.getByLabel('Criticality').selectOption('critical');
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(page.getByText('Updated 1 asset(s).')).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('assets.png'), fullPage: true });
  expect(await decision()).toMatchObject({ exposure: 'open', decision: 'Immediate' });
});
