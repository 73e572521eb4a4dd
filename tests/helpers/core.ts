import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger, type MemoryLogger } from '../../src-main/core/logger';
import { createCore, type Core, type CoreOptions } from '../../src-main/ipc/core';
import { TEST_KDF } from './vault';

/** A core wired like the app's, with a memory logger to assert on. */
export function testCore(options: Partial<CoreOptions> = {}): Core & { logger: MemoryLogger } {
  const logger = createMemoryLogger();
  const core = createCore({
    runtime: { transport: 'direct' },
    logger,
    vaultPath: join(mkdtempSync(join(tmpdir(), 'vz-core-')), 'vault.vz'),
    kdf: TEST_KDF,
    ...options,
  });
  return Object.assign(core, { logger });
}
