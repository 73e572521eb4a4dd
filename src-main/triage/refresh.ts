/**
 * Derived triage data (stored priorities, free-text index, planner statistics) rebuilt
 * after a schema migration (an import refreshes only what it changed: import-file.ts).
 */
import type { Db } from '../vault/sqlcipher';
import { refreshPriorities } from './priorities';
import { refreshSearchIndex } from './search-index';

/** Rebuilds all derived data with the current code (after a migration). */
export function rebuildTriage(db: Db): void {
  refreshPriorities(db, { all: true });
  refreshSearchIndex(db, { all: true });
  db.exec('ANALYZE');
}
