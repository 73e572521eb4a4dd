import type { Migration } from './types';

/**
 * The initial schema: the data model of ARCHITECTURE.md. Frozen: later changes are new
 * migrations, never edits here.
 */
export const migration001: Migration = {
  version: 1,
  name: 'initial schema',
  up: (db) => {
    db.exec(`
      CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );

      CREATE TABLE operators (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL UNIQUE COLLATE NOCASE,
        role TEXT NOT NULL CHECK (role IN ('admin', 'approver', 'analyst')),
        totp_secret TEXT,
        totp_enabled INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        removed_at TEXT
      );

      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        ts TEXT NOT NULL,
        operator_id TEXT,
        operator_name TEXT NOT NULL,
        action TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id TEXT,
        summary TEXT NOT NULL,
        prev_mac TEXT NOT NULL,
        mac TEXT NOT NULL
      );

      CREATE TABLE assets (
        id INTEGER PRIMARY KEY,
        display_name TEXT NOT NULL,
        ip TEXT, hostname TEXT, fqdn TEXT, mac TEXT, os TEXT, image TEXT,
        criticality TEXT NOT NULL DEFAULT 'medium' CHECK (criticality IN ('low', 'medium', 'high', 'critical')),
        exposure TEXT NOT NULL DEFAULT 'internal' CHECK (exposure IN ('internet', 'internal', 'isolated')),
        merged_into INTEGER REFERENCES assets(id),
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      CREATE TABLE asset_identifiers (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER NOT NULL REFERENCES assets(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('ip', 'fqdn', 'hostname', 'mac', 'image')),
        value TEXT NOT NULL,
        first_seen TEXT NOT NULL,
        UNIQUE (kind, value)
      );
      CREATE INDEX asset_identifiers_asset ON asset_identifiers(asset_id);
      CREATE TABLE asset_merges (
        id INTEGER PRIMARY KEY,
        from_asset_id INTEGER NOT NULL,
        into_asset_id INTEGER NOT NULL,
        reason TEXT NOT NULL,
        identifiers TEXT NOT NULL,
        merged_at TEXT NOT NULL,
        split_at TEXT
      );

      CREATE TABLE scans (
        id INTEGER PRIMARY KEY,
        file_name TEXT NOT NULL,
        sha256 TEXT NOT NULL,
        size INTEGER NOT NULL,
        format TEXT NOT NULL,
        scanner TEXT NOT NULL,
        scanner_version TEXT,
        started_at TEXT,
        finished_at TEXT,
        imported_at TEXT NOT NULL,
        imported_by TEXT,
        counts TEXT NOT NULL DEFAULT '{}'
      );
      CREATE INDEX scans_sha256 ON scans(sha256);
      CREATE TABLE scan_assets (
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        asset_id INTEGER NOT NULL REFERENCES assets(id),
        PRIMARY KEY (scan_id, asset_id)
      ) WITHOUT ROWID;

      CREATE TABLE vulnerabilities (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,
        title TEXT NOT NULL,
        severity TEXT NOT NULL CHECK (severity IN ('critical', 'high', 'medium', 'low', 'info')),
        cvss3 REAL, cvss3_vector TEXT, cvss2 REAL,
        cves TEXT NOT NULL DEFAULT '[]',
        cwes TEXT NOT NULL DEFAULT '[]',
        refs TEXT NOT NULL DEFAULT '[]',
        description TEXT,
        solution TEXT,
        epss REAL, epss_percentile REAL, epss_date TEXT,
        kev INTEGER NOT NULL DEFAULT 0, kev_due_date TEXT, kev_ransomware INTEGER NOT NULL DEFAULT 0
      );
      CREATE TABLE vulnerability_cves (
        vulnerability_id INTEGER NOT NULL REFERENCES vulnerabilities(id) ON DELETE CASCADE,
        cve TEXT NOT NULL,
        PRIMARY KEY (cve, vulnerability_id)
      ) WITHOUT ROWID;

      CREATE TABLE findings (
        id INTEGER PRIMARY KEY,
        identity TEXT NOT NULL UNIQUE,
        asset_id INTEGER NOT NULL REFERENCES assets(id),
        vulnerability_id INTEGER NOT NULL REFERENCES vulnerabilities(id),
        scanner TEXT NOT NULL,
        port INTEGER, protocol TEXT, service TEXT,
        component_name TEXT, component_version TEXT, component_fixed_version TEXT,
        component_path TEXT, component_purl TEXT,
        status TEXT NOT NULL DEFAULT 'open'
          CHECK (status IN ('open', 'not_seen', 'fixed', 'fixed_verified', 'accepted', 'false_positive')),
        first_seen TEXT NOT NULL,
        last_seen TEXT NOT NULL,
        occurrences INTEGER NOT NULL DEFAULT 1,
        evidence TEXT,
        last_scan_id INTEGER REFERENCES scans(id),
        status_changed_at TEXT NOT NULL
      );
      CREATE INDEX findings_asset ON findings(asset_id);
      CREATE INDEX findings_vulnerability ON findings(vulnerability_id);
      CREATE TABLE finding_scans (
        finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        scan_id INTEGER NOT NULL REFERENCES scans(id) ON DELETE CASCADE,
        PRIMARY KEY (finding_id, scan_id)
      ) WITHOUT ROWID;

      CREATE TABLE risk_decisions (
        id INTEGER PRIMARY KEY,
        finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
        kind TEXT NOT NULL CHECK (kind IN ('accepted', 'false_positive', 'reopened')),
        reason TEXT NOT NULL,
        expires_at TEXT,
        decided_by TEXT NOT NULL,
        decided_at TEXT NOT NULL,
        revoked_at TEXT
      );
      CREATE INDEX risk_decisions_finding ON risk_decisions(finding_id);

      CREATE TABLE drafts (
        id INTEGER PRIMARY KEY,
        title TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'draft',
        group_key TEXT,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      CREATE TABLE draft_versions (
        id INTEGER PRIMARY KEY,
        draft_id INTEGER NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        precheck TEXT NOT NULL, apply TEXT NOT NULL, verify TEXT NOT NULL, rollback TEXT NOT NULL,
        metadata TEXT NOT NULL DEFAULT '{}',
        engine TEXT NOT NULL,
        model_sha256 TEXT,
        lint TEXT NOT NULL DEFAULT '{}',
        policy TEXT NOT NULL DEFAULT '{}',
        sha256 TEXT NOT NULL,
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        UNIQUE (draft_id, version)
      );

      CREATE TABLE approvals (
        id INTEGER PRIMARY KEY,
        draft_version_id INTEGER NOT NULL REFERENCES draft_versions(id),
        sha256 TEXT NOT NULL,
        targets TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}',
        approver_id TEXT NOT NULL,
        comment TEXT,
        approved_at TEXT NOT NULL,
        expires_at TEXT NOT NULL,
        revoked_at TEXT
      );

      CREATE TABLE credentials (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('ssh-key', 'password')),
        secret BLOB NOT NULL,
        key_passphrase BLOB,
        created_at TEXT NOT NULL
      );
      CREATE TABLE hosts (
        id INTEGER PRIMARY KEY,
        asset_id INTEGER REFERENCES assets(id),
        name TEXT NOT NULL UNIQUE,
        address TEXT NOT NULL,
        port INTEGER NOT NULL DEFAULT 22,
        username TEXT NOT NULL,
        credential_id INTEGER REFERENCES credentials(id),
        sudo_mode TEXT NOT NULL DEFAULT 'none' CHECK (sudo_mode IN ('none', 'sudo-n')),
        jump_host_id INTEGER REFERENCES hosts(id),
        group_name TEXT
      );
      CREATE TABLE host_keys (
        id INTEGER PRIMARY KEY,
        host_id INTEGER NOT NULL REFERENCES hosts(id) ON DELETE CASCADE,
        algorithm TEXT NOT NULL,
        fingerprint_sha256 TEXT NOT NULL,
        public_key TEXT NOT NULL,
        pinned_at TEXT NOT NULL,
        pinned_by TEXT NOT NULL
      );

      CREATE TABLE push_runs (
        id INTEGER PRIMARY KEY,
        approval_id INTEGER NOT NULL REFERENCES approvals(id),
        state TEXT NOT NULL,
        options TEXT NOT NULL DEFAULT '{}',
        started_by TEXT NOT NULL,
        started_at TEXT NOT NULL,
        finished_at TEXT
      );
      CREATE TABLE push_steps (
        id INTEGER PRIMARY KEY,
        run_id INTEGER NOT NULL REFERENCES push_runs(id) ON DELETE CASCADE,
        host_id INTEGER NOT NULL REFERENCES hosts(id),
        wave INTEGER NOT NULL,
        step TEXT NOT NULL,
        state TEXT NOT NULL,
        exit_code INTEGER,
        stdout TEXT, stderr TEXT,
        started_at TEXT, finished_at TEXT
      );

      CREATE TABLE feeds (
        kind TEXT PRIMARY KEY,
        version TEXT,
        feed_date TEXT,
        records INTEGER NOT NULL DEFAULT 0,
        signed INTEGER NOT NULL DEFAULT 0,
        source_file TEXT,
        sha256 TEXT,
        loaded_at TEXT NOT NULL
      );
    `);
  },
};
