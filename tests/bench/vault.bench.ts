/**
 * Vault figures: `vault.unlock_ms` (product scrypt cost, key unwrap, open, migrate check)
 * and `vault.insert_rows_per_s` (encrypted inserts through the writer thread).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createVault, unlockVault } from '../../src-main/vault/vault';
import { runWriterTask } from '../../src-main/vault/writer/client';
import { percentile, report } from './report';

const path = join(mkdtempSync(join(tmpdir(), 'vz-bench-vault-')), 'vault.vz');
const passphrase = 'orbit-lantern-quartz-91';
const created = await createVault({ path, operator: 'bench', passphrase });
created.lock();

const unlockTimes: number[] = [];
for (let i = 0; i < 5; i += 1) {
  const t0 = performance.now();
  const session = await unlockVault({ path, operator: 'bench', passphrase });
  unlockTimes.push(performance.now() - t0);
  session.lock();
}
report('vault', 'unlock_ms', percentile(unlockTimes, 50), 'ms');

const session = await unlockVault({ path, operator: 'bench', passphrase });
const rows = 500_000;
const t0 = performance.now();
await runWriterTask(session.path, session.keyForWriter(), 'insert-synthetic', {
  rows,
  marker: 'bench',
});
const seconds = (performance.now() - t0) / 1000;
report('vault', 'insert_rows_per_s', rows / seconds, 'rows/s');
session.lock();
