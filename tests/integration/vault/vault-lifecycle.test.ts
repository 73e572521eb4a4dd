import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { keyFilePath } from '../../../src-main/vault/keyfile';
import { LATEST_VERSION } from '../../../src-main/vault/migrations';
import { openEncrypted } from '../../../src-main/vault/sqlcipher';
import { totp } from '../../../src-main/vault/totp';
import { readUnlockState } from '../../../src-main/vault/unlock-guard';
import { createVault, unlockVault } from '../../../src-main/vault/vault';
import { PASS, PASS2, TEST_KDF, newVault, tempDir } from '../../helpers/vault';

describe('creating and unlocking a vault', () => {
  it('creates an encrypted SQLCipher file, the key file, and the first admin', async () => {
    const { path, session } = await newVault();
    const info = session.info();
    expect(info).toMatchObject({
      cipher: 'sqlcipher',
      legacy: 4,
      schemaVersion: LATEST_VERSION,
      keyEpoch: 1,
    });
    expect(info.operators).toEqual([
      expect.objectContaining({ name: 'alice', role: 'admin', totpEnabled: false }),
    ]);
    session.lock();
    expect(readFileSync(path).subarray(0, 16).toString('latin1')).not.toBe('SQLite format 3\0');
    const keys = JSON.parse(readFileSync(keyFilePath(path), 'utf8')) as Record<string, unknown>;
    expect(keys).toMatchObject({
      format: 'vulnzero-vault-keys',
      version: 1,
      cipher: 'sqlcipher',
      legacy: 4,
    });
    expect(JSON.stringify(keys)).not.toContain(PASS);
  });

  it('refuses weak passphrases with a reason, and an existing vault', async () => {
    const dir = tempDir();
    const path = join(dir, 'v.vz');
    await expect(
      createVault({ path, operator: 'bob', passphrase: 'short', kdf: TEST_KDF }),
    ).rejects.toMatchObject({
      code: 'WEAK_PASSPHRASE',
      message: expect.stringContaining('at least 12 characters'),
    });
    await expect(
      createVault({ path, operator: 'bob', passphrase: 'Password123!', kdf: TEST_KDF }),
    ).rejects.toMatchObject({
      code: 'WEAK_PASSPHRASE',
      message: expect.stringContaining('commonly used'),
    });
    expect(existsSync(path)).toBe(false);
    const { session } = await newVault(dir, 'carol');
    session.lock();
    await expect(
      createVault({ path: join(dir, 'vault.vz'), operator: 'x', passphrase: PASS, kdf: TEST_KDF }),
    ).rejects.toMatchObject({ code: 'VAULT_EXISTS' });
  });

  it('refuses a wrong passphrase with a clear message, opens with the right one, and audits both', async () => {
    const { path, session } = await newVault();
    session.lock();
    await expect(unlockVault({ path, operator: 'alice', passphrase: PASS2 })).rejects.toMatchObject(
      {
        code: 'WRONG_PASSPHRASE',
        message: 'The passphrase is wrong for this operator.',
      },
    );
    await expect(
      unlockVault({ path, operator: 'mallory', passphrase: PASS }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_OPERATOR' });
    expect(readUnlockState(path).failures).toHaveLength(1);
    const again = await unlockVault({ path, operator: 'ALICE', passphrase: PASS });
    expect(again.operator).toMatchObject({ name: 'alice', role: 'admin' });
    const actions = (
      again.db.prepare('SELECT action FROM audit ORDER BY seq').all() as { action: string }[]
    ).map((r) => r.action);
    expect(actions).toEqual(['vault.create', 'vault.unlock_failed', 'vault.unlock']);
    expect(readUnlockState(path).failures).toHaveLength(0);
    again.lock();
  });

  it('rate-limits repeated failures', async () => {
    const { path, session } = await newVault();
    session.lock();
    for (let i = 0; i < 3; i += 1) {
      await expect(
        unlockVault({ path, operator: 'alice', passphrase: PASS2 }),
      ).rejects.toMatchObject({ code: 'WRONG_PASSPHRASE' });
    }
    await expect(unlockVault({ path, operator: 'alice', passphrase: PASS })).rejects.toMatchObject({
      code: 'UNLOCK_RATE_LIMITED',
      message: expect.stringMatching(/Try again in \d+ s/),
    });
  });

  it('requires the TOTP code once enrolled: wrong code refused, right code opens', async () => {
    const { path, session } = await newVault();
    const { secret, uri } = session.enrollTotp();
    expect(uri).toMatch(/^otpauth:\/\/totp\/VulnZero%3Aalice\?secret=[A-Z2-7]+&issuer=VulnZero/);
    expect(() => session.confirmTotp('000000')).toThrow(/wrong or expired/);
    session.confirmTotp(totp(secret));
    session.lock();
    await expect(unlockVault({ path, operator: 'alice', passphrase: PASS })).rejects.toMatchObject({
      code: 'TOTP_REQUIRED',
    });
    const wrong = totp(secret) === '123456' ? '654321' : '123456';
    await expect(
      unlockVault({ path, operator: 'alice', passphrase: PASS, totp: wrong }),
    ).rejects.toMatchObject({
      code: 'WRONG_TOTP',
      message: 'The one-time code is wrong or expired.',
    });
    const ok = await unlockVault({ path, operator: 'alice', passphrase: PASS, totp: totp(secret) });
    expect(ok.isOpen).toBe(true);
    ok.lock();
  });

  it('locking closes the database and drops the key', async () => {
    const { session } = await newVault();
    const key = session.keyForWriter();
    session.lock();
    expect(session.isOpen).toBe(false);
    expect(() => session.db).toThrow(/locked/);
    expect(() => session.keyForWriter()).toThrow(/locked/);
    expect(key.length).toBe(32);
  });

  it('detects a key file edited without the key', async () => {
    const { path, session } = await newVault();
    session.lock();
    const file = JSON.parse(readFileSync(keyFilePath(path), 'utf8')) as {
      operators: { name: string }[];
    };
    file.operators.push({ ...(file.operators[0] as { name: string }), name: 'intruder' });
    writeFileSync(keyFilePath(path), JSON.stringify(file));
    await expect(unlockVault({ path, operator: 'alice', passphrase: PASS })).rejects.toMatchObject({
      code: 'VAULT_KEYFILE_TAMPERED',
    });
  });

  it('refuses a vault written by a newer version', async () => {
    const { path, session } = await newVault();
    const key = session.keyForWriter();
    session.lock();
    const db = openEncrypted(path, key);
    db.pragma(`user_version = ${LATEST_VERSION + 5}`);
    db.close();
    await expect(unlockVault({ path, operator: 'alice', passphrase: PASS })).rejects.toMatchObject({
      code: 'VAULT_TOO_NEW',
      message: expect.stringContaining('newer VulnZero'),
    });
  });
});

describe('operators', () => {
  it('adds operators with their own passphrase and role, changes passphrases, removes operators', async () => {
    const { path, session } = await newVault();
    const bob = await session.addOperator({ name: 'bob', role: 'approver', passphrase: PASS2 });
    await expect(
      session.addOperator({ name: 'bob', role: 'analyst', passphrase: PASS2 }),
    ).rejects.toMatchObject({ code: 'OPERATOR_EXISTS' });
    session.lock();

    const asBob = await unlockVault({ path, operator: 'bob', passphrase: PASS2 });
    expect(asBob.operator.role).toBe('approver');
    await expect(
      asBob.addOperator({ name: 'eve', role: 'admin', passphrase: PASS }),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(asBob.changePassphrase(PASS, 'new-strong-passphrase-42')).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });
    await asBob.changePassphrase(PASS2, 'new-strong-passphrase-42');
    asBob.lock();
    await expect(unlockVault({ path, operator: 'bob', passphrase: PASS2 })).rejects.toMatchObject({
      code: 'WRONG_PASSPHRASE',
    });

    const admin = await unlockVault({ path, operator: 'alice', passphrase: PASS });
    expect(() => admin.removeOperator(admin.operator.id)).toThrow(/cannot remove yourself/);
    admin.removeOperator(bob.id);
    expect(admin.listOperators().map((o) => o.name)).toEqual(['alice']);
    admin.lock();
    await expect(
      unlockVault({ path, operator: 'bob', passphrase: 'new-strong-passphrase-42' }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_OPERATOR' });
  });
});
