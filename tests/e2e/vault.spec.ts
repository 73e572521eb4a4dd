import { OPERATOR, PASSPHRASE, createVaultInUi, expect, test } from './harness';

test('first run creates the vault; weak passphrases are explained', async ({
  page,
  harness,
}, testInfo) => {
  await page.goto(harness.url);
  await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Dashboard', exact: true })).toBeDisabled();
  await page.getByLabel('Operator').fill(OPERATOR);
  await page.getByLabel('Passphrase', { exact: true }).fill('password1234');
  await expect(page.getByText('commonly used passwords')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Create vault' })).toBeDisabled();
  await page.screenshot({ path: testInfo.outputPath('create-vault.png') });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
  await expect(page.getByTestId('operator')).toHaveText('alice (admin)');
});

test('lock, wrong passphrase refused with a clear message, unlock', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: 'Unlock the vault' })).toBeVisible();
  await page.getByLabel('Operator').fill(OPERATOR);
  await page.getByLabel('Passphrase', { exact: true }).fill('not-the-right-one-42');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toHaveText('The passphrase is wrong for this operator.');
  await page.screenshot({ path: testInfo.outputPath('unlock-wrong.png') });
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Dashboard' })).toBeVisible();
});

test('settings: operators, backup, key rotation with progress; audit viewer verifies', async ({
  page,
  harness,
}, testInfo) => {
  await createVaultInUi(page, harness.url);
  await page.getByRole('button', { name: 'Settings', exact: true }).click();
  await page.getByLabel('New operator name').fill('bob');
  await page.getByLabel('Role').selectOption('approver');
  await page.getByLabel('New operator passphrase').fill('velvet-canyon-harbor-27');
  await page.getByRole('button', { name: 'Add operator' }).click();
  await expect(page.getByRole('cell', { name: 'bob', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Back up now' }).click();
  await expect(page.getByText(/Backup written: .*\.vzbak/)).toBeVisible();
  await expect(page.getByRole('cell', { name: 'manual', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Rotate data key' }).click();
  await expect(page.getByRole('dialog')).toContainText('Rotate the data key?');
  await page.getByRole('button', { name: 'Rotate', exact: true }).click();
  await expect(page.getByText('Data key rotated. Every operator keeps access.')).toBeVisible({
    timeout: 30_000,
  });
  await page.screenshot({ path: testInfo.outputPath('settings.png'), fullPage: true });

  await page.getByRole('button', { name: 'Remove' }).click();
  await expect(page.getByRole('dialog')).toContainText('Remove bob?');
  await page.getByRole('button', { name: 'Remove operator' }).click();
  await expect(page.getByRole('cell', { name: 'bob', exact: true })).toHaveCount(0);

  await page.getByRole('button', { name: 'Audit', exact: true }).click();
  const table = page.getByRole('table', { name: 'Audit entries' });
  for (const action of [
    'vault.create',
    'operator.add',
    'vault.backup',
    'vault.rekey',
    'operator.remove',
  ]) {
    await expect(table.getByRole('cell', { name: action, exact: true }).first()).toBeVisible();
  }
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByRole('status')).toContainText('Chain intact');
  await page.screenshot({ path: testInfo.outputPath('audit.png'), fullPage: true });
});
