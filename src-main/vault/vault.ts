/**
 * Creating and unlocking a vault: `<name>.vz` (the SQLCipher database) plus
 * `<name>.vz.keys` (the key file). The unlocked state is a VaultSession.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { VzError } from '../core/errors';
import { appendAudit, initAuditKey } from './audit';
import { defaultBackupPath, writeBackup } from './backup';
import {
  deriveKek,
  newDataKey,
  open,
  unwrapWithPrivateKey,
  wipe,
  wrongPassphrase,
  DEFAULT_KDF,
} from './crypto';
import {
  dataKeyAad,
  keyFilePath,
  macMatches,
  privateKeyAad,
  readKeyFile,
  writeKeyFile,
  type KeyFile,
  type OperatorSlot,
} from './keyfile';
import { rebuildTriage } from '../triage/refresh';
import { assertKnownVersion, migrate, needsMigration } from './migrate';
import { assertStrongPassphrase } from './passphrase-policy';
import type { Role } from './schema';
import { VaultSession } from './session';
import { writeSetting } from './settings';
import { assertOperatorName, buildSlot, commitRotation, type KdfCost } from './slots';
import { openEncrypted, type Db } from './sqlcipher';
import { verifyTotp } from './totp';
import { assertNotLockedOut, recordFailure, takeFailures } from './unlock-guard';

export interface CreateVaultInput {
  path: string;
  operator: string;
  passphrase: string;
  /** scrypt cost for this vault's operators (tests use a cheaper one). */
  kdf?: KdfCost;
  /** Create at an older schema version (migration tests only). */
  schemaVersion?: number;
}

export interface UnlockInput {
  path: string;
  operator: string;
  passphrase: string;
  totp?: string;
}

