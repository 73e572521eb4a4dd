/**
 * The remediation report's numbers, read from the vault for a scope (every asset, or an
 * asset group: a tag on the asset or the group of its SSH host) and a time range. Counts
 * of what is open (by severity, by SSVC decision, KEV, overdue) describe the vault now;
 * what happened (new, fixed, MTTR, SLA, push runs) is counted inside the range.
 * The HTML, CSV and JSON outputs all render this one object.
 */
import { DECISION_BY_RANK, SEVERITY_BY_RANK } from '../triage/priorities';
import type { Db } from '../vault/sqlcipher';
import type { RemediationReport } from '../../src-preload/reports-schemas';

export interface ReportScope {
  /** ISO date or timestamp; default: 90 days before `to` */
  from?: string;
  /** ISO date or timestamp; default: now */
  to?: string;
  group?: string;
}

/** The report's shape is the contract's (src-preload/reports-schemas.ts). */
export type { RemediationReport };

const DAY_MS = 86_400_000;
const FIXED = `('fixed', 'fixed_verified', 'not_seen')`;

function isoBound(value: string | undefined, fallback: Date, endOfDay: boolean): string {
  if (value === undefined) return fallback.toISOString();
  // A bare date covers the whole day.
  if (/^\d{4}-\d{2}-\d{2}$/.test(value))
    return `${value}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}Z`;
  return new Date(value).toISOString();
}

/** Assets in scope as a SQL condition on `f.asset_id` (and its parameters). */
function assetScope(group: string | undefined): { sql: string; params: string[] } {
  if (group === undefined) return { sql: '1 = 1', params: [] };
  return {
    sql: `f.asset_id IN (SELECT a.id FROM assets a, json_each(a.tags) t WHERE lower(t.value) = lower(?)
                         UNION SELECT h.asset_id FROM hosts h WHERE h.asset_id IS NOT NULL AND lower(h.group_name) = lower(?))`,
    params: [group, group],
  };
}

