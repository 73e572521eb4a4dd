/**
 * Dashboard figures. On a large vault this reads every finding (a sequential scan for
 * the open counts, one for the fixed trend, index scans for the new trend and the top
 * assets), so the core runs it in a read-only writer thread and caches the result
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
  // Open findings per (decision, severity) cell, with KEV and overdue counts: one scan,
  // few groups (a GROUP BY over many keys would sort every row).
  const cells = db
    .prepare(
      `SELECT decision_rank * 10 + severity_rank AS cell, count(*) AS n, sum(kev) AS kev, sum(due_at < ?) AS overdue
       FROM findings NOT INDEXED WHERE status = 'open' GROUP BY 1`,
    )
    .all(nowIso) as { cell: number; n: number; kev: number; overdue: number }[];
  const weeks = new Map<string, { new: number; fixed: number }>();
  for (let i = 0; i < 12; i += 1)
    weeks.set(new Date(firstWeek.getTime() + i * 7 * DAY_MS).toISOString().slice(0, 10), {
      new: 0,
      fixed: 0,
    });
  const newPerWeek = db
    .prepare(
      `SELECT date(first_seen, 'weekday 0', '-6 days') AS week, count(*) AS n FROM findings
       WHERE first_seen >= ? GROUP BY 1`,
    )
    .all(since) as { week: string; n: number }[];
  for (const w of newPerWeek) {
    const entry = weeks.get(w.week);
    if (entry) entry.new = w.n;
  }
  const fixedPerWeek = db
    .prepare(
      `SELECT date(status_changed_at, 'weekday 0', '-6 days') AS week, count(*) AS n,
              sum(julianday(status_changed_at) - julianday(first_seen)) AS days
       FROM findings NOT INDEXED WHERE status IN ('fixed', 'fixed_verified') AND status_changed_at >= ? GROUP BY 1`,
    )
    .all(since) as { week: string; n: number; days: number | null }[];
  let fixDays = 0;
  let fixedCount = 0;
  for (const w of fixedPerWeek) {
    fixDays += w.days ?? 0;
    fixedCount += w.n;
    const entry = weeks.get(w.week);
    if (entry) entry.fixed = w.n;
  }
  let open = 0;
  let kevOpen = 0;
  let overdue = 0;
  for (const c of cells) {
    open += c.n;
    kevOpen += c.kev;
    overdue += c.overdue;
  }
  const total = db.prepare('SELECT count(*) FROM findings').pluck().get() as number;
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
    byDecisionSeverity: cells.map((c) => ({
      decision: DECISION_BY_RANK[Math.floor(c.cell / 10)] ?? 'Defer',
      severity: SEVERITY_BY_RANK[c.cell % 10] ?? 'info',
      count: c.n,
    })),
    topAssets,
    weekly: [...weeks.entries()].map(([week, v]) => ({ week, ...v })),
    mttrDays: fixedCount ? Math.round((fixDays / fixedCount) * 10) / 10 : null,
    expiredReopened,
  };
}
