/**
 * Rate limiting of failed unlocks. Failures are counted in a small sidecar file
 * (`<vault>.unlock-state`, no secrets: operator name and times) because the audit log
 * cannot be written without the key; the next successful unlock moves them into the
 * audit chain. After 3 failures each further attempt waits exponentially longer.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { VzError } from '../core/errors';
import { writeFileAtomic } from './keyfile';

const stateSchema = z.object({
  failures: z.array(z.object({ operator: z.string(), at: z.string(), reason: z.string() })),
});
export type UnlockState = z.infer<typeof stateSchema>;

export const FREE_ATTEMPTS = 3;
export const MAX_DELAY_MS = 15 * 60 * 1000;

export function unlockStatePath(vaultPath: string): string {
  return `${vaultPath}.unlock-state`;
}

export function readUnlockState(vaultPath: string): UnlockState {
  try {
    const parsed = stateSchema.safeParse(
      JSON.parse(readFileSync(unlockStatePath(vaultPath), 'utf8')),
    );
    return parsed.success ? parsed.data : { failures: [] };
  } catch {
    return { failures: [] };
  }
}

/** Milliseconds to wait before the next attempt is allowed (0 = now). */
export function lockoutRemaining(state: UnlockState, now = Date.now()): number {
  const n = state.failures.length;
  if (n < FREE_ATTEMPTS) return 0;
  const delay = Math.min(MAX_DELAY_MS, 1000 * 2 ** (n - FREE_ATTEMPTS + 1));
  const last = Date.parse(state.failures[n - 1]?.at ?? '');
  return Math.max(0, last + delay - now);
}

export function assertNotLockedOut(vaultPath: string, now = Date.now()): void {
  const wait = lockoutRemaining(readUnlockState(vaultPath), now);
  if (wait > 0) {
    throw new VzError(
      'UNLOCK_RATE_LIMITED',
      `Too many failed unlock attempts. Try again in ${Math.ceil(wait / 1000)} s.`,
      { retryAfterMs: wait },
    );
  }
}

export function recordFailure(
  vaultPath: string,
  operator: string,
  reason: string,
  now = new Date(),
): void {
  const state = readUnlockState(vaultPath);
  state.failures.push({ operator: operator.slice(0, 100), at: now.toISOString(), reason });
  state.failures = state.failures.slice(-200);
  writeFileAtomic(unlockStatePath(vaultPath), JSON.stringify(state));
}

/** Returns the failures since the last success and clears them. */
export function takeFailures(vaultPath: string): UnlockState['failures'] {
  const state = readUnlockState(vaultPath);
  if (state.failures.length)
    writeFileAtomic(unlockStatePath(vaultPath), JSON.stringify({ failures: [] }));
  return state.failures;
}
