/**
 * chaos.backup_restore_ok: a vault with real findings is backed up, then a random page of
 * the live (encrypted) file is overwritten, as a failing disk would. The damage must be
 * noticed (the vault refuses to open, or `vault check` reports it) and the backup must
 * restore to a vault that passes integrity_check and holds what was backed up.
 */
import { closeSync, openSync, statSync, writeSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { importFiles } from '../../src-main/importers/import-files';
import { restoreBroken } from '../../src-main/vault/restore';
import { integrityCheck } from '../../src-main/vault/sqlcipher';
import { createVault, unlockVault } from '../../src-main/vault/vault';
import { rng } from '../fuzz/mutate';
import { FIXTURES } from '../helpers/import';
import { PASS, TEST_KDF } from '../helpers/vault';

export interface RestoreTrials {
  trials: number;
  /** the damage was seen (open refused or integrity problems) */
  detected: number;
  restored: number;
  failures: string[];
}

const PAGE = 4096;

export async function backupRestoreTrials(
  dir: string,
  trials: number,
  seed: number,
): Promise<RestoreTrials> {
  const random = rng(seed);
  const result: RestoreTrials = { trials: 0, detected: 0, restored: 0, failures: [] };
  for (let t = 0; t < trials; t += 1) {
    const path = join(dir, `restore-${t}`, 'vault.vz');
    const session = await createVault({ path, operator: 'alice', passphrase: PASS, kdf: TEST_KDF });
    await importFiles(session, [join(FIXTURES, 'nessus_xml', 'nessus_with_cvssv3.nessus')], {
      controls: { signal: new AbortController().signal, progress: () => undefined },
    });
    const findings = session.db.prepare('SELECT count(*) FROM findings').pluck().get() as number;
    const backup = await session.backup('manual');
    // Damage the database file itself: with everything checkpointed out of the WAL, every
    // page of the main file is live (a page whose newer copy sits in the WAL is not read).
    session.db.pragma('wal_checkpoint(TRUNCATE)');
    session.lock();
    result.trials += 1;

    const pages = Math.floor(statSync(path).size / PAGE);
    const page = Math.floor(random() * pages);
    const fd = openSync(path, 'r+');
    writeSync(fd, randomBytes(PAGE), 0, PAGE, page * PAGE);
    closeSync(fd);

    let detected: boolean;
    try {
      const damaged = await unlockVault({ path, operator: 'alice', passphrase: PASS });
      try {
        detected = integrityCheck(damaged.db).length > 0;
      } catch {
        detected = true;
      } finally {
        damaged.lock();
      }
    } catch {
      detected = true;
    }
    if (detected) result.detected += 1;
    else {
      result.failures.push(`trial ${t}: page ${page} of ${pages} overwritten and not noticed`);
      continue;
    }
    try {
      await restoreBroken(path, { backupPath: backup.path, operator: 'alice', passphrase: PASS });
      const restored = await unlockVault({ path, operator: 'alice', passphrase: PASS });
      const ok =
        integrityCheck(restored.db).length === 0 &&
        restored.db.prepare('SELECT count(*) FROM findings').pluck().get() === findings;
      restored.lock();
      if (ok) result.restored += 1;
      else result.failures.push(`trial ${t}: the restored vault differs from the backup`);
    } catch (error) {
      result.failures.push(`trial ${t}: restore failed: ${String(error)}`);
    }
  }
  return result;
}
