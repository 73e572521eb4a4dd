import type { Migration } from './types';

/**
 * What a finding is about and where: the finding kind (vulnerability, misconfiguration,
 * secret, licence, service), a source location (SARIF file and line), software assets
 * (projects and images described by SBOMs and dependency reports) and two new identifier
 * kinds: `software` (a project's name) and `scan` (a host named only by a generic name,
 * kept as "this scan's localhost" when the operator asks for it).
 */
export const migration008: Migration = {
  version: 8,
  name: 'finding kinds and software assets',
  up: (db) => {
    db.exec(`
      ALTER TABLE findings ADD COLUMN kind TEXT NOT NULL DEFAULT 'vulnerability'
        CHECK (kind IN ('vulnerability', 'misconfiguration', 'secret', 'license', 'service'));
      ALTER TABLE findings ADD COLUMN location_path TEXT;
      ALTER TABLE findings ADD COLUMN location_line INTEGER;
      ALTER TABLE findings ADD COLUMN location_column INTEGER;
      -- Most findings are vulnerabilities: a partial index keeps the others findable
      -- without costing imports of host scans anything.
      CREATE INDEX findings_kind ON findings(kind, risk_score) WHERE kind <> 'vulnerability';

      ALTER TABLE assets ADD COLUMN kind TEXT NOT NULL DEFAULT 'host' CHECK (kind IN ('host', 'software'));
      ALTER TABLE assets ADD COLUMN software_version TEXT;

      -- The identifier kinds live in a CHECK constraint: rebuild the table to extend it.
      CREATE TABLE asset_identifiers_v8 (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('ip', 'fqdn', 'hostname', 'mac', 'image', 'software', 'scan')),
        value TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        UNIQUE (kind, value)
      );
      INSERT INTO asset_identifiers_v8(id, asset_id, kind, value, first_seen)
        SELECT id, asset_id, kind, value, first_seen FROM asset_identifiers;
      DROP TABLE asset_identifiers;
      ALTER TABLE asset_identifiers_v8 RENAME TO asset_identifiers;
      CREATE INDEX asset_identifiers_asset ON asset_identifiers(asset_id);
    `);
  },
};