export function remediationFigures(
  db: Db,
  scope: ReportScope,
  now = new Date(),
): RemediationReport {
  const to = isoBound(scope.to, now, true);
  const from = isoBound(scope.from, new Date(Date.parse(to) - 90 * DAY_MS), false);
  const nowIso = now.toISOString();
  const where = assetScope(scope.group);
  const p = where.params;

  const assets = db
    .prepare(`SELECT count(DISTINCT f.asset_id) FROM findings f WHERE ${where.sql}`)
    .pluck()
    .get(...p) as number;

  const cells = db
    .prepare(
      `SELECT severity_rank AS s, decision_rank AS d, count(*) AS n, sum(kev) AS kev, sum(due_at <> '' AND due_at < ?) AS overdue
       FROM findings f WHERE status = 'open' AND ${where.sql} GROUP BY 1, 2`,
    )
    .all(nowIso, ...p) as { s: number; d: number; n: number; kev: number; overdue: number }[];
  const bySeverity: Record<string, number> = Object.fromEntries(
    SEVERITY_BY_RANK.map((s) => [s, 0]),
  );
  const byDecision: Record<string, number> = Object.fromEntries(
    DECISION_BY_RANK.map((d) => [d, 0]),
  );
  let total = 0;
  let kev = 0;
  let overdue = 0;
  for (const c of cells) {
    const severity = SEVERITY_BY_RANK[c.s] ?? 'info';
    const decision = DECISION_BY_RANK[c.d] ?? 'Defer';
    bySeverity[severity] = (bySeverity[severity] ?? 0) + c.n;
    byDecision[decision] = (byDecision[decision] ?? 0) + c.n;
    total += c.n;
    kev += c.kev;
    overdue += c.overdue;
  }

  const kevItems = (
    db
      .prepare(
        `SELECT f.id, coalesce(json_extract(v.cves, '$[0]'), v.key) AS cve, a.display_name AS asset, f.due_at
         FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id JOIN assets a ON a.id = f.asset_id
         WHERE f.status = 'open' AND f.kev = 1 AND ${where.sql} ORDER BY f.due_at, f.id LIMIT 500`,
      )
      .all(...p) as { id: number; cve: string; asset: string; due_at: string }[]
  ).map((r) => ({
    findingId: r.id,
    cve: r.cve,
    asset: r.asset,
    dueAt: r.due_at,
    overdue: r.due_at !== '' && r.due_at < nowIso,
  }));

  const newFindings = db
    .prepare(`SELECT count(*) FROM findings f WHERE first_seen BETWEEN ? AND ? AND ${where.sql}`)
    .pluck()
    .get(from, to, ...p) as number;
  const fixedRow = db
    .prepare(
      `SELECT count(*) AS n, sum(due_at = '' OR status_changed_at <= due_at) AS onTime,
              avg(julianday(status_changed_at) - julianday(first_seen)) AS days
       FROM findings f WHERE status IN ${FIXED} AND status_changed_at BETWEEN ? AND ? AND ${where.sql}`,
    )
    .get(from, to, ...p) as { n: number; onTime: number | null; days: number | null };

  const runs = db
    .prepare(
      `SELECT r.id, r.started_at, r.state, dv.engine AS origin,
              count(h.host_id) AS hosts,
              sum(h.state IN ('verified', 'already_fixed')) AS verified,
              sum(h.state IN ('failed', 'rolled_back', 'rollback_failed', 'interrupted', 'refused')) AS failed
       FROM push_runs r JOIN approvals ap ON ap.id = r.approval_id
       JOIN draft_versions dv ON dv.id = ap.draft_version_id
       LEFT JOIN push_run_hosts h ON h.run_id = r.id
       WHERE r.started_at BETWEEN ? AND ?
         ${scope.group === undefined ? '' : 'AND h.host_id IN (SELECT id FROM hosts WHERE lower(group_name) = lower(?))'}
       GROUP BY r.id ORDER BY r.started_at`,
    )
    .all(from, to, ...(scope.group === undefined ? [] : [scope.group])) as {
    id: number;
    started_at: string;
    state: string;
    origin: string;
    hosts: number;
    verified: number | null;
    failed: number | null;
  }[];
  const pushRuns = runs.map((r) => ({
    id: r.id,
    startedAt: r.started_at,
    state: r.state,
    origin: r.origin,
    hosts: r.hosts,
    verified: r.verified ?? 0,
    failed: r.failed ?? 0,
  }));
  const byOrigin = new Map<string, { attempted: number; verified: number }>();
  for (const r of pushRuns) {
    const o = byOrigin.get(r.origin) ?? { attempted: 0, verified: 0 };
    o.attempted += r.verified + r.failed;
    o.verified += r.verified;
    byOrigin.set(r.origin, o);
  }

  const acceptedRisks = (
    db
      .prepare(
        `SELECT f.id, v.title, a.display_name AS asset, d.reason, d.decided_by, d.expires_at
         FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id JOIN assets a ON a.id = f.asset_id
         JOIN risk_decisions d ON d.finding_id = f.id AND d.kind = 'accepted' AND d.revoked_at IS NULL
         WHERE f.status = 'accepted' AND ${where.sql} ORDER BY d.expires_at, f.id LIMIT 1000`,
      )
      .all(...p) as {
      id: number;
      title: string;
      asset: string;
      reason: string;
      decided_by: string;
      expires_at: string | null;
    }[]
  ).map((r) => ({
    findingId: r.id,
    title: r.title,
    asset: r.asset,
    reason: r.reason,
    decidedBy: r.decided_by,
    expiresAt: r.expires_at,
  }));

  const round1 = (x: number): number => Math.round(x * 10) / 10;
  return {
    generatedAt: nowIso,
    scope: { from, to, group: scope.group ?? null, assets },
    open: { total, bySeverity, byDecision, kev, overdue },
    kevItems,
    period: {
      newFindings,
      fixed: fixedRow.n,
      fixedWithinSla: fixedRow.onTime ?? 0,
      slaCompliancePct: fixedRow.n ? round1((100 * (fixedRow.onTime ?? 0)) / fixedRow.n) : null,
      mttrDays: fixedRow.days === null ? null : round1(fixedRow.days),
    },
    pushRuns,
    patchSuccess: [...byOrigin].map(([origin, o]) => ({
      origin,
      attempted: o.attempted,
      verified: o.verified,
      pct: o.attempted ? round1((100 * o.verified) / o.attempted) : null,
    })),
    acceptedRisks,
  };
}
