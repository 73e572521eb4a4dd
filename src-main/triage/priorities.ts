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
interface VulnRow extends Omit<PriorityColumns, 'criticality' | 'exposure' | 'first_seen'> {
  id: number;
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
    .prepare(
      `SELECT id, severity, cvss3, cvss2, nvd_cvss3, kev, kev_due_date, kev_ransomware, epss, epss_percentile,
              epss_date, exploitation, automatable, technical_impact FROM vulnerabilities WHERE ${vulnScope}`,
    )
    .all() as VulnRow[];

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
    const severityRank = SEVERITY_RANK[v.severity as SeverityName] ?? 0;
    for (const criticality of CRITICALITIES)
      for (const exposure of EXPOSURES) {
        const p = prioritize(
          priorityInputOf({ ...v, criticality, exposure, first_seen: now.toISOString() }),
          now,
          config,
        );
        insert.run(
          v.id,
          criticality,
          exposure,
          p.riskScore,
          DECISION_RANK[p.ssvc.decision],
          severityRank,
          v.kev,
          v.epss ?? -1,
          config.slaDays[p.ssvc.decision],
          v.kev_due_date ? `${v.kev_due_date}T23:59:59.999Z` : null,
        );
      }
  }
  // Due = first seen + SLA days, or the KEV due date when earlier (same rule as sla.ts).
  const result = db
    .prepare(
      `WITH computed AS (
         SELECT f.id AS fid, p.risk_score, p.decision_rank, p.severity_rank, p.kev, p.epss,
                coalesce(min(coalesce(strftime('%Y-%m-%dT%H:%M:%fZ', f.first_seen, '+' || p.sla_days || ' days'), '9999-12-31T00:00:00.000Z'),
                             coalesce(p.kev_due_end, '9999-12-31T00:00:00.000Z')), '') AS due_at
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
