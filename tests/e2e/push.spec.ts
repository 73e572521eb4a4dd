import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Locator, Page } from '@playwright/test';
import type { VulnzeroApi } from '../../src-preload/api-types';
import type { DraftContent } from '../../src-preload/drafts-schemas';
import { startSshd, type SshdInstance } from '../helpers/sshd';
import { createVaultInUi, expect, test } from './harness';

const fixtures = join(import.meta.dirname, '..', 'fixtures');
const TENABLE = join(fixtures, 'tenable_vm_csv', 'nessus_new.csv');
/** Every script acts only inside /tmp/vz-e2e-push/<host name> (VZ_HOST is the host's name). */
const WORK = '/tmp/vz-e2e-push';

/**
 * Benign scripts: a "fixed" marker file stands for the fix; "fail-verify" makes verify fail
 * and "slow" makes apply wait (to abort it).
 */
const CONTENT: DraftContent = {
  precheck: [
    '#!/bin/sh',
    "# e2e: acts only inside this host's test directory.",
    'dir="/tmp/vz-e2e-push/${VZ_HOST:?}"',
    '[ -d "$dir" ] || exit 4',
    'if [ -f "$dir/fixed" ]; then',
    '  echo "already fixed on $VZ_HOST"',
    '  exit 3',
    'fi',
    'echo "would fix $VZ_HOST"',
    'exit 0',
    '',
  ].join('\n'),
  apply: [
    '#!/bin/sh',
    'set -eu',
    'dir="/tmp/vz-e2e-push/${VZ_HOST:?}"',
    'if [ -f "$dir/slow" ]; then',
    '  sleep 30',
    'fi',
    'echo "applying fix on $VZ_HOST"',
    'printf \'fixed\\n\' > "$dir/fixed"',
    '',
  ].join('\n'),
  verify: [
    '#!/bin/sh',
    'dir="/tmp/vz-e2e-push/${VZ_HOST:?}"',
    'if [ -f "$dir/fail-verify" ]; then',
    '  echo "verify failed on purpose on $VZ_HOST" >&2',
    '  exit 1',
    'fi',
    'test -f "$dir/fixed"',
    '',
  ].join('\n'),
  rollback: [
    '#!/bin/sh',
    'dir="/tmp/vz-e2e-push/${VZ_HOST:?}"',
    'rm -f "$dir/fixed"',
    'echo "rolled back $VZ_HOST"',
    '',
  ].join('\n'),
  metadata: {
    risk: 'low',
    rebootNeeded: false,
    servicesToRestart: [],
    notes: 'e2e: benign marker-file fix',
  },
};

async function openScreen(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name, exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

async function importFiles(page: Page, paths: string[]): Promise<void> {
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page.getByLabel('Files to import').fill(paths.join('\n'));
  await page.getByRole('button', { name: /^Import (file|\d+ files)$/ }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });
}

/** A rules draft for a group, edited to the benign scripts through the bridge, marked ready. */
async function readyDraft(page: Page): Promise<{ id: number; version: number; state: string }> {
  return page.evaluate(async (content) => {
    const api = (window as unknown as { vulnzero: VulnzeroApi }).vulnzero;
    const started = await api.drafts.create({ groupKey: 'cfg:ssh-weak-crypto', engine: 'rules' });
    if (!started.ok) throw new Error(started.error.message);
    let id: number | undefined;
    for (let i = 0; i < 150 && id === undefined; i++) {
      const list = await api.drafts.list({});
      if (list.ok) id = list.value[0]?.id;
      if (id === undefined) await new Promise((r) => setTimeout(r, 200));
    }
    if (id === undefined) throw new Error('the rules draft did not appear');
    const edited = await api.drafts.edit({ id, content, note: 'e2e: benign marker-file fix' });
    if (!edited.ok) throw new Error(edited.error.message);
    const ready = await api.drafts.setState({ id, state: 'ready' });
    if (!ready.ok) throw new Error(ready.error.message);
    return { id, version: ready.value.latestVersion, state: ready.value.state };
  }, CONTENT);
}

