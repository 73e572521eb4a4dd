import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { integrityCheck } from '../../../src-main/vault/sqlcipher';
import { unlockVault } from '../../../src-main/vault/vault';
import { PASS, newVault } from '../../helpers/vault';

const ROWS = 150_000;
const child = join(import.meta.dirname, '..', '..', 'helpers', 'kill-writer.ts');

/** Starts the writer in a child process and SIGKILLs it `delayMs` after the write began. */
function killDuringWrite(path: string, delayMs: number): Promise<'killed' | 'finished'> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ['--import', 'tsx', child, path, PASS, String(ROWS)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    proc.stderr.on('data', (d: Buffer) => (err += d.toString()));
    proc.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      if (out.includes('STARTED') && !proc.killed) setTimeout(() => proc.kill('SIGKILL'), delayMs);
    });
    proc.on('exit', (code, signal) => {
      if (signal === 'SIGKILL') resolve(out.includes('FINISHED') ? 'finished' : 'killed');
      else if (code === 0) resolve('finished');
      else reject(new Error(`child failed (${code}): ${err}`));
    });
  });
}

describe('crash safety', () => {
  it('a SIGKILL during a large write leaves a vault that opens, passes integrity_check, and has the write whole or absent', async () => {
    const { path, session } = await newVault();
    session.lock();
    const outcomes: string[] = [];
    let expected = 0;
    for (const delay of [0, 40, 150, 400]) {
      const outcome = await killDuringWrite(path, delay);
      outcomes.push(outcome);
      const after = await unlockVault({ path, operator: 'alice', passphrase: PASS });
      expect(integrityCheck(after.db)).toEqual([]);
      const n = (
        after.db
          .prepare(`SELECT count(*) AS n FROM assets WHERE display_name LIKE 'CRASH-%'`)
          .get() as { n: number }
      ).n;
      // Either the whole transaction landed or none of it.
      expect([expected, expected + ROWS]).toContain(n);
      expected = n;
      after.lock();
    }
    expect(outcomes).toContain('killed');
  });
});
