import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVault } from '../../src-main/vault/vault';
import type { VaultSession } from '../../src-main/vault/session';

/** Cheap scrypt for tests (the product default costs ~0.4 s per unlock). */
export const TEST_KDF = { logN: 12, r: 8, p: 1 } as const;
export const PASS = 'orbit-lantern-quartz-91';
export const PASS2 = 'velvet-canyon-harbor-27';

export function tempDir(prefix = 'vz-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function newVault(
  dir = tempDir(),
  operator = 'alice',
): Promise<{ path: string; dir: string; session: VaultSession }> {
  const path = join(dir, 'vault.vz');
  const session = await createVault({ path, operator, passphrase: PASS, kdf: TEST_KDF });
  return { path, dir, session };
}

/** Every file below `dir` (recursively) whose bytes contain `marker`. */
export function filesContaining(dir: string, marker: string): string[] {
  const hits: string[] = [];
  const needle = Buffer.from(marker);
  const utf16 = Buffer.from(marker, 'utf16le');
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) hits.push(...filesContaining(full, marker));
    else {
      const bytes = readFileSync(full);
      if (bytes.includes(needle) || bytes.includes(utf16)) hits.push(full);
    }
  }
  return hits;
}