/** Scrolls the app's content so `locator` is at the top, for a screenshot of it. */
async function showAtTop(locator: Locator): Promise<void> {
  await locator.evaluate((el) => el.scrollIntoView({ block: 'start' }));
}

let sshd: SshdInstance[] = [];

test.beforeEach(() => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  chmodSync(WORK, 0o777);
  for (const name of ['push-a', 'push-b']) {
    mkdirSync(join(WORK, name));
    // The scripts run as the sshd test user.
    chmodSync(join(WORK, name), 0o777);
  }
});

test.afterEach(async () => {
  await Promise.all(sshd.map((s) => s.stop()));
  sshd = [];
  rmSync(WORK, { recursive: true, force: true });
});

test('push: hosts and pinned keys, approval with its hash, dry run, breaker, resume, rollback', async ({
  page,
  harness,
}, testInfo) => {
  test.setTimeout(240_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (/Content Security Policy|Refused to/i.test(m.text())) errors.push(m.text());
  });
  sshd = await Promise.all([startSshd(), startSshd()]);
  const [a, b] = sshd as [SshdInstance, SshdInstance];

  await createVaultInUi(page, harness.url);
  await importFiles(page, [TENABLE]);
  const draft = await readyDraft(page);
  expect(draft.state).toBe('ready');
  expect(draft.version).toBe(2);

  // Hosts: two credentials (each sshd authorizes its own client key), two hosts.
  await openScreen(page, 'Push');
  const hostsPanel = page.getByRole('region', { name: 'Hosts and host keys' });
  const credential = hostsPanel.getByRole('form', { name: 'Add a credential' });
  const addHost = hostsPanel.getByRole('form', { name: 'Add a host' });
  for (const [name, instance] of [
    ['key-a', a],
    ['key-b', b],
  ] as const) {
    await credential.getByLabel('Credential name').fill(name);
    await credential.getByLabel('Private key (PEM / OpenSSH)').fill(instance.clientKey);
    await credential.getByRole('button', { name: 'Store credential' }).click();
    await expect(hostsPanel.getByRole('status')).toContainText(`“${name}” stored in the vault`);
    // The secret is not kept in the form, nor shown anywhere.
    await expect(credential.getByLabel('Private key (PEM / OpenSSH)')).toHaveValue('');
  }
  await expect(page.locator('body')).not.toContainText('OPENSSH PRIVATE KEY');
  for (const [name, instance, key] of [
    ['push-a', a, 'key-a'],
    ['push-b', b, 'key-b'],
  ] as const) {
    await addHost.getByLabel('Host name').fill(name);
    await addHost.getByLabel('Address').fill(instance.host);
    await addHost.getByLabel('Port').fill(String(instance.port));
    await addHost.getByLabel('User').fill(instance.user);
    await addHost.getByLabel('Credential').selectOption({ label: `${key} (ssh-key)` });
    await addHost.getByRole('button', { name: 'Add host' }).click();
    await expect(hostsPanel.getByRole('status')).toContainText(`Host ${name} added`);
  }
  const hostsTable = hostsPanel.getByRole('table', { name: 'Hosts' });
  const hostRow = (name: string) => hostsTable.locator(`tr[data-host="${name}"]`);
  await expect(hostRow('push-a').getByTestId('host-key-state')).toHaveText('NOT PINNED');
  await expect(hostRow('push-b').getByTestId('host-key-state')).toHaveText('NOT PINNED');

  // Fetch each host key: the fingerprint shown is sshd's; pin it after the confirmation.
  for (const [name, instance] of [
    ['push-a', a],
    ['push-b', b],
  ] as const) {
    await hostsPanel.getByRole('button', { name: `Fetch host key of ${name}` }).click();
    const fetched = hostsTable.locator(`tr[data-fetched-for="${name}"]`);
    await expect(fetched.getByTestId('fetched-fingerprint')).toHaveText(
      instance.hostKey.fingerprint,
      { timeout: 20_000 },
    );
    await expect(fetched.getByTestId('fetched-algorithm')).toHaveText(instance.hostKey.algorithm);
    await expect(fetched).toContainText('not pinned yet');
    if (name === 'push-a') {
      await showAtTop(hostsPanel);
      await page.screenshot({ path: testInfo.outputPath('hosts-fetched.png') });
    }
    await fetched.getByRole('button', { name: `Pin the key of ${name}` }).click();
    const dialog = page.getByRole('dialog', { name: `Pin the host key of ${name}?` });
    await expect(dialog.getByTestId('pin-fingerprint')).toHaveText(instance.hostKey.fingerprint);
    if (name === 'push-a') {
      // Cancel keeps the host unpinned.
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect(hostRow(name).getByTestId('host-key-state')).toHaveText('NOT PINNED');
      await fetched.getByRole('button', { name: `Pin the key of ${name}` }).click();
    }
    await dialog.getByRole('button', { name: 'Pin this key' }).click();
    await expect(hostRow(name).getByTestId('host-key-state')).toContainText(
      instance.hostKey.fingerprint,
    );
    await expect(fetched).toHaveCount(0);
  }
  await showAtTop(hostsPanel);
  await page.screenshot({ path: testInfo.outputPath('hosts.png') });

  // Approvals: the ready draft with its scripts, diff, checks and provenance.
  await openScreen(page, 'Approvals');
  const review = page.getByRole('article', { name: `Review draft ${draft.id}` });
  await expect(review).toBeVisible();
  const apply = review.getByRole('textbox', { name: 'apply script (read only)' });
  await expect(apply).toContainText('applying fix on $VZ_HOST');
  await expect(apply).toHaveAttribute('contenteditable', 'false');
  await review.getByRole('tab', { name: 'verify' }).click();
  await expect(review.getByRole('textbox', { name: 'verify script (read only)' })).toContainText(
    'verify failed on purpose',
  );
  const diff = review.getByRole('region', { name: 'Diff from the previous version' });
  await expect(diff).toContainText('Changes from version 1 to 2');
  await expect(diff.locator('[data-step="apply"] .diff-add').first()).toBeVisible();
  await expect(review.getByTestId('approval-policy')).toContainText('Policy: passed');
  await expect(review.getByTestId('approval-engine')).toContainText('manual');
  await expect(review.getByTestId('approval-model')).toContainText('none');
  await expect(review.getByTestId('version-sha256')).toHaveText(/^[0-9a-f]{64}$/);

  // Targets (both pinned), options, comment → Approve; the hash is shown.
  await review.getByLabel('Target push-a').check();
  await review.getByLabel('Target push-b').check();
  await expect(review.getByText('NOT PINNED:')).toHaveCount(0);
  await review.getByLabel('Second wave (%)').fill('100');
  await review.getByLabel('Step timeout (s)').fill('60');
  await review.getByLabel('Comment').fill('e2e: marker files only');
  await review.getByRole('button', { name: 'Approve version 2' }).click();
  const approved = review.getByRole('status');
  await expect(approved).toContainText('for 2 hosts, SHA-256');
  const sha256 = /SHA-256 ([0-9a-f]{64})/.exec((await approved.textContent()) ?? '')?.[1];
  expect(sha256).toMatch(/^[0-9a-f]{64}$/);
  const history = page.getByRole('table', { name: 'Approval history' });
  const approvalRow = history.locator('tbody tr').first();
  await expect(approvalRow.getByTestId('approval-sha256')).toHaveText(sha256!);
  await expect(approvalRow.getByTestId('approval-state')).toHaveText('approved');
  await expect(approvalRow).toContainText('push-a, push-b');
  await expect(approvalRow).toContainText('e2e: marker files only');
  await showAtTop(review);
  await page.screenshot({ path: testInfo.outputPath('approvals.png') });

  // Push… opens the Push screen with this approval chosen.
  await approvalRow.getByRole('button', { name: 'Push…' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Push' })).toBeVisible();
  const start = page.getByRole('region', { name: 'Start a push' });
  await expect(start.getByRole('definition').first()).toHaveText(sha256!);
  await expect(start.getByTestId('wave-plan')).toContainText('wave 1: 1 host → wave 2: 1 host');

  const run = page.getByRole('region', { name: /^Run \d+$/ });
  const runHost = (name: string) => run.locator(`tr[data-host="${name}"]`);
  const fixedA = join(WORK, 'push-a', 'fixed');
  const fixedB = join(WORK, 'push-b', 'fixed');

  // 1. Dry run: prechecks only, nothing changes.
  await start.getByLabel('Dry run (prechecks only)').check();
  await start.getByRole('button', { name: 'Start dry run…' }).click();
  let dialog = page.getByRole('dialog', { name: /^Dry run approval #\d+\?$/ });
  await expect(dialog.getByTestId('confirm-summary')).toContainText('DRY RUN on 2 hosts');
  await dialog.getByRole('button', { name: 'Start dry run' }).click();
  await expect(run.getByTestId('run-state')).toHaveText('done', { timeout: 60_000 });
  await expect(run).toContainText('DRY RUN');
  await expect(runHost('push-a').getByTestId('host-state')).toHaveText('checked');
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('checked');
  expect(existsSync(fixedA) || existsSync(fixedB)).toBe(false);

  // 2. Live run whose canary fails verify: rolled back, the breaker pauses the run.
  writeFileSync(join(WORK, 'push-a', 'fail-verify'), 'x\n', { mode: 0o666 });
  await start.getByLabel('Dry run (prechecks only)').uncheck();
  await start.getByRole('button', { name: 'Start push…' }).click();
  dialog = page.getByRole('dialog', { name: /^Push approval #\d+\?$/ });
  await expect(dialog.getByTestId('confirm-summary')).toContainText('LIVE on 2 hosts');
  await dialog.getByRole('button', { name: 'Start push' }).click();
  await expect(run.getByTestId('run-state')).toHaveText('paused', { timeout: 60_000 });
  await expect(run).not.toContainText('DRY RUN');
  const breaker = run.getByTestId('breaker');
  await expect(breaker).toContainText('PAUSED by the circuit breaker');
  await expect(breaker).toContainText('circuit breaker: 1 of 1 host(s) failed in wave 1');
  await expect(runHost('push-a').getByTestId('host-state')).toHaveText('rolled_back');
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('pending');
  expect(existsSync(fixedA)).toBe(false);
  await run.getByRole('button', { name: 'Transcript of push-a' }).click();
  const transcriptA = run.getByRole('region', { name: 'Transcript of push-a' });
  await expect(transcriptA.getByLabel('apply stdout', { exact: true })).toHaveText(
    'applying fix on push-a',
  );
  await expect(transcriptA.getByLabel('verify stderr', { exact: true })).toContainText(
    'verify failed on purpose on push-a',
  );
  await expect(transcriptA.getByLabel('rollback stdout', { exact: true })).toHaveText(
    'rolled back push-a',
  );
  await expect(transcriptA.locator('[data-step="verify"] summary')).toContainText('exit 1');
  await showAtTop(run);
  await page.screenshot({ path: testInfo.outputPath('push.png') });

  // Resume: the next wave runs; push-b is verified.
  await run.getByRole('button', { name: 'Resume…' }).click();
  dialog = page.getByRole('dialog', { name: /^Resume run #\d+\?$/ });
  await expect(dialog).toContainText('push-b');
  await dialog.getByRole('button', { name: 'Resume' }).click();
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('verified', {
    timeout: 60_000,
  });
  await expect(run.getByTestId('run-state')).toHaveText('done');
  await expect(run.getByTestId('breaker')).toHaveCount(0);
  expect(existsSync(fixedB)).toBe(true);

  // Roll one host back.
  await run.getByRole('button', { name: 'Roll back push-b' }).click();
  dialog = page.getByRole('dialog', { name: 'Roll back push-b?' });
  await dialog.getByRole('button', { name: 'Roll back' }).click();
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('rolled_back', {
    timeout: 60_000,
  });
  await expect.poll(() => existsSync(fixedB)).toBe(false);

  // 3. A clean live run: both hosts verified; the transcript shows the apply output.
  rmSync(join(WORK, 'push-a', 'fail-verify'));
  await start.getByRole('button', { name: 'Start push…' }).click();
  await page
    .getByRole('dialog', { name: /^Push approval #\d+\?$/ })
    .getByRole('button', { name: 'Start push' })
    .click();
  await expect(run.getByTestId('run-state')).toHaveText('done', { timeout: 60_000 });
  await expect(runHost('push-a').getByTestId('host-state')).toHaveText('verified');
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('verified');
  expect(existsSync(fixedA) && existsSync(fixedB)).toBe(true);
  await run.getByRole('button', { name: 'Transcript of push-b' }).click();
  await expect(
    run
      .getByRole('region', { name: 'Transcript of push-b' })
      .getByLabel('apply stdout', { exact: true }),
  ).toHaveText('applying fix on push-b');

  // Run history: three runs with their states, newest first.
  const runs = page.getByRole('table', { name: 'Runs' });
  await expect(runs.getByTestId('history-state')).toHaveText(['done', 'done', 'done']);
  await showAtTop(run);
  await page.screenshot({ path: testInfo.outputPath('push-verified.png') });

  // 4. Abort a run while the canary's apply runs: it is "interrupted at apply"; Resume.
  rmSync(fixedA);
  rmSync(fixedB);
  writeFileSync(join(WORK, 'push-a', 'slow'), 'x\n', { mode: 0o666 });
  await start.getByRole('button', { name: 'Start push…' }).click();
  await page
    .getByRole('dialog', { name: /^Push approval #\d+\?$/ })
    .getByRole('button', { name: 'Start push' })
    .click();
  await expect(runHost('push-a').getByTestId('host-state')).toHaveText('running: apply', {
    timeout: 30_000,
  });
  await expect(run.getByTestId('run-state')).toHaveText('running');
  await run.getByRole('button', { name: 'Abort' }).click();
  await page
    .getByRole('dialog', { name: /^Abort run #\d+\?$/ })
    .getByRole('button', { name: 'Abort' })
    .click();
  await expect(run.getByTestId('run-state')).toHaveText('cancelled', { timeout: 30_000 });
  await expect(runHost('push-a').getByTestId('host-state')).toHaveText('interrupted at apply');
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('pending');
  await expect(run.getByTestId('run-error')).toContainText('cancelled by the operator');
  await expect(page.getByRole('status').filter({ hasText: 'aborted' })).toBeVisible();
  expect(existsSync(fixedA)).toBe(false);
  await showAtTop(run);
  await page.screenshot({ path: testInfo.outputPath('push-interrupted.png') });
  rmSync(join(WORK, 'push-a', 'slow'));
  await run.getByRole('button', { name: 'Resume…' }).click();
  dialog = page.getByRole('dialog', { name: /^Resume run #\d+\?$/ });
  await expect(dialog).toContainText('push-a, push-b');
  await dialog.getByRole('button', { name: 'Resume' }).click();
  await expect(run.getByTestId('run-state')).toHaveText('done', { timeout: 60_000 });
  await expect(runHost('push-a').getByTestId('host-state')).toHaveText('verified');
  await expect(runHost('push-b').getByTestId('host-state')).toHaveText('verified');
  await expect(runs.getByTestId('history-state')).toHaveText(['done', 'done', 'done', 'done']);

  // Revoke the approval (reason and confirmation): no push can start from it any more.
  await openScreen(page, 'Approvals');
  await history.locator('tbody tr').first().getByRole('button', { name: 'Revoke…' }).click();
  dialog = page.getByRole('dialog', { name: /^Revoke approval #\d+\?$/ });
  await expect(dialog.getByRole('button', { name: 'Revoke' })).toBeDisabled();
  await dialog.getByLabel('Reason').fill('e2e done');
  await dialog.getByRole('button', { name: 'Revoke' }).click();
  await expect(history.locator('tbody tr').first().getByTestId('approval-state')).toHaveText(
    'revoked',
  );
  await expect(history.locator('tbody tr').first()).toContainText('e2e done');
  await openScreen(page, 'Push');
  await expect(page.getByRole('region', { name: 'Start a push' })).toContainText(
    'No live approval',
  );

  expect(errors).toEqual([]);
});
