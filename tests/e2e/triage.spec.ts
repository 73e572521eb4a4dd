import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { createVaultInUi, expect, test } from './harness';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
/**
 * One host, 49 report items = 48 findings (the two critical items are the same plugin on the
 * same port): 1 critical, 10 high, 13 medium, 1 low, 23 info.
 */
const NESSUS = join(fixtures, 'nessus_xml', 'nessus_with_cvssv3.nessus');

async function importFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByLabel('Files to import').fill(paths.join('\n'));
  await page.getByRole('button', { name: /^Import (file|\d+ files)$/ }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });
}

async function loadFeeds(page: Page, paths: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Feeds', exact: true }).click();
  await page.getByLabel('Feed files').fill(paths.join('\n'));
  await page.getByRole('button', { name: 'Load', exact: true }).click();
  await expect(page.getByText('Feeds loaded.')).toBeVisible({ timeout: 30_000 });
}

async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

const grid = (page: Page) => page.getByRole('grid', { name: 'Findings' });
const rows = (page: Page) => grid(page).locator('[role="row"][data-finding-id]');
const count = (page: Page) => page.getByTestId('findings-count');
const detail = (page: Page) => page.getByRole('complementary', { name: 'Finding detail' });

async function risks(page: Page): Promise<number[]> {
  return (await rows(page).locator('.col-risk').allTextContents()).map(Number);
}
async function ids(page: Page): Promise<string[]> {
  return rows(page).evaluateAll((els) => els.map((e) => e.getAttribute('data-finding-id') ?? ''));
}
function isSorted(values: number[], dir: 'asc' | 'desc'): boolean {
  return values.every(
    (v, i) => i === 0 || (dir === 'asc' ? values[i - 1]! <= v : values[i - 1]! >= v),
  );
}
/** Every rendered row's text in one column. */
async function column(page: Page, id: string): Promise<string[]> {
  return rows(page).locator(`.col-${id}`).allTextContents();
}
async function figure(page: Page, label: string): Promise<Locator> {
  const button = page.getByRole('button', { name: new RegExp(`^${label}: `) });
  await expect(button).toBeVisible();
  return button;
}

