/**
 * Derived triage data (stored priorities, free-text index, planner statistics) after
 * something changed underneath it: an imported scan, or a schema migration.
 */
import type { Db } from '../vault/sqlcipher';
import { refreshPriorities } from './priorities';
import { forgetAsset, refreshSearchIndex } from './search-index';

/** After an import: the scan's vulnerabilities and assets (merged ones leave the index). */
export function refreshTriage(
  db: Db,
  scanId: number,
  vulnerabilityIds: number[],
  merged: readonly { from: number; into: number }[],
): void {
  const assetIds = db
    .prepare('SELECT asset_id FROM scan_assets WHERE scan_id = ?')
    .pluck()
    .all(scanId) as number[];
  refreshPriorities(db, { vulnerabilityIds });
  refreshPriorities(db, { assetIds });
  for (const m of merged) forgetAsset(db, m.from);
  refreshSearchIndex(db, { vulnerabilityIds, assetIds });
  // Keeps the planner's statistics current as the vault grows (cheap when nothing changed much).
  db.pragma('optimize');
}

/** Rebuilds all derived data with the current code (after a migration). */
export function rebuildTriage(db: Db): void {
  refreshPriorities(db, { all: true });
  refreshSearchIndex(db, { all: true });
  db.exec('ANALYZE');
}
