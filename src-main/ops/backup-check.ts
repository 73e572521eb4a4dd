/**
 * "Last backup and its check": decrypts a backup with the vault's key and runs
 * integrity_check on it (read-only, writer thread), then records the verdict in the audit
 * log, where the Health panel and diagnostics read it back.
 */
import { VzError, isVzError } from '../core/errors';
import { verifyBackup } from '../vault/backup';
import type { VaultSession } from '../vault/session';

export const BACKUP_CHECK_ACTION = 'vault.backupCheck';

export interface BackupCheck {
  backupId: number;
  path: string;
  createdAt: string;
  ok: boolean;
  problem: string | null;
  checkedAt: string;
}

export async function checkBackup(session: VaultSession, id?: number): Promise<BackupCheck> {
  const backups = session.listBackups();
  const backup = id === undefined ? backups[0] : backups.find((b) => b.id === id);
  if (!backup)
    throw new VzError(
      'BACKUP_NOT_FOUND',
      id === undefined ? 'This vault has no backup yet; write one first.' : `No backup #${id}.`,
    );
  let problem: string | null = null;
  try {
    await verifyBackup(backup.path, session.keyForWriter('read'));
  } catch (error) {
    if (!isVzError(error) || !error.code.startsWith('BACKUP_')) throw error;
    problem = error.message;
  }
  const checkedAt = new Date().toISOString();
  session.transact(() => null, {
    action: BACKUP_CHECK_ACTION,
    objectType: 'backup',
    objectId: backup.id,
    summary: { after: { ok: problem === null, problem, path: backup.path } },
  });
  return {
    backupId: backup.id,
    path: backup.path,
    createdAt: backup.createdAt,
    ok: problem === null,
    problem,
    checkedAt,
  };
}

/** The newest recorded check, or null when no backup was ever checked. */
export function lastBackupCheck(
  session: VaultSession,
): { backupId: number; at: string; ok: boolean; problem: string | null } | null {
  const row = session.db
    .prepare(`SELECT ts, object_id, summary FROM audit WHERE action = ? ORDER BY seq DESC LIMIT 1`)
    .get(BACKUP_CHECK_ACTION) as { ts: string; object_id: string; summary: string } | undefined;
  if (!row) return null;
  const after = (JSON.parse(row.summary) as { after?: { ok?: boolean; problem?: string | null } })
    .after;
  return {
    backupId: Number(row.object_id),
    at: row.ts,
    ok: after?.ok === true,
    problem: after?.problem ?? null,
  };
}
