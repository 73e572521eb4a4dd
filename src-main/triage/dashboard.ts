/**
 * Dashboard figures. On a large vault this reads every finding once (one sequential
 * scan for the status/priority counts and the trend, one covering-index scan for the
 * top assets), so the core runs it in a read-only writer thread and caches the result
 * until the next audited change (triage/handlers).
 */
import type { z } from 'zod';
import type { dashboardSummary } from '../../src-preload/triage-schemas';
import type { Db } from '../vault/sqlcipher';
import { DECISION_BY_RANK, SEVERITY_BY_RANK } from './priorities';

export type DashboardSummary = z.infer<typeof dashboardSummary>;

const DAY_MS = 86_400_000;

/** Monday (UTC) of the ISO week containing `date`, as YYYY-MM-DD. */
export function weekStart(date: Date): string {
  const day = (date.getUTCDay() + 6) % 7;
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() - day))
    .toISOString()
    .slice(0, 10);
}

export function dashboardFigures(db: Db, now = new Date()): DashboardSummary {
  const nowIso = now.toISOString();
  const firstWeek = new Date(Date.parse(weekStart(now)) - 11 * 7 * DAY_MS);
  const since = firstWeek.toISOString();
  const mttrSince = new Date(now.getTime() - 90 * DAY_MS).toISOString();
  const cells = db
    .prepare(
      `SELECT status, decision_rank, severity_rank, kev, (status = 'open' AND due_at < ?) AS overdue,
              CASE WHEN first_seen >= ? THEN date(first_seen, 'weekday 0', '-6 days') END AS new_week,
              CASE WHEN status IN ('fixed', 'fixed_verified') AND status_changed_at >= ?
                   THEN date(status_changed_at, 'weekday 0', '-6 days') END AS fixed_week,
              count(*) AS n,
              sum(CASE WHEN status IN ('fixed', 'fixed_verified') AND status_changed_at >= ?
                       THEN julianday(status_changed_at) - julianday(first_seen) END) AS fix_days,
              sum(status IN ('fixed', 'fixed_verified') AND status_changed_at >= ?) AS fixed_n
       FROM findings NOT INDEXED GROUP BY 1, 2, 3, 4, 5, 6, 7`,
    )
    .all(nowIso, since, since, mttrSince, mttrSince) as {
    status: string;
    decision_rank: number;
    severity_rank: number;
    kev: number;
    overdue: number;
    new_week: string | null;
    fixed_week: string | null;
    n: number;
    fix_days: number | null;
    fixed_n: number;
  }[];
  let total = 0;
  let open = 0;
  let kevOpen = 0;
  let overdue = 0;
  let fixDays = 0;
  let fixedCount = 0;
  const matrix = new Map<string, number>();
  const weeks = new Map<string, { new: number; fixed: number }>();
  for (let i = 0; i < 12; i += 1)
    weeks.set(new Date(firstWeek.getTime() + i * 7 * DAY_MS).toISOString().slice(0, 10), {
      new: 0,
      fixed: 0,
    });
  for (const c of cells) {
    total += c.n;
    fixDays += c.fix_days ?? 0;
    fixedCount += c.fixed_n;
    if (c.new_week) {
      const w = weeks.get(c.new_week);
      if (w) w.new += c.n;
    }
    if (c.fixed_week) {
      const w = weeks.get(c.fixed_week);
      if (w) w.fixed += c.n;
    }
    if (c.status !== 'open') continue;
    open += c.n;
    if (c.kev === 1) kevOpen += c.n;
    if (c.overdue === 1) overdue += c.n;
    const key = `${c.decision_rank}:${c.severity_rank}`;
    matrix.set(key, (matrix.get(key) ?? 0) + c.n);
  }
  const topAssets = db
    .prepare(
      `SELECT t.asset_id AS id, a.display_name AS name, t.risk AS riskScore, t.n AS open
       FROM (SELECT asset_id, max(risk_score) AS risk, count(*) AS n FROM findings INDEXED BY findings_asset_scanner_status
             WHERE status = 'open' GROUP BY asset_id ORDER BY risk DESC, n DESC LIMIT 10) t
       JOIN assets a ON a.id = t.asset_id ORDER BY t.risk DESC, t.n DESC`,
    )
    .all() as DashboardSummary['topAssets'];
  const expiredReopened = db
    .prepare(
      `SELECT count(*) FROM risk_decisions WHERE kind = 'reopened' AND decided_by = 'system' AND decided_at >= ?`,
    )
    .pluck()
    .get(new Date(now.getTime() - 7 * DAY_MS).toISOString()) as number;
  return {
    generatedAt: nowIso,
    total,
    open,
    kevOpen,
    overdue,
    byDecisionSeverity: [...matrix.entries()].map(([key, count]) => {
      const [d, s] = key.split(':').map(Number) as [number, number];
      return {
        decision: DECISION_BY_RANK[d] ?? 'Defer',
        severity: SEVERITY_BY_RANK[s] ?? 'info',
        count,
      };
    }),
    topAssets,
    weekly: [...weeks.entries()].map(([week, v]) => ({ week, ...v })),
    mttrDays: fixedCount ? Math.round((fixDays / fixedCount) * 10) / 10 : null,
    expiredReopened,
  };
}
