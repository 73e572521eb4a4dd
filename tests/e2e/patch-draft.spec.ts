import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { createVaultInUi, expect, test } from './harness';

/** OSV-Scanner report of real projects: rengine/web pins Django 3.2.4 among others. */
const OSV = join(import.meta.dirname, '..', 'fixtures', 'osv_scanner', 'many_findings.json');
const REQUIREMENTS = 'Django==3.2.4\nrequests>=2.25.1  # http client\nflask==2.0.1\n';

async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

test('patch drafts: a dependency finding → manifest patch → ready → approved without hosts → exported, applies with git', async ({
  page,
  harness,
}, testInfo) => {
  const work = mkdtempSync(join(tmpdir(), 'vz-e2e-patch-'));
  const manifest = join(work, 'requirements.txt');
  writeFileSync(manifest, REQUIREMENTS);

  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByLabel('Files to import').fill(OSV);
  await page.getByRole('button', { name: 'Import file' }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });

  // A Django finding of rengine/web → "Draft a fix".
  await openScreen(page, 'Findings');
  await page.getByLabel('Search findings').fill('django');
  await page.getByLabel('Search findings').press('Enter');
  const grid = page.getByRole('grid', { name: 'Findings' });
  await grid.locator('[role="row"][data-finding-id]').first().locator('.col-title button').click();
  const panel = page.getByRole('complementary', { name: 'Finding detail' });
  await panel.getByRole('button', { name: 'Draft a fix' }).click();

  // The queued finding offers a manifest patch beside the script engines.
  const target = page.getByRole('region', { name: 'Finding to fix' });
  await expect(target).toContainText('django');
  const form = target.getByRole('group', { name: 'Or patch the project’s manifest' });
  await form.getByLabel('Manifest path').fill(manifest);
  await form.getByLabel('Path in the repository').fill('web/requirements.txt');
  await form.getByRole('button', { name: 'Draft patch' }).click();

  const draft = page.getByRole('article', { name: /^Draft \d+$/ });
  await expect(draft).toBeVisible({ timeout: 30_000 });
  await expect(target).toHaveCount(0);
  const patch = draft.getByRole('region', { name: 'Manifest patch' });
  await expect(patch).toContainText('Patch to web/requirements.txt');
  const bumps = patch.getByRole('table', { name: 'Version bumps' });
  await expect(bumps.locator('tbody tr')).toHaveCount(2);
  await expect(bumps.locator('tbody tr').first()).toContainText('Django==3.2.4==3.2.241');
  await expect(patch.getByLabel('Unified diff')).toContainText('+Django==3.2.24');
  await expect(patch.locator('.diff-del')).toHaveText([
    '-Django==3.2.4\n',
    '-requests>=2.25.1  # http client\n',
  ]);
  // The patch checks replace sh -n/shellcheck: diff, GNU patch, manifest.
  const lint = draft.getByRole('table', { name: 'Lint results' }).locator('tr[data-step="patch"]');
  for (const tool of ['diff', 'patch --dry-run', 'manifest'])
    await expect(lint.locator(`[data-tool="${tool}"]`)).toHaveText(/^passed/);
  await expect(draft.getByRole('textbox', { name: 'apply script' })).toHaveCount(0);
  // Not exportable before it is approved.
  await expect(draft.getByRole('button', { name: 'Export patch' })).toBeDisabled();
  await draft.getByRole('button', { name: 'Mark ready' }).click();
  await expect(draft.locator('header').getByTestId('draft-state')).toHaveText('ready');
  const out = join(work, 'web.patch');
  await draft.getByLabel('Save as').fill(out);
  await draft.getByRole('button', { name: 'Export patch' }).click();
  await expect(draft.getByRole('region', { name: 'Export patch' })).toContainText(
    'has no live approval',
  );

  // Approvals: the diff is what is signed; no target hosts, no run options.
  await openScreen(page, 'Approvals');
  const review = page.getByRole('article', { name: /^Review draft \d+$/ });
  await expect(review.getByRole('region', { name: 'Manifest patch' })).toContainText(
    '+Django==3.2.24',
  );
  await expect(review.getByText('A manifest patch has no target hosts')).toBeVisible();
  await expect(review.getByLabel('Second wave (%)')).toHaveCount(0);
  await review.getByLabel('Comment').fill('e2e: bump reviewed');
  await review.getByRole('button', { name: 'Approve version 1' }).click();
  await expect(review.getByRole('status')).toContainText('of patch draft');
  const row = page.getByRole('table', { name: 'Approval history' }).locator('tbody tr').first();
  await expect(row).toContainText('none (patch: exported)');
  await expect(row.getByRole('button', { name: 'Push…' })).toHaveCount(0);
  await page.screenshot({ path: testInfo.outputPath('patch-approval.png') });

  // Export… leads back to the draft; the export writes the approved diff.
  await row.getByRole('button', { name: 'Export…' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Drafts' })).toBeVisible();
  await draft.getByLabel('Save as').fill(out);
  await draft.getByRole('button', { name: 'Export patch' }).click();
  await expect(draft.getByRole('region', { name: 'Export patch' })).toContainText(`Wrote ${out}`);

  const repo = mkdtempSync(join(tmpdir(), 'vz-e2e-repo-'));
  spawnSync('mkdir', ['-p', join(repo, 'web')]);
  writeFileSync(join(repo, 'web', 'requirements.txt'), REQUIREMENTS);
  const git = spawnSync('git', ['apply', out], { cwd: repo, encoding: 'utf8' });
  expect(git.status, git.stderr).toBe(0);
  expect(readFileSync(join(repo, 'web', 'requirements.txt'), 'utf8')).toBe(
    'Django==3.2.24\nrequests>=2.31.0  # http client\nflask==2.0.1\n',
  );
});
