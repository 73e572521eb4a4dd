/**
 * `node out/main/harness.js [--port N] [--vault PATH]`: the loopback harness as a process, for
 * `npm run dev:web` and the Playwright tests. Prints one line
 * `VZ_HARNESS_URL <url-with-token>` when ready and runs until SIGTERM/SIGINT.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createStreamLogger } from '../core/logger';
import { createCore } from '../ipc/core';
import { logDirFor } from '../ops/log-files';
import { startHarness } from './server';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      renderer: { type: 'string' },
      vault: { type: 'string', default: join(process.cwd(), '.vz-tmp', 'dev-vault', 'vault.vz') },
    },
  });
  const core = createCore({
    runtime: { transport: 'harness' },
    vaultPath: values.vault,
    // Everything goes to the log files beside the vault; only warnings and errors to stderr.
    logger: createStreamLogger((line) => process.stderr.write(line), 'warn'),
    logDir: logDirFor(values.vault),
  });
  const harness = await startHarness({
    core,
    rendererDir: values.renderer ?? join(import.meta.dirname, '../renderer'),
    port: Number(values.port),
  });
  process.stdout.write(`VZ_HARNESS_URL ${harness.url}\n`);
  const stop = () => {
    void harness
      .close()
      .then(() => core.dispose())
      .then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

void main();
