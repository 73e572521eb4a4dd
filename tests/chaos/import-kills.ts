/**
 * chaos.import_kill_trials: `vulnzero import` of a large generated .nessus is killed with
 * SIGKILL at a random moment, each trial on a fresh vault. Afterwards the vault must open,
 * pass PRAGMA integrity_check and hold the file whole (one scan, every finding) or not at
 * all (no scan, no finding). Anything else counts in chaos.vault_corrupt.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { integrityCheck } from '../../src-main/vault/sqlcipher';
import { createVault, unlockVault } from '../../src-main/vault/vault';
import { generateNessus } from '../bench/generate-nessus';
import { rng } from '../fuzz/mutate';
import { PASS, TEST_KDF } from '../helpers/vault';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'vulnzero.cjs');

export interface KillTrials {
  trials: number;
  whole: number;
  absent: number;
  corrupt: string[];
  fileMb: number;
}

async function freshVault(dir: string, name: string): Promise<string> {
  const session = await createVault({
    path: join(dir, name, 'vault.vz'),
    operator: 'alice',
    passphrase: PASS,
    kdf: TEST_KDF,
  });
  const path = session.path;
  session.lock();
  return path;
}

/** Runs the CLI import; kills it after `killAfterMs` (null: let it finish). Resolves with its wall time. */
function importCli(vault: string, file: string, killAfterMs: number | null): Promise<number> {
  const t0 = performance.now();
  const child = spawn(process.execPath, [BIN, 'import', file, '--json'], {
    env: { ...process.env, VULNZERO_VAULT: vault, VULNZERO_PASSPHRASE: PASS },
    stdio: 'ignore',
  });
  const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return new Promise((resolve, reject) =>
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (killAfterMs === null && code !== 0) reject(new Error(`reference import exited ${code}`));
      else resolve(performance.now() - t0 + (signal ? 0 : 0));
    }),
  );
}

async function contents(
  vault: string,
): Promise<{ problems: string[]; scans: number; findings: number }> {
  const session = await unlockVault({ path: vault, operator: 'alice', passphrase: PASS });
  try {
    const db = session.db;
    return {
      problems: integrityCheck(db),
      scans: db.prepare('SELECT count(*) FROM scans').pluck().get() as number,
      findings: db.prepare('SELECT count(*) FROM findings').pluck().get() as number,
    };
  } finally {
    session.lock();
  }
}

export async function importKillTrials(
  dir: string,
  trials: number,
  seed: number,
  hosts: number,
): Promise<KillTrials> {
  const file = join(dir, 'chaos.nessus');
  const size = await generateNessus(file, hosts, 100);
  const reference = await freshVault(dir, 'reference');
  const fullMs = await importCli(reference, file, null);
  const full = await contents(reference);
  const random = rng(seed);
  const result: KillTrials = { trials: 0, whole: 0, absent: 0, corrupt: [], fileMb: size / 1e6 };
  for (let t = 0; t < trials; t += 1) {
    const vault = await freshVault(dir, `trial-${t}`);
    // From process start to just past the commit: some kills land before the write starts,
    // most during it, a few after it.
    const killAt = Math.round(random() * fullMs * 1.1);
    await importCli(vault, file, killAt);
    result.trials += 1;
    try {
      const seen = await contents(vault);
      if (seen.problems.length)
        result.corrupt.push(`trial ${t} (kill at ${killAt} ms): ${seen.problems[0]}`);
      else if (seen.scans === 0 && seen.findings === 0) result.absent += 1;
      else if (seen.scans === 1 && seen.findings === full.findings) result.whole += 1;
      else
        result.corrupt.push(
          `trial ${t} (kill at ${killAt} ms): partial import, ${seen.scans} scan(s) and ${seen.findings} of ${full.findings} findings`,
        );
    } catch (error) {
      result.corrupt.push(
        `trial ${t} (kill at ${killAt} ms): vault does not open: ${String(error)}`,
      );
    }
  }
  return result;
}
