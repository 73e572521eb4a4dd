/**
 * Restoring a backup. Everything is checked before anything is replaced: the backup's
 * key file must unlock with the operator's passphrase, the database must decrypt and
 * pass `PRAGMA integrity_check`. Only then is the live vault closed and swapped; the
 * previous vault is kept as `<vault>.pre-restore-<time>`.
 */
import { existsSync } from 'node:fs';
import { VzError } from '../core/errors';
import { swapInBackup, verifyBackup } from './backup';
import { deriveKek, open, unwrapWithPrivateKey, wipe, wrongPassphrase } from './crypto';
import { dataKeyAad, keyFilePath, macMatches, privateKeyAad, readKeyFile } from './keyfile';
import type { VaultSession } from './session';
import { integrityCheck, openEncrypted } from './sqlcipher';
import { unlockVault } from './vault';

export async function backupDataKey(
  backupPath: string,
  operator: string,
  passphrase: string,
): Promise<Buffer> {
  const keys = keyFilePath(backupPath);
  if (!existsSync(keys))
    throw new VzError('BACKUP_KEYFILE_MISSING', `The backup's key file ${keys} is missing.`);
  const file = readKeyFile(keys);
  const slot = file.operators.find((o) => o.name.toLowerCase() === operator.toLowerCase());
  if (!slot)
    throw new VzError('UNKNOWN_OPERATOR', `Operator "${operator}" has no key in this backup.`);
  const kek = await deriveKek(passphrase, slot.kdf);
  const privateKey = open(kek, slot.privateKey, privateKeyAad(file.vaultId, slot));
  wipe(kek);
  if (!privateKey) throw wrongPassphrase();
  const dataKey = unwrapWithPrivateKey(
    slot.dataKey,
    privateKey,
    dataKeyAad(file.vaultId, slot.id, file.epoch),
  );
  wipe(privateKey);
  if (!dataKey || !macMatches(file, dataKey)) {
    wipe(dataKey);
    throw new VzError(
      'BACKUP_KEYFILE_TAMPERED',
      "The backup's key file is damaged or was modified.",
    );
  }
  return dataKey;
}

export async function restoreBackup(
  session: VaultSession,
  input: { backupPath: string; passphrase: string; totp?: string },
): Promise<{ session: VaultSession; previous: string }> {
  session.requireRole('admin');
  const operator = session.operator.name;
  const dataKey = await backupDataKey(input.backupPath, operator, input.passphrase);
  try {
    await verifyBackup(input.backupPath, dataKey);
  } finally {
    wipe(dataKey);
  }
  session.audit({
    action: 'vault.restore_started',
    objectType: 'backup',
    objectId: input.backupPath,
  });
  const vaultPath = session.path;
  session.lock();
  return swapAndReopen(vaultPath, { ...input, operator }, {});
}

/** Swaps the backup in (keeping the previous vault), unlocks it and audits the restore there. */
async function swapAndReopen(
  vaultPath: string,
  input: { backupPath: string; operator: string; passphrase: string; totp?: string },
  extra: Record<string, string>,
): Promise<{ session: VaultSession; previous: string }> {
  const previous = swapInBackup(input.backupPath, vaultPath);
  const restored = await unlockVault({
    path: vaultPath,
    operator: input.operator,
    passphrase: input.passphrase,
    ...(input.totp ? { totp: input.totp } : {}),
  });
  restored.audit({
    action: 'vault.restore',
    objectType: 'backup',
    objectId: input.backupPath,
    summary: { after: { previousVaultKeptAt: previous, ...extra } },
  });
  return { session: restored, previous };
}

/**
 * Restoring when the live vault is damaged (it does not open, or fails its integrity
 * check), so no session can be unlocked to call `restoreBackup`. The operator proves
 * themselves on the backup instead: its key file must unlock with their passphrase, the
 * backup must pass its integrity check, and they must be an admin in it. A vault that
 * opens cleanly is refused here (restore it from an unlocked session).
 */
export async function restoreBroken(
  vaultPath: string,
  input: { backupPath: string; operator: string; passphrase: string; totp?: string },
): Promise<{ previous: string; damage: string }> {
  const damage = await liveDamage(vaultPath, input);
  if (damage === null)
    throw new VzError(
      'VAULT_NOT_DAMAGED',
      'The vault opens and passes its integrity check: restore it with `vulnzero vault restore IN --yes` (without --damaged).',
    );
  const dataKey = await backupDataKey(input.backupPath, input.operator, input.passphrase);
  try {
    await verifyBackup(input.backupPath, dataKey);
    const db = openEncrypted(input.backupPath, dataKey, { readonly: true });
    try {
      const role = db
        .prepare('SELECT role FROM operators WHERE lower(name) = lower(?)')
        .pluck()
        .get(input.operator) as string | undefined;
      if (role !== 'admin')
        throw new VzError(
          'FORBIDDEN',
          `Restoring a damaged vault needs an admin of the backup; ${input.operator} is ${role ?? 'not an operator'} there.`,
        );
    } finally {
      db.close();
    }
  } finally {
    wipe(dataKey);
  }
  const { session: restored, previous } = await swapAndReopen(vaultPath, input, { damage });
  restored.lock();
  return { previous, damage };
}

/** Why the live vault cannot be used, or null when it opens and passes integrity_check. */
async function liveDamage(
  vaultPath: string,
  input: { operator: string; passphrase: string; totp?: string },
): Promise<string | null> {
  let session: VaultSession;
  try {
    session = await unlockVault({
      path: vaultPath,
      operator: input.operator,
      passphrase: input.passphrase,
      ...(input.totp ? { totp: input.totp } : {}),
    });
  } catch (error) {
    // A wrong passphrase is not damage: the operator must get that error, not a restore.
    if (
      error instanceof VzError &&
      [
        'WRONG_PASSPHRASE',
        'UNKNOWN_OPERATOR',
        'TOTP_REQUIRED',
        'WRONG_TOTP',
        'VAULT_NOT_FOUND',
      ].includes(error.code)
    )
      throw error;
    return `the vault does not open: ${error instanceof Error ? error.message : String(error)}`;
  }
  try {
    const problems = integrityCheck(session.db);
    return problems.length ? `integrity check: ${problems.slice(0, 3).join('; ')}` : null;
  } catch (error) {
    return `integrity check failed: ${error instanceof Error ? error.message : String(error)}`;
  } finally {
    session.lock();
  }
}
