/**
 * An unlocked vault: the open database, the data key, and the operator who unlocked
 * it. Every state-changing method checks the role, makes the change and appends the
 * audit entry in one transaction. `lock()` closes the database and wipes the key.
 */
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { VzError } from '../core/errors';
import type { JobControls } from '../core/jobs';
import { appendAudit, verifyAudit, type AuditInput, type AuditVerdict } from './audit';
import { defaultBackupPath, pruneBackups, writeBackup } from './backup';
import { VaultReader } from './writer/reader';
import {
  deriveKek,
  newDataKey,
  newScryptParams,
  open,
  seal,
  wipe,
  wrapForPublicKey,
  wrongPassphrase,
} from './crypto';
import {
  dataKeyAad,
  keyFilePath,
  privateKeyAad,
  readKeyFile,
  writeKeyFile,
  type KeyFile,
} from './keyfile';
import { LATEST_VERSION } from './migrations';
import { schemaVersion } from './migrate';
import { kyselyFor } from './open-db';
import { assertStrongPassphrase } from './passphrase-policy';
import type { Database, Role } from './schema';
import { readSetting, writeSetting } from './settings';
import { openEncrypted, type Db } from './sqlcipher';
import { newTotpSecret, otpauthUri, verifyTotp } from './totp';
import { assertOperatorName, buildSlot, commitRotation, type KdfCost } from './slots';
import { runWriterTask } from './writer/client';
import { assertMayWrite, assertRole, transactAudited } from './write-session';

export interface SessionOperator {
  id: string;
  name: string;
  role: Role;
}

export interface OperatorInfo extends SessionOperator {
  totpEnabled: boolean;
  createdAt: string;
}

export interface BackupInfo {
  id: number;
  path: string;
  reason: 'manual' | 'scheduled' | 'pre-migration' | 'pre-rekey';
  size: number;
  createdAt: string;
  createdBy: string | null;
}

export type { KdfCost };
export const DEFAULT_BACKUP_KEEP = 7;

export class VaultSession {
  readonly path: string;
  readonly vaultId: string;
  readonly operator: SessionOperator;
  private database: Db | null;
  private readerInstance: VaultReader | null = null;
  private dataKey: Buffer | null;
  private kyselyInstance: Kysely<Database> | null = null;

  constructor(init: {
    path: string;
    db: Db;
    dataKey: Buffer;
    vaultId: string;
    operator: SessionOperator;
  }) {
    this.path = init.path;
    this.database = init.db;
    this.dataKey = init.dataKey;
    this.vaultId = init.vaultId;
    this.operator = init.operator;
  }

  get isOpen(): boolean {
    return this.database !== null;
  }

  /** The raw connection (synchronous, for short reads and small writes). */
  get db(): Db {
    if (!this.database) throw new VzError('VAULT_LOCKED', 'The vault is locked.');
    return this.database;
  }

  get kysely(): Kysely<Database> {
    this.kyselyInstance ??= kyselyFor(this.db);
    return this.kyselyInstance;
  }

  /** A copy of the data key for the writer thread (the copy is wiped by the worker). */
  /**
   * The data key for a worker thread. `write` (the default: imports, feeds, bulk changes)
   * is refused to a viewer; `read` is for read-only work (the reader thread, checks, backups).
   */
  keyForWriter(purpose: 'read' | 'write' = 'write'): Buffer {
    if (!this.dataKey) throw new VzError('VAULT_LOCKED', 'The vault is locked.');
    if (purpose === 'write') assertMayWrite(this.operator);
    return Buffer.from(this.dataKey);
  }

  /** The long-lived read-only thread for heavy reads (vault/writer/reader.ts). */
  reader(): VaultReader {
    if (!this.dataKey) throw new VzError('VAULT_LOCKED', 'The vault is locked.');
    this.readerInstance ??= new VaultReader(this.path, () => this.keyForWriter('read'));
    return this.readerInstance;
  }

  private closeReader(): void {
    this.readerInstance?.close();
    this.readerInstance = null;
  }

  lock(): void {
    this.lockConnectionOnly();
    wipe(this.dataKey);
    this.dataKey = null;
  }

  requireRole(...roles: Role[]): void {
    assertRole(this.operator, roles);
  }

  audit(input: AuditInput): void {
    appendAudit(this.db, { id: this.operator.id, name: this.operator.name }, input);
  }

  /** Runs `change` and its audit entry in one transaction. */
  transact<T>(change: (db: Db) => T, audit: AuditInput | ((result: T) => AuditInput)): T {
    return transactAudited(this.db, this.operator, change, audit);
  }

  private kdfCost(): KdfCost {
    return this.setting<KdfCost>('vault.kdf', { logN: 17, r: 8, p: 1 });
  }

