import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATEST_VERSION } from '../../../src-main/vault/migrations';
import { cli } from '../../helpers/cli';
import { PASS, PASS2, newVault, tempDir } from '../../helpers/vault';

describe('vault CLI', () => {
  it('vault init creates a vault; vault info --json shows schema, cipher, operators without secrets', async () => {
    const path = join(tempDir(), 'cli.vz');
    const run = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    const init = await run('vault', 'init', '--operator', 'ops', '--json');
    expect(init.code).toBe(0);
    expect(JSON.parse(init.out)).toMatchObject({ vault: path, operator: 'ops', role: 'admin' });
    const info = await run('vault', 'info', '--json');
    expect(info.code).toBe(0);
    const parsed = JSON.parse(info.out) as Record<string, unknown>;
    expect(parsed).toMatchObject({
      cipher: 'sqlcipher',
      schemaVersion: LATEST_VERSION,
      operators: [{ name: 'ops', role: 'admin' }],
    });
    expect(info.out).not.toContain(PASS);
    expect(info.out).not.toMatch(/totp_secret|privateKey/);
  });

  it('a wrong passphrase exits 1 with a message saying so, never a SQLite error', async () => {
    const { path, session } = await newVault();
    session.lock();
    const r = await cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS2 })('vault', 'info');
    expect(r.code).toBe(1);
    expect(r.err).toBe('error: The passphrase is wrong for this operator.\n');
    const missing = await cli({ VULNZERO_VAULT: path })('vault', 'info');
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('VULNZERO_PASSPHRASE');
    const noVault = await cli({ VULNZERO_PASSPHRASE: PASS })('vault', 'info');
    expect(noVault.code).toBe(2);
  });

  it('passphrase file, operators add/list/remove, passwd, rekey, backup, restore, check, audit verify/export', async () => {
    const { dir, path, session } = await newVault();
    session.lock();
    const passFile = join(dir, 'pass.txt');
    writeFileSync(passFile, `${PASS}\n`);
    const run = cli({ VULNZERO_VAULT: path, VULNZERO_NEW_PASSPHRASE: PASS2 });
    const as = (...a: string[]) => run('--passphrase-file', passFile, ...a);

    expect((await as('operators', 'add', 'bob', '--role', 'approver')).code).toBe(0);
    expect((await as('operators', 'add', 'carl', '--role', 'boss')).code).toBe(2);
    expect((await as('vault', 'info')).code).toBe(2); // several operators now: --operator needed
    const list = await as('operators', 'list', '--operator', 'alice', '--json');
    expect((JSON.parse(list.out) as { name: string }[]).map((o) => o.name)).toEqual([
      'alice',
      'bob',
    ]);
    expect((await as('operators', 'remove', 'bob', '--operator', 'alice')).code).toBe(2);
    expect((await as('operators', 'remove', 'bob', '--operator', 'alice', '--yes')).code).toBe(0);

    expect((await as('vault', 'rekey')).code).toBe(0);
    const backup = join(dir, 'b.vzbak');
    expect((await as('vault', 'backup', backup)).code).toBe(0);
    expect((await as('vault', 'restore', backup)).code).toBe(2);
    const restore = await as('vault', 'restore', backup, '--yes', '--json');
    expect(restore.code).toBe(0);
    expect(JSON.parse(restore.out)).toMatchObject({ restored: backup });
    expect((await as('vault', 'check')).out).toContain('ok: integrity check passed');
    const verify = await as('audit', 'verify', '--json');
    expect(JSON.parse(verify.out)).toMatchObject({ ok: true });
    const out = join(dir, 'audit.csv');
    const exported = await as('audit', 'export', out, '--format', 'csv');
    expect(exported.code).toBe(0);
    expect(readFileSync(out, 'utf8').split('\n')[0]).toContain('seq,ts,operatorId');
    expect((await as('audit', 'export', join(dir, 'x'), '--format', 'xml')).code).toBe(2);

    const passwd = await as('vault', 'passwd');
    expect(passwd.code).toBe(0);
    expect((await as('vault', 'info')).code).toBe(1);
    expect(
      (await cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS2 })('vault', 'info')).code,
    ).toBe(0);
  });

  it('audit verify reports a tampered entry with exit 1', async () => {
    const { path, session } = await newVault();
    session.audit({ action: 'x', objectType: 'y' });
    session.db.prepare(`UPDATE audit SET action = 'forged' WHERE seq = 2`).run();
    session.lock();
    const r = await cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS })('audit', 'verify');
    expect(r.code).toBe(1);
    expect(r.out).toContain('BROKEN at entry 2 (position 2)');
  });

  it('the built bin reports a wrong passphrase the same way', async () => {
    const { path, session } = await newVault();
    session.lock();
    const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');
    const r = spawnSync(process.execPath, [bin, 'vault', 'info', '--vault', path], {
      encoding: 'utf8',
      env: { ...process.env, VULNZERO_PASSPHRASE: 'not-the-passphrase-1' },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('error: The passphrase is wrong for this operator.\n');
  });
});
