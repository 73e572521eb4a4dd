import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { test as base } from '@playwright/test';

const root = join(import.meta.dirname, '..', '..');

export interface HarnessProcess {
  url: string;
  origin: string;
  child: ChildProcess;
}

/** Starts the built harness (out/main/harness.js) and waits for its URL line. */
export async function startHarnessProcess(args: string[] = []): Promise<HarnessProcess> {
  const child = spawn(process.execPath, [join(root, 'out', 'main', 'harness.js'), ...args], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
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
  return { url, origin: new URL(url).origin, child };
}

/** `harness` fixture: one fresh core per test file worker. */
export const test = base.extend<object, { harness: HarnessProcess }>({
  harness: [
    // eslint-disable-next-line no-empty-pattern -- Playwright requires the destructuring form
    async ({}, use) => {
      const harness = await startHarnessProcess();
      await use(harness);
      harness.child.kill('SIGTERM');
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
