/**
 * Stored priorities: every finding keeps its risk score, SSVC decision, severity, KEV
 * flag, EPSS and due date in indexed columns, so the triage table filters and sorts a
 * million findings through indexes. They are derived data, refreshed whenever an input
 * changes: after an import (the scan's assets), a feed load or a tuning change (all),
 * and an asset criticality/exposure edit (those assets).
 *
 * A finding's score and decision depend only on (vulnerability, asset criticality,
 * asset exposure), so they are computed once per such combination with the same
 * `prioritize` the detail view uses, then applied with one UPDATE ... FROM.
 */
import { readPrioritization, resolveConfig } from '../prioritization/config';
import type { PrioritizationConfig } from '../prioritization/config';
import {
  prioritize,
  priorityInputOf,
  type PriorityColumns,
} from '../prioritization/finding-priority';
import type { AssetCriticality, AssetExposure, SsvcDecision } from '../prioritization/ssvc';
import type { Db } from '../vault/sqlcipher';

export const DECISION_RANK: Record<SsvcDecision, number> = {
  Defer: 0,
  Scheduled: 1,
  'Out-of-cycle': 2,
  Immediate: 3,
};
export const DECISION_BY_RANK: readonly SsvcDecision[] = [
  'Defer',
  'Scheduled',
  'Out-of-cycle',
  'Immediate',
];
export const SEVERITY_RANK = { info: 0, low: 1, medium: 2, high: 3, critical: 4 } as const;
export type SeverityName = keyof typeof SEVERITY_RANK;
export const SEVERITY_BY_RANK: readonly SeverityName[] = [
  'info',
  'low',
  'medium',
  'high',
  'critical',
];

export type PriorityScope =
  { all: true } | { assetIds: readonly number[] } | { vulnerabilityIds: readonly number[] };

const CRITICALITIES: readonly AssetCriticality[] = ['low', 'medium', 'high', 'critical'];
const EXPOSURES: readonly AssetExposure[] = ['isolated', 'internal', 'internet'];

/** A vulnerability's enrichment: everything `prioritize` needs but the asset's part. */
export interface VulnPriorityRow extends Omit<
  PriorityColumns,
  'criticality' | 'exposure' | 'first_seen'
> {
  id: number;
}

/** The columns of vulnerabilities that `VulnPriorityRow` reads. */
export const VULN_PRIORITY_COLUMNS = `id, severity, cvss3, cvss2, nvd_cvss3, kev, kev_due_date, kev_ransomware, epss,
  epss_percentile, epss_date, exploitation, automatable, technical_impact`;

/** What a finding stores for one (vulnerability, criticality, exposure), before its due date. */
export interface StoredPriority {
  riskScore: number;
  decisionRank: number;
  severityRank: number;
  kev: number;
  epss: number;
  slaDays: number;
  /** The KEV due date as the end of that day (UTC), or null. */
  kevDueEnd: string | null;
}

/** The one computation behind every stored priority (the detail view runs the same `prioritize`). */
export function storedPriority(
  v: VulnPriorityRow,
  criticality: AssetCriticality,
  exposure: AssetExposure,
  config: PrioritizationConfig,
  now: Date,
): StoredPriority {
  const p = prioritize(
    priorityInputOf({ ...v, criticality, exposure, first_seen: now.toISOString() }),
    now,
    config,
  );
  return {
    riskScore: p.riskScore,
    decisionRank: DECISION_RANK[p.ssvc.decision],
    severityRank: SEVERITY_RANK[v.severity as SeverityName] ?? 0,
    kev: v.kev,
    epss: v.epss ?? -1,
    slaDays: config.slaDays[p.ssvc.decision],
    kevDueEnd: v.kev_due_date ? `${v.kev_due_date}T23:59:59.999Z` : null,
  };
}

/**
 * Due = first seen + SLA days, or the KEV due date when earlier (same rule as sla.ts), as
 * SQL: the refresh below and the import (through `dueAtQuery`) share this expression.
 */
export const DUE_AT_SQL = (firstSeen: string, slaDays: string, kevDueEnd: string) =>
  `coalesce(min(coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', ${firstSeen}, '+' || ${slaDays} || ' days'), '9999-12-31T00:00:00.000Z'),
                coalesce(${kevDueEnd}, '9999-12-31T00:00:00.000Z')), '')`;

