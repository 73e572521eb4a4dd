/**
 * Dashboard figures without reading every finding:
 * - the open cells and the total from the trigger-kept finding_cells (migration 010);
 * - overdue, and the new and fixed trends, from index ranges (migrations 005, 009, 010);
 * - the top assets from the head of the risk index.
 * The core runs it in the session's reader thread and caches the result until the next
 * audited change (triage/handlers).
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

/**
 * The assets with the riskiest open finding (ties: more open findings first). Walks open
 * findings from the highest risk down and stops once `limit` assets are known and the
 * risk drops below the last one's, so it reads a few rows, not every open finding; then
 * counts the open findings of those candidates only.
 */
export function topRiskAssets(db: Db, limit: number): DashboardSummary['topAssets'] {
  const best = new Map<number, number>();
  let boundary: number | null = null;
  const walk = db
    .prepare(
      `SELECT asset_id AS assetId, risk_score AS risk FROM findings INDEXED BY findings_risk
       WHERE status = 'open' ORDER BY risk_score DESC`,
    )
    .iterate() as Iterable<{ assetId: number; risk: number }>;
  for (const { assetId, risk } of walk) {
    if (boundary !== null && risk < boundary) break;
    if (!best.has(assetId)) best.set(assetId, risk);
    if (boundary === null && best.size >= limit) boundary = risk;
  }
  const count = db.prepare(
    `SELECT count(*) FROM findings INDEXED BY findings_asset_scanner_status WHERE asset_id = ? AND status = 'open'`,
  );
  const name = db.prepare('SELECT display_name FROM assets WHERE id = ?');
  return [...best.entries()]
    .map(([id, riskScore]) => ({
      id,
      riskScore,
      open: count.pluck().get(id) as number,
      name: name.pluck().get(id) as string,
    }))
    .sort((a, b) => b.riskScore - a.riskScore || b.open - a.open || a.id - b.id)
    .slice(0, limit)
    .map(({ id, name, riskScore, open }) => ({ id, name, riskScore, open }));
}

export function dashboardFigures(db: Db, now = new Date()): DashboardSummary {
  const nowIso = now.toISOString();
  const firstWeek = new Date(Date.parse(weekStart(now)) - 11 * 7 * DAY_MS);
  const since = firstWeek.toISOString();
  // Open findings per (decision, severity) cell with KEV counts: a few rows of the
  // trigger-kept finding_cells (migration 010); overdue from the open due-date index.
  const cells = db
    .prepare(
      `SELECT decision_rank * 10 + severity_rank AS cell, sum(n) AS n, sum(n * kev) AS kev
       FROM finding_cells WHERE status = 'open' AND n > 0 GROUP BY decision_rank, severity_rank`,
    )
    .all() as { cell: number; n: number; kev: number }[];
  const overdue = db
    .prepare(
      `SELECT count(*) FROM findings INDEXED BY findings_open_due WHERE status = 'open' AND due_at < ?`,
    )
    .pluck()
    .get(nowIso) as number;
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
       FROM findings INDEXED BY findings_fixed_changed
       WHERE status IN ('fixed', 'fixed_verified') AND status_changed_at >= ? GROUP BY 1`,
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
  for (const c of cells) {
    open += c.n;
    kevOpen += c.kev;
  }
  const total = db.prepare('SELECT coalesce(sum(n), 0) FROM finding_cells').pluck().get() as number;
  const topAssets = topRiskAssets(db, 10);
  // Whole UTC days, so the figure's click-through (filter expiredSince) counts the same.
  const expiredSince = new Date(now.getTime() - 7 * DAY_MS).toISOString().slice(0, 10);
  const expiredReopened = db
    .prepare(
      `SELECT count(DISTINCT finding_id) FROM risk_decisions WHERE kind = 'reopened' AND decided_by = 'system' AND decided_at >= ?`,
    )
    .pluck()
    .get(expiredSince) as number;
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
    expiredSince,
  };
}
