import type { Migration } from './types';

/** Offline intelligence: KEV, EPSS (history per score date), NVD, CVE 5 vulnrichment, trusted bundle keys. */
export const migration004: Migration = {
  version: 4,
  name: 'offline feeds',
  up: (db) => {
    db.exec(`
      CREATE TABLE kev (
        cve TEXT PRIMARY KEY,
        vendor TEXT NOT NULL, product TEXT NOT NULL, name TEXT NOT NULL,
        date_added TEXT NOT NULL, due_date TEXT NOT NULL,
        ransomware TEXT NOT NULL, required_action TEXT NOT NULL, notes TEXT
      ) WITHOUT ROWID;
      CREATE TABLE epss (
        cve TEXT NOT NULL, score_date TEXT NOT NULL, epss REAL NOT NULL, percentile REAL,
        PRIMARY KEY (cve, score_date)
      ) WITHOUT ROWID;
      CREATE INDEX epss_date ON epss(score_date);
      CREATE TABLE nvd (
        cve TEXT PRIMARY KEY,
        published TEXT, last_modified TEXT, description TEXT,
        cvss3 REAL, cvss3_vector TEXT, cvss2 REAL,
        cwes TEXT NOT NULL DEFAULT '[]', refs TEXT NOT NULL DEFAULT '[]'
      ) WITHOUT ROWID;
      CREATE TABLE vulnrichment (
        cve TEXT PRIMARY KEY,
        exploitation TEXT, automatable TEXT, technical_impact TEXT, provider TEXT
      ) WITHOUT ROWID;
      CREATE TABLE feed_trust_keys (
        fingerprint TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        public_key_pem TEXT NOT NULL,
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL
      );
      ALTER TABLE feeds ADD COLUMN bundle_sequence INTEGER;
      ALTER TABLE feeds ADD COLUMN signer TEXT;
      ALTER TABLE vulnerabilities ADD COLUMN technical_impact TEXT;
      ALTER TABLE vulnerabilities ADD COLUMN exploitation TEXT;
      ALTER TABLE vulnerabilities ADD COLUMN automatable TEXT;
      ALTER TABLE vulnerabilities ADD COLUMN nvd_cvss3 REAL;
      ALTER TABLE assets ADD COLUMN tags TEXT NOT NULL DEFAULT '[]';
    `);
  },
};