/** The stored due date for a first-seen time, computed by SQLite exactly as the refresh does. */
export function dueAtQuery(db: Db): (firstSeen: string, p: StoredPriority) => string {
  const stmt = db.prepare(`SELECT ${DUE_AT_SQL('?', '?', '?')}`).pluck();
  const memo = new Map<string, string>();
  return (firstSeen, p) => {
    const key = `${firstSeen}|${p.slaDays}|${p.kevDueEnd ?? ''}`;
    let due = memo.get(key);
    if (due === undefined) {
      due = stmt.get(firstSeen, p.slaDays, p.kevDueEnd) as string;
      if (memo.size > 10_000) memo.clear();
      memo.set(key, due);
    }
    return due;
  };
}

function idList(db: Db, ids: readonly number[]): string {
  return `(SELECT value FROM json_each(${db.prepare('SELECT quote(?)').pluck().get(JSON.stringify(ids)) as string}))`;
}

/** Recomputes the stored priority columns of the findings in scope; returns rows changed. */
export function refreshPriorities(db: Db, scope: PriorityScope, now = new Date()): number {
  const config = resolveConfig(readPrioritization(db));
  let findingScope = '1';
  let vulnScope = '1';
  if ('assetIds' in scope) {
    if (!scope.assetIds.length) return 0;
    findingScope = `f.asset_id IN ${idList(db, scope.assetIds)}`;
    vulnScope = `id IN (SELECT DISTINCT vulnerability_id FROM findings WHERE asset_id IN ${idList(db, scope.assetIds)})`;
  } else if ('vulnerabilityIds' in scope) {
    if (!scope.vulnerabilityIds.length) return 0;
    findingScope = `f.vulnerability_id IN ${idList(db, scope.vulnerabilityIds)}`;
    vulnScope = `id IN ${idList(db, scope.vulnerabilityIds)}`;
  }
  const vulns = db
    .prepare(`SELECT ${VULN_PRIORITY_COLUMNS} FROM vulnerabilities WHERE ${vulnScope}`)
    .all() as VulnPriorityRow[];

  db.exec(`DROP TABLE IF EXISTS temp.priority_inputs;
    CREATE TEMP TABLE priority_inputs (
      vulnerability_id INTEGER NOT NULL, criticality TEXT NOT NULL, exposure TEXT NOT NULL,
      risk_score INTEGER NOT NULL, decision_rank INTEGER NOT NULL, severity_rank INTEGER NOT NULL,
      kev INTEGER NOT NULL, epss REAL NOT NULL, sla_days INTEGER NOT NULL, kev_due_end TEXT,
      PRIMARY KEY (vulnerability_id, criticality, exposure)) WITHOUT ROWID`);
  const insert = db.prepare(
    'INSERT INTO temp.priority_inputs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const v of vulns) {
    for (const criticality of CRITICALITIES)
      for (const exposure of EXPOSURES) {
        const p = storedPriority(v, criticality, exposure, config, now);
        insert.run(
          v.id,
          criticality,
          exposure,
          p.riskScore,
          p.decisionRank,
          p.severityRank,
          p.kev,
          p.epss,
          p.slaDays,
          p.kevDueEnd,
        );
      }
  }
  const result = db
    .prepare(
      `WITH computed AS (
         SELECT f.id AS fid, p.risk_score, p.decision_rank, p.severity_rank, p.kev, p.epss,
                ${DUE_AT_SQL('f.first_seen', 'p.sla_days', 'p.kev_due_end')} AS due_at
         FROM findings f JOIN assets a ON a.id = f.asset_id
         JOIN temp.priority_inputs p ON p.vulnerability_id = f.vulnerability_id
              AND p.criticality = a.criticality AND p.exposure = a.exposure
         WHERE ${findingScope})
       UPDATE findings SET risk_score = c.risk_score, decision_rank = c.decision_rank,
              severity_rank = c.severity_rank, kev = c.kev, epss = c.epss, due_at = c.due_at
       FROM computed c
       WHERE findings.id = c.fid AND (findings.risk_score <> c.risk_score OR findings.decision_rank <> c.decision_rank
         OR findings.severity_rank <> c.severity_rank OR findings.kev <> c.kev OR findings.epss <> c.epss
         OR findings.due_at <> c.due_at)`,
    )
    .run();
  db.exec('DROP TABLE temp.priority_inputs');
  return result.changes;
}