export async function createVault(input: CreateVaultInput): Promise<VaultSession> {
  const { path } = input;
  assertOperatorName(input.operator);
  assertStrongPassphrase(input.passphrase, input.operator);
  if (existsSync(path) || existsSync(keyFilePath(path))) {
    throw new VzError(
      'VAULT_EXISTS',
      `A vault already exists at ${path}; unlock it or choose another path.`,
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  const cost = input.kdf ?? DEFAULT_KDF;
  const dataKey = newDataKey();
  const vaultId = randomUUID();
  const operatorId = randomUUID();
  const slot = await buildSlot(
    vaultId,
    operatorId,
    input.operator,
    input.passphrase,
    dataKey,
    1,
    cost,
  );
  let db: Db | null = null;
  try {
    db = openEncrypted(path, dataKey);
    migrate(db, input.schemaVersion);
    const now = new Date().toISOString();
    const database = db;
    database.transaction(() => {
      initAuditKey(database);
      database
        .prepare('INSERT INTO operators(id, name, role, created_at) VALUES (?, ?, ?, ?)')
        .run(operatorId, input.operator, 'admin', now);
      writeSetting(database, 'vault.kdf', cost);
      appendAudit(
        database,
        { id: operatorId, name: input.operator },
        {
          action: 'vault.create',
          objectType: 'vault',
          objectId: vaultId,
          summary: {
            after: { operator: input.operator, role: 'admin', cipher: 'sqlcipher', legacy: 4 },
          },
        },
      );
    })();
    writeKeyFile(
      keyFilePath(path),
      {
        format: 'vulnzero-vault-keys',
        version: 1,
        vaultId,
        cipher: 'sqlcipher',
        legacy: 4,
        epoch: 1,
        operators: [slot],
        pending: null,
      },
      dataKey,
    );
  } catch (error) {
    db?.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(path + suffix, { force: true });
    rmSync(keyFilePath(path), { force: true });
    wipe(dataKey);
    throw error;
  }
  return new VaultSession({
    path,
    db,
    dataKey,
    vaultId,
    operator: { id: operatorId, name: input.operator, role: 'admin' },
  });
}

function findSlot(file: KeyFile, name: string): OperatorSlot {
  const slot = file.operators.find((o) => o.name.toLowerCase() === name.toLowerCase());
  if (!slot) throw new VzError('UNKNOWN_OPERATOR', `No operator named "${name}" in this vault.`);
  return slot;
}

/**
 * Opens the database with the data key, finishing an interrupted key rotation when the
 * database was already rekeyed but the key file was not yet committed.
 */
function openWithRecovery(
  path: string,
  file: KeyFile,
  slot: OperatorSlot,
  privateKey: Buffer,
): { db: Db; dataKey: Buffer; file: KeyFile } {
  const current = unwrapWithPrivateKey(
    slot.dataKey,
    privateKey,
    dataKeyAad(file.vaultId, slot.id, file.epoch),
  );
  if (!current)
    throw new VzError(
      'VAULT_KEYFILE_CORRUPT',
      'The wrapped data key for this operator is damaged.',
    );
  if (!macMatches(file, current)) {
    wipe(current);
    throw new VzError(
      'VAULT_KEYFILE_TAMPERED',
      'The key file was modified outside VulnZero (its authentication code does not match). Restore it from a backup.',
    );
  }
  try {
    const db = openEncrypted(path, current);
    if (file.pending) file = writeKeyFile(keyFilePath(path), { ...file, pending: null }, current);
    return { db, dataKey: current, file };
  } catch (error) {
    const pendingWrap = file.pending?.wraps[slot.id];
    if (
      !(error instanceof VzError) ||
      error.code !== 'VAULT_WRONG_KEY' ||
      !file.pending ||
      !pendingWrap
    )
      throw error;
    const next = unwrapWithPrivateKey(
      pendingWrap,
      privateKey,
      dataKeyAad(file.vaultId, slot.id, file.pending.epoch),
    );
    if (!next) throw error;
    const db = openEncrypted(path, next);
    const committed = commitRotation(file, next, path);
    wipe(current);
    return { db, dataKey: next, file: committed };
  }
}

export async function unlockVault(
  input: UnlockInput,
  hooks: { beforeMigrate?: (session: VaultSession) => void } = {},
): Promise<VaultSession> {
  const { path } = input;
  if (!existsSync(path))
    throw new VzError(
      'VAULT_NOT_FOUND',
      `No vault at ${path}. Create one first (vulnzero vault init).`,
    );
  assertNotLockedOut(path);
  let file = readKeyFile(keyFilePath(path));
  const slot = findSlot(file, input.operator);
  const kek = await deriveKek(input.passphrase, slot.kdf);
  const privateKey = open(kek, slot.privateKey, privateKeyAad(file.vaultId, slot));
  wipe(kek);
  if (!privateKey) {
    recordFailure(path, input.operator, 'wrong passphrase');
    throw wrongPassphrase();
  }
  let opened: { db: Db; dataKey: Buffer; file: KeyFile };
  try {
    opened = openWithRecovery(path, file, slot, privateKey);
  } finally {
    wipe(privateKey);
  }
  const { db, dataKey } = opened;
  file = opened.file;
  try {
    assertKnownVersion(db);
  } catch (error) {
    db.close();
    wipe(dataKey);
    throw error;
  }
  const row = db
    .prepare(
      'SELECT id, name, role, totp_secret, totp_enabled, removed_at FROM operators WHERE id = ?',
    )
    .get(slot.id) as
    | {
        id: string;
        name: string;
        role: Role;
        totp_secret: string | null;
        totp_enabled: number;
        removed_at: string | null;
      }
    | undefined;
  if (!row || row.removed_at) {
    db.close();
    wipe(dataKey);
    throw new VzError(
      'OPERATOR_REMOVED',
      `Operator "${input.operator}" was removed from this vault.`,
    );
  }
  const session = new VaultSession({
    path,
    db,
    dataKey,
    vaultId: file.vaultId,
    operator: { id: row.id, name: row.name, role: row.role },
  });
  if (row.totp_enabled && row.totp_secret) {
    if (!input.totp) {
      session.lock();
      throw new VzError(
        'TOTP_REQUIRED',
        `Operator "${row.name}" uses a one-time code: enter the 6-digit code from the authenticator.`,
      );
    }
    if (!verifyTotp(row.totp_secret, input.totp)) {
      // Recorded like a wrong passphrase; the next successful unlock writes it to the audit chain.
      recordFailure(path, input.operator, 'wrong one-time code');
      session.lock();
      throw new VzError('WRONG_TOTP', 'The one-time code is wrong or expired.');
    }
  }
  const failures = takeFailures(path);
  if (needsMigration(db)) {
    hooks.beforeMigrate?.(session);
    // The backup is taken with the old schema and recorded once the history table exists.
    const backup = writeBackup(db, path, defaultBackupPath(path, 'pre-migration'));
    const { from, to } = migrate(db);
    // Derived data (stored priorities, search index) is rebuilt with the current code.
    db.transaction(() => rebuildTriage(db))();
    session.recordBackup(backup, 'pre-migration');
    session.audit({
      action: 'vault.migrate',
      objectType: 'vault',
      objectId: file.vaultId,
      summary: { before: { schema: from }, after: { schema: to } },
    });
  }
  for (const failure of failures) {
    session.audit({
      action: 'vault.unlock_failed',
      objectType: 'operator',
      objectId: failure.operator,
      summary: { at: failure.at, reason: failure.reason },
    });
  }
  session.audit({ action: 'vault.unlock', objectType: 'operator', objectId: row.id });
  return session;
}