test('findings: filters, sorting, keyboard navigation, detail as text, shortcut help', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [NESSUS]);
  await openScreen(page, 'Findings');

  // Default filter: open findings, riskiest first.
  await expect(count(page)).toHaveText('48 findings');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('status: open');
  await expect(rows(page).first()).toBeVisible();
  const riskHeader = grid(page).getByRole('columnheader', { name: /^Risk/ });
  await expect(riskHeader).toHaveAttribute('aria-sort', 'descending');
  const desc = await risks(page);
  expect(desc.length).toBeGreaterThan(5);
  expect(isSorted(desc, 'desc')).toBe(true);
  expect(desc[0]).toBeGreaterThan(desc.at(-1)!);

  // Sort ascending by clicking the header; non-sortable headers have no button.
  await riskHeader.getByRole('button').click();
  await expect(riskHeader).toHaveAttribute('aria-sort', 'ascending');
  await expect.poll(async () => (await risks(page))[0]).toBeLessThan(desc[0]!);
  expect(isSorted(await risks(page), 'asc')).toBe(true);
  await expect(
    grid(page).getByRole('columnheader', { name: 'KEV' }).getByRole('button'),
  ).toHaveCount(0);

  // Filter: critical severity only.
  await page.getByRole('combobox', { name: 'Severity', exact: true }).selectOption('critical');
  await expect(count(page)).toHaveText('1 finding');
  await expect(rows(page)).toHaveCount(1);
  expect(await column(page, 'severity')).toEqual(['critical']);
  // Free text narrows further; the chip removes a filter again.
  await page.getByLabel('Search findings').fill('PHP');
  await page.getByLabel('Search findings').press('Enter');
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText('q: PHP');
  await expect
    .poll(async () => (await column(page, 'title')).every((t) => t.includes('PHP')))
    .toBe(true);
  await page.getByRole('button', { name: 'Remove filter severity: critical' }).click();
  await page.getByRole('button', { name: 'Remove filter q: PHP' }).click();
  await expect(count(page)).toHaveText('48 findings');
  await page.getByRole('combobox', { name: 'Severity', exact: true }).selectOption('high');
  await expect(count(page)).toHaveText('10 findings');
  await page.getByRole('combobox', { name: 'Severity', exact: true }).selectOption('');
  await expect(count(page)).toHaveText('48 findings');
  await riskHeader.getByRole('button').click(); // back to riskiest first
  await expect(riskHeader).toHaveAttribute('aria-sort', 'descending');

  // Keyboard: j/k move focus, space selects, shift+j extends, enter opens. Wait for the
  // re-sorted page to be on screen before reading the row order.
  await expect
    .poll(async () => {
      const values = await risks(page);
      return values.length >= 4 && isSorted(values, 'desc');
    })
    .toBe(true);
  const order = await ids(page);
  expect(order.length).toBeGreaterThanOrEqual(4);
  await rows(page).first().locator('.col-risk').click();
  const focused = grid(page).locator('[data-focused]');
  await expect(focused).toHaveAttribute('data-finding-id', order[0]!);
  await page.keyboard.press('j');
  await page.keyboard.press('j');
  await expect(focused).toHaveAttribute('data-finding-id', order[2]!);
  await page.keyboard.press('k');
  await expect(focused).toHaveAttribute('data-finding-id', order[1]!);
  await page.keyboard.press(' ');
  await expect(grid(page).locator(`[data-finding-id="${order[1]}"]`)).toHaveAttribute(
    'aria-selected',
    'true',
  );
  await page.keyboard.press('Shift+J');
  await expect(focused).toHaveAttribute('data-finding-id', order[2]!);
  await expect(grid(page).locator('[aria-selected="true"]')).toHaveCount(2);
  await expect(page.getByText('2 selected')).toBeVisible();
  const third = (await rows(page).nth(2).locator('.col-title').textContent()) ?? '';
  await page.keyboard.press('Enter');
  await expect(detail(page).getByRole('heading', { level: 2 })).toHaveText(third);

  // "/" focuses the search; keys typed there stay in the field.
  await page.keyboard.press('/');
  await expect(page.getByLabel('Search findings')).toBeFocused();
  await page.keyboard.type('jk');
  await expect(page.getByLabel('Search findings')).toHaveValue('jk');
  await expect(focused).toHaveAttribute('data-finding-id', order[2]!);
  await page.getByLabel('Search findings').fill('');
  await page.keyboard.press('Escape');

  // "?" opens the help overlay (the button too).
  await grid(page).focus();
  await page.keyboard.press('?');
  const help = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(help).toContainText('Shift + j / Shift + k');
  await expect(help).toContainText('Accept risk');
  await page.screenshot({ path: testInfo.outputPath('shortcuts.png') });
  await page.keyboard.press('Escape');
  await expect(help).toHaveCount(0);
  await page.getByRole('button', { name: 'Shortcuts' }).click();
  await expect(help).toBeVisible();
  await help.getByRole('button', { name: 'Close' }).click();

  // Detail: scanner text is shown literally, never as markup.
  await page.getByLabel('Search findings').fill('HyperText Transfer Protocol');
  await page.getByLabel('Search findings').press('Enter');
  await expect(count(page)).toHaveText('1 finding');
  await rows(page).first().locator('.col-title button').click();
  const panel = detail(page);
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(
    'HyperText Transfer Protocol (HTTP) Information',
  );
  const evidence = panel.getByRole('region', { name: 'Evidence' }).locator('pre');
  await expect(evidence).toContainText('<title>Home of Acunetix Art</title>');
  await expect(evidence).toContainText('<!DOCTYPE HTML PUBLIC');
  await expect(panel.locator('title, script, meta, link')).toHaveCount(0);
  await expect(panel.getByRole('table', { name: 'Score breakdown' })).toContainText('criticality');
  const inputs = panel.getByRole('table', { name: 'Priority inputs' });
  await expect(inputs.getByRole('row').filter({ hasText: 'Base score' })).toContainText(
    /scanner Nessus.*\d{4}-\d{2}-\d{2}/,
  );
  await expect(inputs.getByRole('row').filter({ hasText: 'KEV' }).first()).toContainText(
    'feed not loaded',
  );
  await expect(inputs).toContainText('First seen');
  await expect(panel.getByRole('table', { name: 'Scans that saw it' })).toContainText(
    'nessus_with_cvssv3.nessus',
  );
  await page.screenshot({ path: testInfo.outputPath('detail.png') });

  // Other findings on this asset open in the same panel.
  const other = panel
    .getByRole('list', { name: 'Other findings on this asset' })
    .getByRole('button');
  await expect(other.first()).toBeVisible();
  const otherTitle = (await other.first().textContent()) ?? '';
  await other.first().click();
  await expect(panel.getByRole('heading', { level: 2 })).toHaveText(otherTitle);

  // A title with '<' shows literally in the table.
  await page.getByLabel('Search findings').fill('CGI Query String');
  await page.getByLabel('Search findings').press('Enter');
  await expect(rows(page).first().locator('.col-title')).toContainText('PHP < 5.3.12');

  // Draft a fix goes to the drafts screen with the finding kept.
  await panel.getByRole('button', { name: 'Draft a fix' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Drafts' })).toBeVisible();
  await expect(page.getByText(/is waiting for a fix draft/)).toBeVisible();
  await openScreen(page, 'Findings');
  await page.screenshot({ path: testInfo.outputPath('findings.png') });
});

