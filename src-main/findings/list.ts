/**
 * Findings in the public normalized shape plus `id` and `status` (the CLI's
 * `findings --json` and the JSON export). Keyset-paginated by id.
 */
import type { Db } from '../vault/sqlcipher';
import type { NormalizedFinding } from '../importers/types';
import { readPrioritization, resolveConfig } from '../prioritization/config';
import {
  prioritize,
  priorityInputOf,
  type FindingPriority,
  type PriorityColumns,
} from '../prioritization/finding-priority';

export interface FindingFilter {
  limit: number;
  afterId?: number;
  cve?: string;
  asset?: string;
  severity?: string;
  /** One finding kind (vulnerability, misconfiguration, secret, license, service). */
  kind?: string;
}

export type StoredFinding = NormalizedFinding & {
  id: number;
  status: string;
  /** Why the status is what it is (a decision's reason, "not seen in latest scan", a VEX statement). */
  statusReason?: string;
} & FindingPriority;

/** A finding row: its own columns plus what `prioritize` reads (PriorityColumns). */
interface Row extends PriorityColumns {
  id: number;
  status: string;
  status_reason: string | null;
  asset_kind: 'host' | 'software';
  display_name: string;
  software_version: string | null;
  scanner: string;
  port: number | null;
  protocol: string | null;
  service: string | null;
  component_name: string | null;
  component_version: string | null;
  component_fixed_version: string | null;
  component_path: string | null;
  component_purl: string | null;
  evidence: string | null;
  kind: NonNullable<NormalizedFinding['kind']>;
  location_path: string | null;
  location_line: number | null;
  location_column: number | null;
  last_seen: string;
  ip: string | null;
  hostname: string | null;
  fqdn: string | null;
  mac: string | null;
  os: string | null;
  image: string | null;
  key: string;
  title: string;
  severity: NormalizedFinding['vulnerability']['severity'];
  cvss3_vector: string | null;
  cves: string;
  cwes: string;
  refs: string;
  solution: string | null;
  description: string | null;
  format: string | null;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(
    Object.entries(value).filter(([, v]) => v !== null && v !== undefined),
  ) as T;
}

export function listFindings(db: Db, filter: FindingFilter, now = new Date()): StoredFinding[] {
  const where = ['f.id > ?'];
  const params: (string | number)[] = [filter.afterId ?? 0];
  if (filter.cve) {
    where.push(
      'f.vulnerability_id IN (SELECT vulnerability_id FROM vulnerability_cves WHERE cve = ?)',
    );
    params.push(filter.cve.toUpperCase());
  }
  if (filter.asset) {
    where.push(
      `f.asset_id IN (SELECT asset_id FROM asset_identifiers WHERE value LIKE ? ESCAPE '\\')`,
    );
    params.push(`%${filter.asset.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`);
  }
  if (filter.severity) {
    where.push('v.severity = ?');
    params.push(filter.severity);
  }
  if (filter.kind) {
    where.push('f.kind = ?');
    params.push(filter.kind);
  }
  params.push(filter.limit);
  const rows = db
    .prepare(
      `SELECT f.*, a.kind AS asset_kind, a.display_name, a.software_version, a.ip, a.hostname, a.fqdn, a.mac, a.os, a.image, v.key, v.title, v.severity, v.cvss3, v.cvss3_vector,
              v.cvss2, v.cves, v.cwes, v.refs, v.solution, v.description, s.format, v.nvd_cvss3, v.kev, v.kev_due_date,
              v.kev_ransomware, v.epss, v.epss_percentile, v.epss_date, v.exploitation, v.automatable,
              v.technical_impact, a.criticality, a.exposure
       FROM findings f JOIN assets a ON a.id = f.asset_id JOIN vulnerabilities v ON v.id = f.vulnerability_id
       LEFT JOIN scans s ON s.id = f.last_scan_id
       WHERE ${where.join(' AND ')} ORDER BY f.id LIMIT ?`,
    )
    .all(...params) as Row[];
  const config = resolveConfig(readPrioritization(db));
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    ...defined({ statusReason: r.status_reason }),
    format: r.format ?? '',
    kind: r.kind,
    scanner: {
      name: r.scanner,
      pluginId: r.key.includes(':') ? r.key.slice(r.key.indexOf(':') + 1) : undefined,
    },
    asset: defined({
      ip: r.ip,
      hostname: r.hostname,
      fqdn: r.fqdn,
      mac: r.mac,
      os: r.os,
      image: r.image,
      software:
        r.asset_kind === 'software'
          ? defined({ name: r.display_name, version: r.software_version })
          : null,
    }) as NormalizedFinding['asset'],
    ...defined({ port: r.port, protocol: r.protocol, service: r.service }),
    vulnerability: {
      key: r.key,
      cves: JSON.parse(r.cves) as string[],
      title: r.title,
      severity: r.severity,
      // NVD fills the score when the scanner gave none.
      ...defined({ cvss3: r.cvss3 ?? r.nvd_cvss3, cvss3Vector: r.cvss3_vector, cvss2: r.cvss2 }),
      cwes: JSON.parse(r.cwes) as string[],
      references: JSON.parse(r.refs) as string[],
    },
    ...(r.component_name
      ? {
          component: defined({
            name: r.component_name,
            version: r.component_version,
            fixedVersion: r.component_fixed_version,
            path: r.component_path,
            purl: r.component_purl,
          }) as NonNullable<NormalizedFinding['component']>,
        }
      : {}),
    ...(r.location_path
      ? {
          location: defined({
            path: r.location_path,
            line: r.location_line,
            column: r.location_column,
          }) as NonNullable<NormalizedFinding['location']>,
        }
      : {}),
    ...defined({ solution: r.solution, description: r.description, evidence: r.evidence }),
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    ...prioritize(priorityInputOf(r), now, config),
  })) as StoredFinding[];
}
