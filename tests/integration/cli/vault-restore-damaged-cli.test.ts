/**
 * `vulnzero vault restore IN --yes --damaged`: a page of the live vault is overwritten (a
 * failing disk); the vault no longer passes its check, no session can repair it, and the
 * operator restores the backup by proving themselves on the backup. The damaged vault is
 * kept beside it, and the restore is audited in the restored vault.
 */
import { spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/import';
import { PASS, PASS2, newVault, tempDir } from '../../helpers/vault';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');

describe('vault restore --damaged (built bin)', () => {
  it('restores a backup over a vault whose file was damaged, and refuses when nothing is damaged', async () => {
    const { path, session } = await newVault();
    session.lock();
    const env = { ...process.env, VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS };
    const vz = (...args: string[]) =>
      spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', env });
    expect(vz('import', fixture('nessus_xml', 'nessus_with_cvssv3.nessus')).status).toBe(0);
    const backup = join(tempDir(), 'before.vz');
    expect(vz('vault', 'backup', backup).status).toBe(0);

    // Nothing is damaged yet: --damaged refuses and says what to use instead.
    const healthy = vz('vault', 'restore', backup, '--yes', '--damaged');
    expect(healthy.status).not.toBe(0);
    expect(healthy.stderr).toContain('opens and passes its integrity check');

    // Overwrite page 3 of the encrypted file, as a failing disk would.
    const fd = openSync(path, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, 2 * 4096);
    closeSync(fd);
    const check = vz('vault', 'check');
    expect(check.status).not.toBe(0);

    // A wrong passphrase is refused as such, never taken for damage.
    const wrong = spawnSync(
      process.execPath,
      [bin, 'vault', 'restore', backup, '--yes', '--damaged'],
      {
        encoding: 'utf8',
        env: { ...env, VULNZERO_PASSPHRASE: PASS2 },
      },
    );
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/passphrase is wrong/);

    const restored = vz('--json', 'vault', 'restore', backup, '--yes', '--damaged');
    expect(restored.status, restored.stderr).toBe(0);
    const out = JSON.parse(restored.stdout) as { previous: string; damage: string };
    expect(out.damage).toMatch(/does not open|integrity check/);
    expect(existsSync(out.previous)).toBe(true);
    expect(vz('vault', 'check').status).toBe(0);
    const findings = JSON.parse(vz('findings', '--json').stdout) as unknown[];
    expect(findings.length).toBeGreaterThan(0);

    const audit = join(tempDir(), 'audit.jsonl');
    expect(vz('audit', 'export', audit).status).toBe(0);
    const entry = readFileSync(audit, 'utf8')
      .trim()
      .split('\n')
      .find((line) => (JSON.parse(line) as { action: string }).action === 'vault.restore');
    expect(entry).toContain(out.previous.split('/').at(-1) ?? '');
    expect(entry).toContain('damage');
  }, 120_000);
});
