/**
 * A synthetic vault population for triage benchmarks and query-plan tests: assets,
 * vulnerabilities (some in KEV, most with EPSS), findings spread over statuses,
 * scanners and components, written straight into an unlocked vault's database in one
 * transaction, then prioritized and indexed like an import would.
 */
import type { Db } from '../../src-main/vault/sqlcipher';
import { refreshPriorities } from '../../src-main/triage/priorities';
import { refreshSearchIndex } from '../../src-main/triage/search-index';
import { rng } from '../fuzz/mutate';

export interface SyntheticTriage {
  findings: number;
  assets: number;
  vulnerabilities: number;
}

// rng: the fuzzers' seeded PRNG, so every run builds the same vault.

const WORDS = [
  'OpenSSL',
  'Apache',
  'nginx',
  'OpenSSH',
  'glibc',
  'kernel',
  'sudo',
  'curl',
  'Samba',
  'PHP',
  'Tomcat',
  'MySQL',
  'PostgreSQL',
  'BIND',
  'Exim',
];
const KINDS = [
  'Remote Code Execution',
  'Denial of Service',
  'Information Disclosure',
  'Privilege Escalation',
  'Multiple Vulnerabilities',
];
const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
const STATUSES = [
  'open',
  'open',
  'open',
  'open',
  'open',
  'open',
  'not_seen',
  'fixed',
  'accepted',
  'false_positive',
] as const;
const SCANNERS = ['nessus', 'openvas', 'qualys', 'trivy'];
const COMPONENTS = [
  'openssl',
  'libcurl',
  'glibc',
  'zlib',
  'log4j-core',
  'openssh-server',
  'sudo',
  'bash',
  'libxml2',
  'python3',
];
const CRIT = ['low', 'medium', 'medium', 'high', 'critical'];
const EXPO = ['isolated', 'internal', 'internal', 'internet'];

export function populateTriage(db: Db, size: SyntheticTriage, seed = 42): void {
  const random = rng(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const now = Date.parse('2026-11-01T00:00:00Z');
  const iso = (ms: number) => new Date(ms).toISOString();
  db.transaction(() => {
    const scan = db
      .prepare(
        `INSERT INTO scans(file_name, sha256, size, format, scanner, imported_at) VALUES ('synthetic.nessus', 'synthetic', 0, 'nessus', 'nessus', ?)`,
      )
      .run(iso(now)).lastInsertRowid as number;
    const asset = db.prepare(
      `INSERT INTO assets(id, display_name, ip, hostname, os, criticality, exposure, created_at, updated_at) VALUES (?, ?, ?, ?, 'Linux', ?, ?, ?, ?)`,
    );
    const ident = db.prepare(
      `INSERT INTO asset_identifiers(asset_id, kind, value, first_seen) VALUES (?, ?, ?, ?)`,
    );
    for (let i = 1; i <= size.assets; i += 1) {
      const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`;
      const host = `host-${i}.corp.example`;
      asset.run(i, host, ip, host, pick(CRIT), pick(EXPO), iso(now), iso(now));
      ident.run(i, 'ip', ip, iso(now));
      ident.run(i, 'hostname', host, iso(now));
    }
    const vuln = db.prepare(
      `INSERT INTO vulnerabilities(id, key, title, severity, cvss3, cves, epss, epss_date, kev, kev_due_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const cve = db.prepare(`INSERT INTO vulnerability_cves(vulnerability_id, cve) VALUES (?, ?)`);
    for (let i = 1; i <= size.vulnerabilities; i += 1) {
      const severity = pick(SEVERITIES);
      const cveId = `CVE-${2015 + (i % 11)}-${10000 + i}`;
      const kev = random() < 0.03 ? 1 : 0;
      vuln.run(
        i,
        `nessus:${100000 + i}`,
        `${pick(WORDS)} ${pick(KINDS)} (${cveId})`,
        severity,
        severity === 'info' ? null : Math.round(random() * 100) / 10,
        JSON.stringify([cveId]),
        random() < 0.8 ? Math.round(random() * 10000) / 10000 : null,
        '2026-10-31',
        kev,
        kev ? '2026-06-01' : null,
      );
      cve.run(i, cveId);
    }
    const finding = db.prepare(
      `INSERT INTO findings(identity, asset_id, vulnerability_id, scanner, port, protocol, component_name, component_version,
         component_fixed_version, status, first_seen, last_seen, last_scan_id, status_changed_at)
       VALUES (?, ?, ?, ?, ?, 'tcp', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (let i = 1; i <= size.findings; i += 1) {
      const assetId = 1 + Math.floor(random() * size.assets);
      const vulnId = 1 + Math.floor(random() * size.vulnerabilities);
      const component = random() < 0.4 ? pick(COMPONENTS) : null;
      const first = now - Math.floor(random() * 365) * 86_400_000;
      const last = first + Math.floor(random() * (now - first));
      const status = pick(STATUSES);
      finding.run(
        `synthetic:${i}`,
        assetId,
        vulnId,
        pick(SCANNERS),
        random() < 0.7 ? pick([22, 80, 443, 3306, 8080]) : null,
        component,
        component ? `1.${Math.floor(random() * 20)}` : null,
        component ? `1.${20 + Math.floor(random() * 5)}` : null,
        status,
        iso(first),
        iso(last),
        scan,
        iso(last),
      );
    }
  })();
  refreshPriorities(db, { all: true }, new Date(now));
  refreshSearchIndex(db, { all: true });
  db.exec('ANALYZE');
}