test('bulk decisions: accept risk with reason and expiry, false positive needs a reason, views', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [NESSUS]);
  await openScreen(page, 'Findings');
  await expect(count(page)).toHaveText('48 findings');
  await expect.poll(async () => (await ids(page)).length).toBeGreaterThanOrEqual(4);
  const order = await ids(page);

  // Select two rows with the keyboard, then "a".
  await rows(page).first().locator('.col-risk').click();
  await page.keyboard.press(' ');
  await page.keyboard.press('Shift+J');
  await expect(page.getByText('2 selected')).toBeVisible();
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Accept risk: 2 findings' });
  await expect(dialog).toBeVisible();
  const confirm = dialog.getByRole('button', { name: 'Accept risk', exact: true });
  await expect(confirm).toBeDisabled();
  await dialog.getByLabel('Reason').fill('Compensating WAF rule; vendor fix scheduled.');
  await expect(confirm).toBeDisabled(); // the expiry is required too
  const expiry = new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  await dialog.getByLabel('Expires on').fill(expiry);
  await expect(confirm).toBeEnabled();
  await page.screenshot({ path: testInfo.outputPath('accept-dialog.png') });
  await confirm.click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: 'updated' })).toHaveText(
    '2 updated, 0 skipped',
  );
  await expect(count(page)).toHaveText('46 findings');
  await expect.poll(async () => (await ids(page)).includes(order[0]!)).toBe(false);
  expect(await ids(page)).not.toContain(order[1]);

  // They are listed as accepted, with the decision in their history.
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('accepted');
  await expect(count(page)).toHaveText('2 findings');
  await expect.poll(async () => (await ids(page)).sort()).toEqual([order[0], order[1]].sort());
  expect(await column(page, 'status')).toEqual(['accepted', 'accepted']);
  await rows(page).first().locator('.col-title button').click();
  await expect(detail(page).getByRole('table', { name: 'Decisions' })).toContainText(
    'Compensating WAF rule',
  );
  await expect(detail(page).getByRole('table', { name: 'Decisions' })).toContainText(expiry);

  // Reopen them (nothing selected: "r" acts on the focused row).
  await rows(page).first().locator('.col-risk').click();
  await page.keyboard.press('r');
  const reopen = page.getByRole('dialog', { name: 'Reopen: 1 finding' });
  await reopen.getByRole('button', { name: 'Reopen', exact: true }).click();
  await expect(page.getByRole('status').filter({ hasText: 'updated' })).toHaveText(
    '1 updated, 0 skipped',
  );
  await expect(count(page)).toHaveText('1 finding');

  // False positive needs a reason.
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('open');
  await expect(count(page)).toHaveText('47 findings');
  await rows(page).first().locator('.col-risk').click();
  await page.keyboard.press('f');
  const fp = page.getByRole('dialog', { name: 'Mark false positive: 1 finding' });
  await expect(fp.getByRole('button', { name: 'Mark false positive' })).toBeDisabled();
  await fp.getByLabel('Reason').fill('Banner check; the package is backported.');
  await fp.getByRole('button', { name: 'Mark false positive' }).click();
  await expect(count(page)).toHaveText('46 findings');

  // Assign an owner and tag in bulk, then filter by the tag.
  await rows(page).first().locator('.col-risk').click();
  await page.keyboard.press(' ');
  await page.keyboard.press('Shift+J');
  await page.keyboard.press('Shift+J');
  await page.getByRole('button', { name: 'Tag…' }).click();
  const tag = page.getByRole('dialog', { name: 'Tag: 3 findings' });
  await tag.getByLabel('Tag', { exact: true }).fill('web-tier');
  await tag.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'updated' })).toHaveText(
    '3 updated, 0 skipped',
  );
  await page.getByRole('combobox', { name: 'Tag filter' }).selectOption('web-tier');
  await expect(count(page)).toHaveText('3 findings');

  // Saved view: the filter and the chosen columns come back.
  await page.getByText('Columns', { exact: true }).click();
  await page
    .getByRole('group', { name: 'Visible columns' })
    .getByRole('checkbox', { name: 'Scanner' })
    .check();
  await page.getByText('Columns', { exact: true }).click();
  await expect(grid(page).getByRole('columnheader', { name: 'Scanner' })).toBeVisible();
  await page.getByLabel('View name').fill('web tier');
  await page.getByRole('button', { name: 'Save view' }).click();
  await expect(page.getByText('View “web tier” saved.')).toBeVisible();
  await page.getByRole('button', { name: 'Reset filters' }).click();
  await expect(count(page)).toHaveText('46 findings');
  await page
    .getByRole('group', { name: 'Saved views' })
    .getByRole('button', { name: 'Apply view web tier' })
    .click();
  await expect(count(page)).toHaveText('3 findings');
  await expect(grid(page).getByRole('columnheader', { name: 'Scanner' })).toBeVisible();
  await page.getByRole('button', { name: 'Delete view web tier' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete view' }).click();
  await expect(page.getByText('View “web tier” deleted.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete view web tier' })).toHaveCount(0);

  // Group by vulnerability: counts, and a group narrows the table.
  await page.getByRole('button', { name: 'Reset filters' }).click();
  await page.getByLabel('Group by').selectOption('vulnerability');
  const groups = page.getByRole('table', { name: 'Findings by vulnerability' });
  await expect(groups.getByRole('row')).not.toHaveCount(0);
  const firstGroup = groups.getByRole('row').nth(1);
  const groupCount = (await firstGroup.getByRole('cell').nth(1).textContent()) ?? '';
  await firstGroup.getByRole('button').click();
  await expect(count(page)).toHaveText(`${groupCount} finding${groupCount === '1' ? '' : 's'}`);
});

