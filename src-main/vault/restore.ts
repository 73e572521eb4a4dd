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
  const previous = swapInBackup(input.backupPath, vaultPath);
  const restored = await unlockVault({
    path: vaultPath,
    operator,
    passphrase: input.passphrase,
    ...(input.totp ? { totp: input.totp } : {}),
  });
  restored.audit({
    action: 'vault.restore',
    objectType: 'backup',
    objectId: input.backupPath,
    summary: { after: { previousVaultKeptAt: previous } },
  });
  return { session: restored, previous };
}
