import type { Migration } from './types';

/**
 * Triage at scale: each finding stores its priority (computed from the vulnerability's
 * enrichment and the asset's criticality/exposure, refreshed whenever those change) so
 * the findings table can filter and sort a million rows through indexes; owners and
 * tags; a free-text index over vulnerabilities, assets and components. The stored
 * priorities are filled after the migration by `rebuildDerived` (vault.ts), which runs
 * the current prioritization code.
 */
export const migration005: Migration = {
  version: 5,
  name: 'triage',
  up: (db) => {
    db.exec(`
      ALTER TABLE findings ADD COLUMN risk_score INTEGER NOT NULL DEFAULT 0;
      -- 0 Defer, 1 Scheduled, 2 Out-of-cycle, 3 Immediate
      ALTER TABLE findings ADD COLUMN decision_rank INTEGER NOT NULL DEFAULT 0;
      -- 0 info, 1 low, 2 medium, 3 high, 4 critical
      ALTER TABLE findings ADD COLUMN severity_rank INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE findings ADD COLUMN due_at TEXT NOT NULL DEFAULT '';
      ALTER TABLE findings ADD COLUMN kev INTEGER NOT NULL DEFAULT 0;
      -- -1 when the CVEs have no EPSS score (keeps keyset cursors free of NULLs)
      ALTER TABLE findings ADD COLUMN epss REAL NOT NULL DEFAULT -1;
      ALTER TABLE findings ADD COLUMN owner TEXT;

      -- One index per sortable column: a sorted page walks the index and stops after 100 rows.
      CREATE INDEX findings_risk ON findings(risk_score);
      CREATE INDEX findings_decision ON findings(decision_rank);
      CREATE INDEX findings_severity ON findings(severity_rank);
      CREATE INDEX findings_due ON findings(due_at);
      CREATE INDEX findings_epss ON findings(epss);
      CREATE INDEX findings_first_seen ON findings(first_seen);
      CREATE INDEX findings_last_seen ON findings(last_seen);
      CREATE INDEX findings_kev_risk ON findings(risk_score) WHERE kev = 1;
      CREATE INDEX findings_kev_due ON findings(due_at) WHERE kev = 1;
      CREATE INDEX findings_owner ON findings(owner) WHERE owner IS NOT NULL;
      -- Covering indexes for grouped counts (and the filters on the same columns).
      DROP INDEX findings_vulnerability;
      CREATE INDEX findings_vulnerability_status ON findings(vulnerability_id, status, risk_score);
      DROP INDEX findings_asset_scanner_status;
      CREATE INDEX findings_asset_scanner_status ON findings(asset_id, scanner, status, risk_score);
      CREATE INDEX findings_component_status ON findings(component_name, status, risk_score);
      CREATE INDEX vulnerabilities_title ON vulnerabilities(title);
      CREATE INDEX assets_display_name ON assets(display_name);

      CREATE TABLE finding_tags (
        tag TEXT NOT NULL,
        finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        PRIMARY KEY (tag, finding_id)
      ) WITHOUT ROWID;
      CREATE INDEX finding_tags_finding ON finding_tags(finding_id);

      CREATE INDEX risk_decisions_active_accept ON risk_decisions(expires_at)
        WHERE kind = 'accepted' AND revoked_at IS NULL;

      CREATE TABLE components (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
      -- kind: v = vulnerability (title, key, CVEs), a = asset (names, IPs, MACs), c = component.
      CREATE VIRTUAL TABLE search_fts USING fts5(kind UNINDEXED, ref UNINDEXED, text);
    `);
  },
};