test('an analyst cannot accept risk: the core’s refusal is shown in the dialog', async ({
  page,
  harness,
}) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [NESSUS]);
  await openScreen(page, 'Settings');
  await page.getByLabel('New operator name').fill('carol');
  await page.getByLabel('Role').selectOption('analyst');
  await page.getByLabel('New operator passphrase').fill('velvet-canyon-harbor-27');
  await page.getByRole('button', { name: 'Add operator' }).click();
  await expect(page.getByRole('cell', { name: 'carol', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock the vault' })).toBeVisible();
  await page.getByLabel('Operator').fill('carol');
  await page.getByLabel('Passphrase', { exact: true }).fill('velvet-canyon-harbor-27');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('operator')).toHaveText('carol (analyst)');

  await openScreen(page, 'Findings');
  await expect(count(page)).toHaveText('48 findings');
  await rows(page).first().locator('.col-risk').click();
  await page.keyboard.press('a');
  const dialog = page.getByRole('dialog', { name: 'Accept risk: 1 finding' });
  await expect(dialog).toContainText('needs an approver or an admin');
  await dialog.getByLabel('Reason').fill('Trying anyway.');
  await dialog
    .getByLabel('Expires on')
    .fill(new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10));
  await dialog.getByRole('button', { name: 'Accept risk', exact: true }).click();
  await expect(dialog.getByRole('alert')).toHaveText(
    'This needs the admin or approver role; carol is analyst.',
  );
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(count(page)).toHaveText('48 findings');
  // Analysts can still tag.
  await page.keyboard.press('j');
  await page.getByRole('button', { name: 'Tag…' }).click();
  const tag = page.getByRole('dialog', { name: 'Tag: 1 finding' });
  await tag.getByLabel('Tag', { exact: true }).fill('triaged');
  await tag.getByRole('button', { name: 'Add tag' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'updated' })).toHaveText(
    '1 updated, 0 skipped',
  );
});

