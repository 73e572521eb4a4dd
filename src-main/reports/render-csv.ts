/**
 * The report as CSV: one `section,item,value` row per number (the same numbers the HTML
 * shows), then the KEV items, push runs and accepted risks as their own tables, each
 * after a blank line and a header row. Cells are quoted when needed (RFC 4180), and a
 * cell starting with = + - @ is prefixed with ' so spreadsheets do not run it as a formula.
 */
import type { RemediationReport } from './figures';

type Cell = string | number | boolean | null | undefined;

function cell(value: Cell): string {
  let text = value === null || value === undefined ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function table(header: string[], rows: Cell[][]): string {
  return [header, ...rows].map((r) => r.map(cell).join(',')).join('\r\n');
}

export function reportCsv(r: RemediationReport): string {
  const figures: Cell[][] = [
    ['scope', 'from', r.scope.from],
    ['scope', 'to', r.scope.to],
    ['scope', 'group', r.scope.group ?? 'all'],
    ['scope', 'assets', r.scope.assets],
    ['open', 'total', r.open.total],
    ...Object.entries(r.open.bySeverity).map(([k, v]) => ['open by severity', k, v]),
    ...Object.entries(r.open.byDecision).map(([k, v]) => ['open by decision', k, v]),
    ['open', 'kev', r.open.kev],
    ['open', 'overdue', r.open.overdue],
    ['period', 'new findings', r.period.newFindings],
    ['period', 'fixed', r.period.fixed],
    ['period', 'fixed within SLA', r.period.fixedWithinSla],
    ['period', 'SLA compliance %', r.period.slaCompliancePct],
    ['period', 'MTTR days', r.period.mttrDays],
    ...r.patchSuccess.map((p) => ['patch success %', p.origin, p.pct]),
  ];
  return (
    [
      table(['section', 'item', 'value'], figures),
      table(
        ['kev finding', 'cve', 'asset', 'due', 'overdue'],
        r.kevItems.map((k) => [k.findingId, k.cve, k.asset, k.dueAt, k.overdue]),
      ),
      table(
        ['push run', 'started', 'state', 'origin', 'hosts', 'verified', 'failed'],
        r.pushRuns.map((p) => [
          p.id,
          p.startedAt,
          p.state,
          p.origin,
          p.hosts,
          p.verified,
          p.failed,
        ]),
      ),
      table(
        ['accepted finding', 'title', 'asset', 'reason', 'decided by', 'expires'],
        r.acceptedRisks.map((a) => [
          a.findingId,
          a.title,
          a.asset,
          a.reason,
          a.decidedBy,
          a.expiresAt,
        ]),
      ),
    ].join('\r\n\r\n') + '\r\n'
  );
}
