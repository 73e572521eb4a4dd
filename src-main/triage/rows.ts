/**
 * The triage row: what the findings table shows for one finding, read from the stored
 * priority columns (no per-row computation), with its asset and vulnerability.
 */
import type { TriageRow } from '../../src-preload/triage-schemas';
import type { Db } from '../vault/sqlcipher';
import { DECISION_BY_RANK } from './priorities';

export const ROW_COLUMNS = `f.id, f.status, f.status_reason, f.risk_score, f.decision_rank, f.due_at, f.kev, f.epss,
  f.vulnerability_id, f.asset_id, f.port, f.protocol, f.component_name, f.component_version,
  f.component_fixed_version, f.scanner, f.first_seen, f.last_seen, f.owner, f.kind,
  f.location_path, f.location_line,
  v.title, v.severity, v.cves, a.display_name`;
export const ROW_JOINS = `JOIN vulnerabilities v ON v.id = f.vulnerability_id JOIN assets a ON a.id = f.asset_id`;

export interface RawRow {
  id: number;
  status: TriageRow['status'];
  status_reason: string | null;
  risk_score: number;
  decision_rank: number;
  due_at: string;
  kev: number;
  epss: number;
  vulnerability_id: number;
  asset_id: number;
  port: number | null;
  protocol: string | null;
  component_name: string | null;
  component_version: string | null;
  component_fixed_version: string | null;
  scanner: string;
  first_seen: string;
  last_seen: string;
  owner: string | null;
  kind: TriageRow['kind'];
  location_path: string | null;
  location_line: number | null;
  title: string;
  severity: TriageRow['severity'];
  cves: string;
  display_name: string;
}

/** Turns raw rows into triage rows, reading the tags of the whole page in one query. */
export function toTriageRows(db: Db, raw: readonly RawRow[], now: Date): TriageRow[] {
  const tags = new Map<number, string[]>();
  if (raw.length) {
    const rows = db
      .prepare(
        `SELECT finding_id, tag FROM finding_tags WHERE finding_id IN (SELECT value FROM json_each(?)) ORDER BY tag`,
      )
      .all(JSON.stringify(raw.map((r) => r.id))) as { finding_id: number; tag: string }[];
    for (const r of rows) tags.set(r.finding_id, [...(tags.get(r.finding_id) ?? []), r.tag]);
  }
  const nowIso = now.toISOString();
  return raw.map((r) => ({
    id: r.id,
    status: r.status,
    statusReason: r.status_reason,
    title: r.title,
    severity: r.severity,
    kind: r.kind,
    location:
      r.location_path === null
        ? null
        : r.location_line === null
          ? r.location_path
          : `${r.location_path}:${r.location_line}`,
    decision: DECISION_BY_RANK[r.decision_rank] ?? 'Defer',
    riskScore: r.risk_score,
    dueAt: r.due_at,
    overdue: r.status === 'open' && r.due_at < nowIso,
    kev: r.kev === 1,
    epss: r.epss < 0 ? null : r.epss,
    cves: JSON.parse(r.cves) as string[],
    vulnerabilityId: r.vulnerability_id,
    assetId: r.asset_id,
    assetName: r.display_name,
    port: r.port,
    protocol: r.protocol,
    component: r.component_name
      ? r.component_version
        ? `${r.component_name} ${r.component_version}`
        : r.component_name
      : null,
    fixedVersion: r.component_fixed_version,
    scanner: r.scanner,
    firstSeen: r.first_seen,
    lastSeen: r.last_seen,
    owner: r.owner,
    tags: tags.get(r.id) ?? [],
  }));
}

export function rowsByIds(
  db: Db,
  where: string,
  params: (string | number)[],
  limit: number,
  now: Date,
): TriageRow[] {
  const raw = db
    .prepare(
      `SELECT ${ROW_COLUMNS} FROM findings f ${ROW_JOINS} WHERE ${where} ORDER BY f.risk_score DESC, f.id LIMIT ?`,
    )
    .all(...params, limit) as RawRow[];
  return toTriageRows(db, raw, now);
}