test('asset criticality raised to critical raises the finding’s risk score', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [NESSUS]);
  await openScreen(page, 'Findings');
  await expect(count(page)).toHaveText('48 findings');
  await expect.poll(async () => (await ids(page)).length).toBeGreaterThan(0);
  const id = (await ids(page))[0]!;
  await rows(page).first().locator('.col-title button').click();
  const risk = detail(page).getByTestId('detail-risk');
  const before = Number(await risk.textContent());
  expect(before).toBeGreaterThan(0);
  await expect(detail(page).getByRole('table', { name: 'Score breakdown' })).toContainText(
    'asset criticality medium',
  );

  await openScreen(page, 'Assets');
  const table = page.getByRole('table', { name: 'Assets' });
  await expect(table.getByRole('row')).toHaveCount(2); // header + the one host
  const assetRisk = Number(
    await table.getByRole('row').nth(1).getByRole('cell').nth(6).textContent(),
  );
  expect(assetRisk).toBe(before);
  await table.getByRole('row').nth(1).getByRole('cell').nth(1).getByRole('button').click();
  const panel = page.getByRole('complementary', { name: 'Asset detail' });
  await expect(panel.getByRole('table', { name: 'Identifiers' })).toBeVisible();
  await panel.getByLabel('Asset criticality').selectOption('critical');
  await panel.getByRole('button', { name: 'Save asset' }).click();
  await expect(page.getByText('Updated 1 asset(s).')).toBeVisible();
  await expect(table.getByRole('row').nth(1).getByRole('cell').nth(4)).toHaveText('critical');
  await expect
    .poll(async () =>
      Number(await table.getByRole('row').nth(1).getByRole('cell').nth(6).textContent()),
    )
    .toBeGreaterThan(before);
  await page.screenshot({ path: testInfo.outputPath('assets.png') });

  await openScreen(page, 'Findings');
  await grid(page).locator(`[data-finding-id="${id}"] .col-title button`).click();
  // criticality factor medium (1/3) -> critical (1) at weight 10: about +6.7 points.
  await expect.poll(async () => Number(await risk.textContent())).toBeGreaterThan(before + 6);
  await expect(detail(page).getByRole('table', { name: 'Score breakdown' })).toContainText(
    'asset criticality critical',
  );
});

