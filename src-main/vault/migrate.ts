import { VzError } from '../core/errors';
import { LATEST_VERSION, MIGRATIONS } from './migrations';
import type { Db } from './sqlcipher';

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

/**
 * Brings the schema to `target` (default: latest) in one transaction: all steps apply
 * or none. A vault written by a newer VulnZero is refused, never "downgraded".
 */
export function assertKnownVersion(db: Db): number {
  const version = schemaVersion(db);
  if (version > LATEST_VERSION) {
    throw new VzError(
      'VAULT_TOO_NEW',
      `This vault was written by a newer VulnZero (schema ${version}; this version knows up to ${LATEST_VERSION}). Update VulnZero to open it.`,
    );
  }
  return version;
}

export function migrate(db: Db, target: number = LATEST_VERSION): { from: number; to: number } {
  const from = assertKnownVersion(db);
  if (from >= target) return { from, to: from };
  const steps = MIGRATIONS.filter((m) => m.version > from && m.version <= target);
  db.transaction(() => {
    for (const step of steps) {
      step.up(db);
      db.pragma(`user_version = ${step.version}`);
    }
  })();
  return { from, to: target };
}

export function needsMigration(db: Db): boolean {
  return schemaVersion(db) < LATEST_VERSION;
}
