import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Db } from '../../../src-main/vault/sqlcipher';
import { verifyAudit } from '../../../src-main/vault/audit';
import { LATEST_VERSION, MIGRATIONS } from '../../../src-main/vault/migrations';
import { schemaVersion } from '../../../src-main/vault/migrate';
import { backupDataKey } from '../../../src-main/vault/restore';
import { openEncrypted } from '../../../src-main/vault/sqlcipher';
import { createVault, unlockVault } from '../../../src-main/vault/vault';
import { PASS, TEST_KDF, tempDir } from '../../helpers/vault';

/** Data written with the version-1 schema, in every v1 table the product uses. */
function seedV1(db: Db): void {
  const now = '2026-01-02T03:04:05.000Z';
  db.prepare(
    `INSERT INTO assets(id, display_name, ip, hostname, os, criticality, exposure, created_at, updated_at) VALUES (1, 'web01', '10.0.0.5', 'web01', 'Ubuntu 22.04', 'high', 'internet', ?, ?)`,
  ).run(now, now);
  db.prepare(
    `INSERT INTO asset_identifiers(asset_id, kind, value, first_seen) VALUES (1, 'ip', '10.0.0.5', ?)`,
  ).run(now);
  db.prepare(
    `INSERT INTO scans(id, file_name, sha256, size, format, scanner, imported_at) VALUES (1, 'scan.nessus', 'abc', 10, 'nessus', 'Nessus', ?)`,
  ).run(now);
  db.prepare(
    `INSERT INTO vulnerabilities(id, key, title, severity, cvss3, cves) VALUES (1, 'nessus:12345', 'OpenSSL < 3.0.7', 'high', 7.5, '["CVE-2022-3602"]')`,
  ).run();
  db.prepare(
    `INSERT INTO vulnerability_cves(vulnerability_id, cve) VALUES (1, 'CVE-2022-3602')`,
  ).run();
  db.prepare(
    `INSERT INTO findings(id, identity, asset_id, vulnerability_id, scanner, port, protocol, first_seen, last_seen, status_changed_at) VALUES (1, 'a1|v1|443/tcp', 1, 1, 'Nessus', 443, 'tcp', ?, ?, ?)`,
  ).run(now, now, now);
  db.prepare(
    `INSERT INTO risk_decisions(finding_id, kind, reason, expires_at, decided_by, decided_at) VALUES (1, 'accepted', 'compensating WAF', '2027-01-01', 'alice', ?)`,
  ).run(now);
}

describe('migrations', () => {
  it('are numbered 1..N without gaps', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(
      Array.from({ length: LATEST_VERSION }, (_, i) => i + 1),
    );
  });

  for (const start of MIGRATIONS.map((m) => m.version).filter((v) => v < LATEST_VERSION)) {
    it(`migrate a vault created at version ${start}, with data, to ${LATEST_VERSION}`, async () => {
      const path = join(tempDir(), 'old.vz');
      const old = await createVault({
        path,
        operator: 'alice',
        passphrase: PASS,
        kdf: TEST_KDF,
        schemaVersion: start,
      });
      expect(schemaVersion(old.db)).toBe(start);
      seedV1(old.db);
      old.lock();

      const session = await unlockVault({ path, operator: 'alice', passphrase: PASS });
      expect(schemaVersion(session.db)).toBe(LATEST_VERSION);
      const finding = session.db
        .prepare(
          `
        SELECT f.port, f.protocol, a.display_name, a.criticality, v.key, v.cvss3, c.cve, d.reason
        FROM findings f JOIN assets a ON a.id = f.asset_id JOIN vulnerabilities v ON v.id = f.vulnerability_id
        JOIN vulnerability_cves c ON c.vulnerability_id = v.id JOIN risk_decisions d ON d.finding_id = f.id`,
        )
        .get();
      expect(finding).toEqual({
        port: 443,
        protocol: 'tcp',
        display_name: 'web01',
        criticality: 'high',
        key: 'nessus:12345',
        cvss3: 7.5,
        cve: 'CVE-2022-3602',
        reason: 'compensating WAF',
      });
      // Version 5 stores priorities and a search index: both are rebuilt after migrating.
      expect(
        session.db
          .prepare(
            'SELECT risk_score > 0 AS scored, severity_rank, due_at FROM findings WHERE id = 1',
          )
          .get(),
      ).toEqual({ scored: 1, severity_rank: 3, due_at: expect.stringMatching(/^2026-.*Z$/) });
      expect(
        session.db
          .prepare(`SELECT kind, ref FROM search_fts WHERE search_fts MATCH 'openssl'`)
          .all(),
      ).toEqual([{ kind: 'v', ref: 1 }]);
      // Version 2 added backup history: the pre-migration backup is recorded in it.
      const backups = session.listBackups();
      expect(backups.map((b) => b.reason)).toEqual(['pre-migration']);
      const actions = session.db
        .prepare('SELECT action, summary FROM audit ORDER BY seq')
        .all() as { action: string; summary: string }[];
      expect(actions.find((a) => a.action === 'vault.migrate')?.summary).toBe(
        JSON.stringify({ before: { schema: start }, after: { schema: LATEST_VERSION } }),
      );
      expect(verifyAudit(session.db).ok).toBe(true);
      session.lock();

      // The pre-migration backup still holds the old schema and the data.
      const key = await backupDataKey(backups[0]!.path, 'alice', PASS);
      const backup = openEncrypted(backups[0]!.path, key, { readonly: true });
      expect(schemaVersion(backup)).toBe(start);
      expect(backup.prepare('SELECT count(*) AS n FROM findings').get()).toEqual({ n: 1 });
      backup.close();
    });
  }
});