test('assets: search, open-count click-through, merge and split with confirmation', async ({
  page,
  harness,
}) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [join(fixtures, 'nessus_xml', 'nessus_v_unknown.xml')]);
  await openScreen(page, 'Assets');
  const table = page.getByRole('table', { name: 'Assets' });
  const body = table.locator('tbody tr');
  await expect(body.first()).toBeVisible();
  const hosts = await body.count();
  expect(hosts).toBeGreaterThan(2);

  // Search by the second asset's IP.
  const ip = (await body.nth(1).locator('td.mono').first().textContent()) ?? '';
  expect(ip).toMatch(/^\d+\.\d+\.\d+\.\d+$/);
  await page.getByLabel('Search assets').fill(ip);
  await expect.poll(() => body.count()).toBeLessThan(hosts);
  for (const text of await body.allTextContents()) expect(text).toContain(ip);
  await page.getByLabel('Search assets').fill('');
  await expect(body).toHaveCount(hosts);

  // The open count opens Findings filtered to that asset.
  const openButton = body
    .locator('td')
    .getByRole('button', { name: /^Show the \d+ open findings of / })
    .first();
  const open = Number(await openButton.textContent());
  await openButton.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Findings' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Active filters' })).toContainText(/asset #\d+/);
  await expect(count(page)).toHaveText(`${open} finding${open === 1 ? '' : 's'}`);
  await expect.poll(async () => new Set(await column(page, 'asset')).size).toBe(1);

  // Merge the first asset into the second, then split it again.
  await openScreen(page, 'Assets');
  await body.nth(1).locator('td').nth(1).getByRole('button').click();
  const panel = page.getByRole('complementary', { name: 'Asset detail' });
  const intoId = ((await panel.locator('dd.mono').first().textContent()) ?? '').replace('#', '');
  await body.nth(0).locator('td').nth(1).getByRole('button').click();
  await expect(panel.locator('dd.mono').first()).not.toHaveText(`#${intoId}`);
  await panel.getByLabel('Merge into asset id').fill(intoId);
  await panel.getByRole('button', { name: 'Merge…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText(`into asset #${intoId}?`);
  await dialog.getByRole('button', { name: 'Merge assets' }).click();
  await expect(page.getByText(/^Merged .* into asset #\d+\./)).toBeVisible();
  await expect(body).toHaveCount(hosts - 1);

  await body
    .filter({ has: page.locator('td') })
    .first()
    .locator('td')
    .nth(1)
    .getByRole('button')
    .click();
  await expect(panel.locator('dd.mono').first()).toHaveText(`#${intoId}`);
  const history = panel.getByRole('table', { name: 'Merge history' });
  await expect(history).toContainText(`→ #${intoId}`);
  await history.getByRole('button', { name: 'Split…' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Split merge' }).click();
  await expect(page.getByText(/is back on its own/)).toBeVisible();
  await expect(body).toHaveCount(hosts);
});

test('dashboard: empty state, charts, every number clicks through to matching findings', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await expect(page.getByRole('heading', { name: 'No findings yet' })).toBeVisible();
  await expect(page.getByRole('status')).toContainText('kev: never loaded');
  await page.getByRole('button', { name: 'Import a scan file' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Import' })).toBeVisible();

  await loadFeeds(page, [
    join(fixtures, 'feeds', 'known_exploited_vulnerabilities.json'),
    join(fixtures, 'feeds', 'epss_scores-2026-09-29.slice.csv'),
  ]);
  await importFiles(page, [join(fixtures, 'qualys_xml', 'Qualys_Sample_Report.xml'), NESSUS]);
  await openScreen(page, 'Dashboard');
  await expect(page.locator('.recharts-surface').first()).toBeVisible();
  await expect(page.locator('.recharts-bar-rectangle').first()).toBeVisible();
  await page.screenshot({ path: testInfo.outputPath('dashboard.png'), fullPage: true });

  // KEV open -> open KEV findings.
  const kev = await figure(page, 'KEV open');
  const kevCount = Number((await kev.locator('.figure-value').textContent()) ?? 'NaN');
  expect(kevCount).toBeGreaterThan(0);
  await kev.click();
  await expect(page.getByRole('heading', { level: 1, name: 'Findings' })).toBeVisible();
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText('status: open');
  await expect(chips).toContainText('KEV');
  await expect(count(page)).toHaveText(`${kevCount} finding${kevCount === 1 ? '' : 's'}`);
  await expect(rows(page).first()).toBeVisible();
  await expect
    .poll(async () => {
      const kev = await column(page, 'kev');
      return kev.length > 0 && kev.every((v) => v === 'KEV');
    })
    .toBe(true);
  await page.screenshot({ path: testInfo.outputPath('findings-kev.png') });

  // Overdue -> open overdue findings.
  await openScreen(page, 'Dashboard');
  const overdue = await figure(page, 'Overdue');
  const overdueCount = Number((await overdue.locator('.figure-value').textContent()) ?? 'NaN');
  await overdue.click();
  await expect(chips).toContainText('overdue');
  await expect(count(page)).toHaveText(`${overdueCount} finding${overdueCount === 1 ? '' : 's'}`);

  // A cell of the decision x severity numbers -> that decision and severity.
  await openScreen(page, 'Dashboard');
  const cell = page
    .getByRole('table', { name: 'Open findings by decision and severity' })
    .getByRole('button')
    .first();
  const [n, severity, decision] = /^(\d+) open (\S+) (\S+)$/
    .exec((await cell.getAttribute('aria-label')) ?? '')!
    .slice(1);
  await cell.click();
  await expect(chips).toContainText(`decision: ${decision}`);
  await expect(chips).toContainText(`severity: ${severity}`);
  await expect(count(page)).toHaveText(`${n} finding${n === '1' ? '' : 's'}`);
  await expect
    .poll(async () => {
      const sev = await column(page, 'severity');
      const dec = await column(page, 'decision');
      return sev.length > 0 && sev.every((v) => v === severity) && dec.every((v) => v === decision);
    })
    .toBe(true);

  // A bar of the stacked chart -> its decision and severity.
  await openScreen(page, 'Dashboard');
  await page.locator('.recharts-bar-rectangle path').first().click();
  await expect(page.getByRole('heading', { level: 1, name: 'Findings' })).toBeVisible();
  await expect(chips).toContainText('decision: ');
  await expect(chips).toContainText('severity: ');
  await expect(rows(page).first()).toBeVisible();

  // A top asset -> its open findings.
  await openScreen(page, 'Dashboard');
  const top = page.getByRole('list', { name: 'Top risky assets' }).getByRole('listitem').first();
  const name = (await top.getByRole('button').textContent()) ?? '';
  const openOnAsset = /· (\d+) open/.exec((await top.textContent()) ?? '')![1]!;
  await top.getByRole('button').click();
  await expect(chips).toContainText(/asset #\d+/);
  await expect(count(page)).toHaveText(`${openOnAsset} finding${openOnAsset === '1' ? '' : 's'}`);
  await expect.poll(async () => [...new Set(await column(page, 'asset'))]).toEqual([name]);

  // The busiest week's "new" number -> the findings first seen in that week. (The sample
  // scans carry their own, older scan dates, so most weeks may be empty.)
  await openScreen(page, 'Dashboard');
  await page.getByText('Weekly numbers').click();
  const weeks = page.getByRole('button', { name: /^\d+ new in the week of / });
  const labels = await weeks.evaluateAll((els) =>
    els.map((e) => e.getAttribute('aria-label') ?? ''),
  );
  expect(labels).toHaveLength(12);
  const parsed = labels.map((l) => /^(\d+) new in the week of (\S+)$/.exec(l)!.slice(1));
  const busiest = parsed.reduce((a, b) => (Number(b[0]) > Number(a[0]) ? b : a));
  const [newCount, week] = busiest as [string, string];
  await page.getByRole('button', { name: `${newCount} new in the week of ${week}` }).click();
  await expect(chips).toContainText(`first seen ≥ ${week}`);
  await expect(chips).toContainText('first seen ≤ ');
  await expect(count(page)).toHaveText(`${newCount} finding${newCount === '1' ? '' : 's'}`);

  // The expired-acceptances figure -> the findings reopened by an expiry (none here).
  await openScreen(page, 'Dashboard');
  const expired = await figure(page, 'Acceptances expired');
  await expired.click();
  await expect(chips).toContainText('acceptance expired since');
  await expect(count(page)).toHaveText('0 findings');
});

/** The findings count once it is a number (and, when given, no longer the previous one). */
async function settledCount(page: Page, previous?: number): Promise<number> {
  let n = NaN;
  await expect
    .poll(async () => {
      n = Number(/^(\d+) findings?$/.exec((await count(page).textContent()) ?? '')?.[1]);
      return Number.isFinite(n) && n !== previous;
    })
    .toBe(true);
  return n;
}

test('kind and asset-kind filters: secrets, misconfigurations and software findings apart from host ones', async ({
  page,
  harness,
}) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [
    NESSUS,
    join(fixtures, 'trivy', 'misconfigurations_and_secrets.json'),
    join(fixtures, 'sarif', 'bash-report.sarif'),
  ]);
  // The results say which files brought software (a project) rather than hosts.
  const results = page.getByRole('table', { name: 'Import results' });
  const assetsOf = (file: string) =>
    results.locator('tbody tr', { hasText: file }).getByTestId('import-assets');
  await expect(assetsOf('bash-report.sarif')).toHaveText('1 (software)');
  await expect(assetsOf('nessus_with_cvssv3.nessus')).not.toContainText('software');
  await openScreen(page, 'Findings');
  await page.getByRole('combobox', { name: 'Status', exact: true }).selectOption('');
  const total = await settledCount(page);
  expect(total).toBeGreaterThan(48);

  await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption('secret');
  const chips = page.getByRole('list', { name: 'Active filters' });
  await expect(chips).toContainText('kind: secret');
  const secrets = await settledCount(page, total);
  expect(secrets).toBeGreaterThan(0);
  expect(secrets).toBeLessThan(total);
  await rows(page).first().locator('.col-title button').click();
  await expect(detail(page).getByTestId('detail-kind')).toHaveText('secret');

  await page.getByRole('combobox', { name: 'Kind', exact: true }).selectOption('');
  const assetKind = page.getByRole('combobox', { name: 'Asset kind', exact: true });
  await assetKind.selectOption('software');
  await expect(chips).toContainText('assetKind: software');
  const software = await settledCount(page, total);
  // The Location column shows where in the source tree a SARIF result is.
  await page.getByText('Columns', { exact: true }).click();
  await page
    .getByRole('group', { name: 'Visible columns' })
    .getByRole('checkbox', { name: 'Location' })
    .check();
  await page.getByText('Columns', { exact: true }).click();
  await expect(grid(page).getByRole('columnheader', { name: 'Location' })).toBeVisible();
  await expect(
    grid(page)
      .locator('.col-location', { hasText: /\.sh:\d+$/ })
      .first(),
  ).toBeVisible();
  await assetKind.selectOption('host');
  await expect(count(page)).toHaveText(`${total - software} findings`);
});