  private keyFile(): KeyFile {
    return readKeyFile(keyFilePath(this.path));
  }

  private saveKeyFile(file: KeyFile): void {
    const { mac: _mac, ...rest } = file;
    writeKeyFile(keyFilePath(this.path), rest, this.keyForWriterUnsafe());
  }

  private keyForWriterUnsafe(): Buffer {
    if (!this.dataKey) throw new VzError('VAULT_LOCKED', 'The vault is locked.');
    return this.dataKey;
  }

  // ---- operators -------------------------------------------------------------------

  listOperators(): OperatorInfo[] {
    const rows = this.db
      .prepare(
        'SELECT id, name, role, totp_enabled, created_at FROM operators WHERE removed_at IS NULL ORDER BY created_at',
      )
      .all() as {
      id: string;
      name: string;
      role: Role;
      totp_enabled: number;
      created_at: string;
    }[];
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role,
      totpEnabled: r.totp_enabled === 1,
      createdAt: r.created_at,
    }));
  }

  async addOperator(input: {
    name: string;
    role: Role;
    passphrase: string;
  }): Promise<OperatorInfo> {
    this.requireRole('admin');
    assertOperatorName(input.name);
    assertStrongPassphrase(input.passphrase, input.name);
    const taken = this.db
      .prepare('SELECT 1 FROM operators WHERE name = ? AND removed_at IS NULL')
      .get(input.name);
    if (taken)
      throw new VzError('OPERATOR_EXISTS', `An operator named "${input.name}" already exists.`);
    const file = this.keyFile();
    const id = randomUUID();
    const slot = await buildSlot(
      file.vaultId,
      id,
      input.name,
      input.passphrase,
      this.keyForWriterUnsafe(),
      file.epoch,
      this.kdfCost(),
    );
    const now = new Date().toISOString();
    this.transact(
      (db) => {
        db.prepare('DELETE FROM operators WHERE name = ? AND removed_at IS NOT NULL').run(
          input.name,
        );
        db.prepare('INSERT INTO operators(id, name, role, created_at) VALUES (?, ?, ?, ?)').run(
          id,
          input.name,
          input.role,
          now,
        );
        this.saveKeyFile({ ...file, operators: [...file.operators, slot] });
      },
      {
        action: 'operator.add',
        objectType: 'operator',
        objectId: id,
        summary: { after: { name: input.name, role: input.role } },
      },
    );
    return { id, name: input.name, role: input.role, totpEnabled: false, createdAt: now };
  }

  /** Removes an operator's key slot; rotate the data key afterwards to cut old copies off. */
  removeOperator(id: string): void {
    this.requireRole('admin');
    if (id === this.operator.id)
      throw new VzError('FORBIDDEN', 'You cannot remove yourself; ask another admin.');
    const target = this.db
      .prepare('SELECT name, role FROM operators WHERE id = ? AND removed_at IS NULL')
      .get(id) as { name: string; role: Role } | undefined;
    if (!target) throw new VzError('NOT_FOUND', 'No such operator.');
    if (target.role === 'admin') {
      const admins = this.db
        .prepare(`SELECT count(*) AS n FROM operators WHERE role = 'admin' AND removed_at IS NULL`)
        .get() as { n: number };
      if (admins.n <= 1) throw new VzError('FORBIDDEN', 'The last admin cannot be removed.');
    }
    const file = this.keyFile();
    this.transact(
      (db) => {
        db.prepare('UPDATE operators SET removed_at = ?, totp_secret = NULL WHERE id = ?').run(
          new Date().toISOString(),
          id,
        );
        this.saveKeyFile({ ...file, operators: file.operators.filter((o) => o.id !== id) });
      },
      {
        action: 'operator.remove',
        objectType: 'operator',
        objectId: id,
        summary: { before: target },
      },
    );
  }

  /** Re-wraps this operator's private key under a new passphrase (the data key is unchanged). */
  async changePassphrase(current: string, next: string): Promise<void> {
    assertStrongPassphrase(next, this.operator.name);
    const file = this.keyFile();
    const slot = file.operators.find((o) => o.id === this.operator.id);
    if (!slot) throw new VzError('NOT_FOUND', 'This operator has no key slot.');
    const oldKek = await deriveKek(current, slot.kdf);
    const privateKey = open(oldKek, slot.privateKey, privateKeyAad(file.vaultId, slot));
    wipe(oldKek);
    if (!privateKey) throw wrongPassphrase();
    const kdf = newScryptParams(this.kdfCost());
    const newKek = await deriveKek(next, kdf);
    const updated = {
      ...slot,
      kdf,
      privateKey: seal(newKek, privateKey, privateKeyAad(file.vaultId, { id: slot.id, kdf })),
    };
    wipe(newKek, privateKey);
    this.transact(
      () =>
        this.saveKeyFile({
          ...file,
          operators: file.operators.map((o) => (o.id === slot.id ? updated : o)),
        }),
      { action: 'operator.passphrase_change', objectType: 'operator', objectId: this.operator.id },
    );
  }

  // ---- second factor ---------------------------------------------------------------

  /** Starts TOTP enrolment: returns the secret and otpauth URI; active after confirmTotp. */
  enrollTotp(): { secret: string; uri: string } {
    const secret = newTotpSecret();
    this.transact(
      (db) =>
        db
          .prepare('UPDATE operators SET totp_secret = ?, totp_enabled = 0 WHERE id = ?')
          .run(secret, this.operator.id),
      {
        action: 'operator.totp_enroll_started',
        objectType: 'operator',
        objectId: this.operator.id,
      },
    );
    return { secret, uri: otpauthUri(secret, this.operator.name) };
  }

  confirmTotp(code: string): void {
    const row = this.db
      .prepare('SELECT totp_secret FROM operators WHERE id = ?')
      .get(this.operator.id) as { totp_secret: string | null };
    if (!row.totp_secret) throw new VzError('TOTP_NOT_ENROLLED', 'Start the enrolment first.');
    if (!verifyTotp(row.totp_secret, code))
      throw new VzError('WRONG_TOTP', 'The one-time code is wrong or expired.');
    this.transact(
      (db) =>
        db.prepare('UPDATE operators SET totp_enabled = 1 WHERE id = ?').run(this.operator.id),
      { action: 'operator.totp_enabled', objectType: 'operator', objectId: this.operator.id },
    );
  }

  disableTotp(operatorId: string = this.operator.id): void {
    if (operatorId !== this.operator.id) this.requireRole('admin');
    this.transact(
      (db) =>
        db
          .prepare('UPDATE operators SET totp_secret = NULL, totp_enabled = 0 WHERE id = ?')
          .run(operatorId),
      { action: 'operator.totp_disabled', objectType: 'operator', objectId: operatorId },
    );
  }

  // ---- key rotation ----------------------------------------------------------------

  /**
   * Rotates the data key: (1) the new key is wrapped for every operator and stored as
   * "pending" in the key file, (2) a backup is taken, (3) the writer thread rekeys the
   * database, (4) the key file commits the pending wraps. A crash between (1) and (4) is
   * recovered at the next unlock whichever side of the rekey it happened on.
   */
  async rotateDataKey(controls?: Partial<JobControls>): Promise<{ epoch: number }> {
    this.requireRole('admin');
    const file = this.keyFile();
    const newKey = newDataKey();
    const epoch = file.epoch + 1;
    const wraps = Object.fromEntries(
      file.operators.map((o) => [
        o.id,
        wrapForPublicKey(newKey, o.publicKey, dataKeyAad(file.vaultId, o.id, epoch)),
      ]),
    );
    this.saveKeyFile({ ...file, pending: { epoch, wraps } });
    await this.backup('pre-rekey');
    const oldKey = this.keyForWriter();
    this.lockConnectionOnly();
    try {
      await runWriterTask(
        this.path,
        oldKey,
        'rekey',
        { newKeyHex: newKey.toString('hex') },
        controls,
      );
    } catch (error) {
      this.database = openEncrypted(this.path, this.keyForWriterUnsafe());
      throw error;
    } finally {
      wipe(oldKey);
    }
    commitRotation(readKeyFile(keyFilePath(this.path)), newKey, this.path);
    wipe(this.dataKey);
    this.dataKey = newKey;
    this.database = openEncrypted(this.path, newKey);
    this.audit({
      action: 'vault.rekey',
      objectType: 'vault',
      objectId: this.vaultId,
      summary: { before: { epoch: file.epoch }, after: { epoch } },
    });
    return { epoch };
  }

  /** Closes the reader thread's connection and the session's own; the key stays. */
  private lockConnectionOnly(): void {
    // The reader holds a connection too (a rekey must not run under it), and lets go of
    // it a moment later, so the close below may not be the last one, and only the last
    // one checkpoints. Copy every committed page into the vault file first: the file
    // alone then holds them, even when a WAL stays behind.
    this.closeReader();
    try {
      this.database?.pragma('wal_checkpoint(PASSIVE)');
    } catch {
      // A damaged file may refuse; locking must still close it (the WAL keeps the pages).
    }
    this.database?.close();
    this.database = null;
    this.kyselyInstance = null;
  }

  // ---- backups ---------------------------------------------------------------------

  /**
   * Writes a backup in the writer thread (VACUUM INTO of a large vault takes a while and
   * must not block the main process), then records it.
   */
  async backup(
    reason: BackupInfo['reason'],
    out?: string,
    controls?: Partial<JobControls>,
  ): Promise<BackupInfo> {
    if (reason === 'manual') this.requireRole('admin', 'approver');
    const target = out ?? defaultBackupPath(this.path, reason);
    const written = await runWriterTask(
      this.path,
      this.keyForWriter('read'),
      'backup',
      { out: target },
      controls,
    );
    return this.recordBackup(written, reason);
  }

  /** The same on the calling thread: only before migrations, while unlocking. */
  backupSync(reason: BackupInfo['reason'], out?: string): BackupInfo {
    if (reason === 'manual') this.requireRole('admin', 'approver');
    return this.recordBackup(
      writeBackup(this.db, this.path, out ?? defaultBackupPath(this.path, reason)),
      reason,
    );
  }

  /** Records a written backup in the history (and audit) and applies retention. */
  recordBackup(written: { path: string; size: number }, reason: BackupInfo['reason']): BackupInfo {
    const now = new Date().toISOString();
    const id = this.transact(
      (db) =>
        Number(
          db
            .prepare(
              'INSERT INTO backups(path, reason, size, created_at, created_by) VALUES (?, ?, ?, ?, ?)',
            )
            .run(written.path, reason, written.size, now, this.operator.name).lastInsertRowid,
        ),
      {
        action: 'vault.backup',
        objectType: 'backup',
        objectId: written.path,
        summary: { after: { reason, size: written.size } },
      },
    );
    if (reason !== 'manual')
      pruneBackups(this.path, this.setting('backup.keep', DEFAULT_BACKUP_KEEP));
    return {
      id,
      path: written.path,
      reason,
      size: written.size,
      createdAt: now,
      createdBy: this.operator.name,
    };
  }

  listBackups(): BackupInfo[] {
    const rows = this.db
      .prepare('SELECT * FROM backups WHERE deleted_at IS NULL ORDER BY id DESC')
      .all() as {
      id: number;
      path: string;
      reason: BackupInfo['reason'];
      size: number;
      created_at: string;
      created_by: string | null;
    }[];
    return rows
      .filter((r) => {
        try {
          return statSync(r.path).isFile();
        } catch {
          return false;
        }
      })
      .map((r) => ({
        id: r.id,
        path: r.path,
        reason: r.reason,
        size: r.size,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }));
  }

  /** Takes the scheduled backup when the last automatic one is older than the interval. */
  async maybeScheduledBackup(now = new Date()): Promise<BackupInfo | null> {
    const hours = this.setting('backup.intervalHours', 24);
    if (hours <= 0) return null;
    const last = this.db
      .prepare(`SELECT max(created_at) AS at FROM backups WHERE reason = 'scheduled'`)
      .get() as { at: string | null };
    if (last.at && now.getTime() - Date.parse(last.at) < hours * 3600_000) return null;
    return this.backup('scheduled');
  }

  // ---- settings, checks, info ------------------------------------------------------

  setting<T>(key: string, fallback: T): T {
    return readSetting(this.db, key, fallback);
  }

  setSetting(key: string, value: unknown): void {
    this.requireRole('admin');
    const before = this.setting<unknown>(key, null);
    this.transact((db) => writeSetting(db, key, value), {
      action: 'settings.set',
      objectType: 'setting',
      objectId: key,
      summary: { before, after: value },
    });
  }

  /** Integrity and foreign keys in the writer thread (minutes on a big vault), then the audit chain. */
  async check(
    controls?: Partial<JobControls>,
  ): Promise<{ ok: boolean; problems: string[]; audit: AuditVerdict }> {
    const { problems } = await runWriterTask(
      this.path,
      this.keyForWriter('read'),
      'integrity',
      {},
      controls,
      { readonly: true },
    );
    const audit = verifyAudit(this.db);
    return { ok: problems.length === 0 && audit.ok, problems, audit };
  }

  info(): {
    path: string;
    vaultId: string;
    schemaVersion: number;
    latestSchemaVersion: number;
    cipher: string;
    legacy: number;
    sizeBytes: number;
    keyEpoch: number;
    operators: OperatorInfo[];
  } {
    const file = this.keyFile();
    return {
      path: this.path,
      vaultId: this.vaultId,
      schemaVersion: schemaVersion(this.db),
      latestSchemaVersion: LATEST_VERSION,
      cipher: String(this.db.pragma('cipher', { simple: true })),
      legacy: file.legacy,
      sizeBytes: statSync(this.path).size,
      keyEpoch: file.epoch,
      operators: this.listOperators(),
    };
  }
}
