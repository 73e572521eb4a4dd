/**
 * What a state change needs from an unlocked vault: a connection, the operator (for the
 * role check and the audit entry) and one transaction with its audit entry. The main
 * thread's VaultSession is one; the writer thread builds one on its own connection, so
 * the same core function (assets.set, assets.merge, findings.decide) runs in either.
 */
import { appendAudit, type AuditInput } from './audit';
import type { Role } from './schema';
import type { SessionOperator } from './session';
import type { Db } from './sqlcipher';
import { VzError } from '../core/errors';

/** Phase progress of a long write (the writer thread forwards it as job progress). */
export type WriteProgress = (phase: string, done: number, total: number) => void;

export interface WriteSession {
  readonly db: Db;
  readonly operator: SessionOperator;
  requireRole(...roles: Role[]): void;
  transact<T>(change: (db: Db) => T, audit: AuditInput | ((result: T) => AuditInput)): T;
}

/** The role check both sessions make: FORBIDDEN, naming the roles and the operator's. */
export function assertRole(operator: SessionOperator, roles: readonly Role[]): void {
  if (!roles.includes(operator.role))
    throw new VzError(
      'FORBIDDEN',
      `This needs the ${roles.join(' or ')} role; ${operator.name} is ${operator.role}.`,
    );
}

/**
 * What a viewer may write: their own passphrase and second factor, and the scheduled
 * backup their unlock can trigger. Every other state change is refused here, whichever
 * path it comes by (a role list that forgot the viewer included).
 */
const VIEWER_ACTIONS = new Set([
  'operator.passphrase_change',
  'operator.totp_enroll_started',
  'operator.totp_enabled',
  'operator.totp_disabled',
  'vault.backup',
]);

/** FORBIDDEN for a viewer, unless the change is one of their own few (VIEWER_ACTIONS). */
export function assertMayWrite(operator: SessionOperator, action?: string): void {
  if (operator.role !== 'viewer' || (action !== undefined && VIEWER_ACTIONS.has(action))) return;
  throw new VzError(
    'FORBIDDEN',
    `${operator.name} is a viewer: a viewer reads the vault and changes nothing${action ? ` (${action})` : ''}.`,
  );
}

/** Runs `change` and the operator's audit entry for it in one transaction. */
export function transactAudited<T>(
  db: Db,
  operator: SessionOperator,
  change: (db: Db) => T,
  audit: AuditInput | ((result: T) => AuditInput),
): T {
  assertMayWrite(operator, typeof audit === 'function' ? undefined : audit.action);
  return db.transaction(() => {
    const result = change(db);
    appendAudit(
      db,
      { id: operator.id, name: operator.name },
      typeof audit === 'function' ? audit(result) : audit,
    );
    return result;
  })();
}

/** A WriteSession over the writer thread's connection, for the operator the main thread unlocked as. */
export function writerSession(db: Db, operator: SessionOperator): WriteSession {
  return {
    db,
    operator,
    requireRole: (...roles) => assertRole(operator, roles),
    transact: (change, audit) => transactAudited(db, operator, change, audit),
  };
}
