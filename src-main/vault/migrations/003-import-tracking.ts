import type { Migration } from './types';

/** Re-import tracking: duplicate files, import notes, and the index the "not seen" rule uses. */
export const migration003: Migration = {
  version: 3,
  name: 'import tracking',
  up: (db) => {
    db.exec(`
      ALTER TABLE scans ADD COLUMN duplicate_of INTEGER REFERENCES scans(id);
      ALTER TABLE scans ADD COLUMN notes TEXT NOT NULL DEFAULT '[]';
      ALTER TABLE findings ADD COLUMN status_reason TEXT;
      -- (asset_id, scanner, status) serves the "not seen" rule and every per-asset query,
      -- so the single-column asset index only slowed imports down.
      CREATE INDEX findings_asset_scanner_status ON findings(asset_id, scanner, status);
      DROP INDEX findings_asset;
    `);
  },
};
