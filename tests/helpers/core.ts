import { createMemoryLogger, type MemoryLogger } from '../../src-main/core/logger';
import { createCore, type Core, type CoreOptions } from '../../src-main/ipc/core';

/** A core wired like the app's, with a memory logger to assert on. */
export function testCore(options: Partial<CoreOptions> = {}): Core & { logger: MemoryLogger } {
  const logger = createMemoryLogger();
  const core = createCore({ runtime: { transport: 'direct' }, logger, ...options });
  return Object.assign(core, { logger });
}
