import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { expect, test as base, type Page } from '@playwright/test';

const root = join(import.meta.dirname, '..', '..');

export interface HarnessProcess {
  url: string;
  origin: string;
  child: ChildProcess;
  vaultPath: string;
}

/** Starts the built harness (out/main/harness.js) and waits for its URL line. */
export async function startHarnessProcess(args: string[] = []): Promise<HarnessProcess> {
  const vaultPath = join(mkdtempSync(join(tmpdir(), 'vz-e2e-')), 'vault.vz');
  const child = spawn(
    process.execPath,
    [join(root, 'out', 'main', 'harness.js'), '--vault', vaultPath, ...args],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const lines = createInterface({ input: child.stdout });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('harness did not start in 20 s')), 20_000);
    child.once('exit', (code) => reject(new Error(`harness exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /^VZ_HARNESS_URL (\S+)$/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
  });
  return { url, origin: new URL(url).origin, child, vaultPath };
}

/** `harness` fixture: a fresh core and an empty vault folder for every test. */
export const test = base.extend<{ harness: HarnessProcess }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
  harness: async ({}, use) => {
    const harness = await startHarnessProcess();
    await use(harness);
    harness.child.kill('SIGTERM');
  },
});

export const OPERATOR = 'alice';
export const PASSPHRASE = 'orbit-lantern-quartz-91';

/** First run through the UI: create the vault; ends on the dashboard. */
export async function createVaultInUi(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Operator').fill(OPERATOR);
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await page.getByLabel('Repeat passphrase').fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Create vault' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
}

/** A new vault with one real Nessus scan imported through the Import screen. */
export async function vaultWithNessusScan(page: Page, url: string): Promise<void> {
  await createVaultInUi(page, url);
  await page.getByRole('button', { name: 'Import', exact: true }).click();
  await page
    .getByLabel('Files to import')
    .fill(join(root, 'tests', 'fixtures', 'nessus_xml', 'nessus_with_cvssv3.nessus'));
  await page.getByRole('button', { name: 'Import file' }).click();
  await expect(page.getByText('Import finished.')).toBeVisible({ timeout: 30_000 });
}

export { expect } from '@playwright/test';
