/**
 * The report as one self-contained HTML file: inline CSS and inline SVG bar charts, no
 * script, no external resource of any kind (it opens in any browser, offline), a print
 * stylesheet so "Print to PDF" gives clean pages. Every text from the vault is escaped.
 */
import type { RemediationReport } from './figures';

function esc(value: string | number | boolean | null | undefined): string {
  return String(value ?? '').replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const COLORS: Record<string, string> = {
  critical: '#8b1a1a',
  high: '#d9480f',
  medium: '#e8a33d',
  low: '#3b7dd8',
  info: '#7a869a',
  Immediate: '#8b1a1a',
  'Out-of-cycle': '#d9480f',
  Scheduled: '#e8a33d',
  Defer: '#7a869a',
};

/** Horizontal bars, one per entry, labelled with the count. */
function bars(title: string, entries: [string, number][]): string {
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const rowH = 26;
  const rows = entries
    .map(([label, n], i) => {
      const w = Math.round((n / max) * 300);
      const y = i * rowH;
      return `<text x="0" y="${y + 17}" font-size="13">${esc(label)}</text><rect x="110" y="${y + 4}" width="${w}" height="18" fill="${COLORS[label] ?? '#3b7dd8'}"/><text x="${116 + w}" y="${y + 17}" font-size="13">${n}</text>`;
    })
    .join('');
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" width="480" height="${entries.length * rowH}" xmlns="http://www.w3.org/2000/svg">${rows}</svg></figure>`;
}

function tableOf(header: string[], rows: (string | number | null)[][], empty: string): string {
  if (rows.length === 0) return `<p class="empty">${esc(empty)}</p>`;
  return `<table><thead><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function figure(label: string, value: string): string {
  return `<div class="figure"><div class="value">${esc(value)}</div><div class="label">${esc(label)}</div></div>`;
}

export function reportHtml(r: RemediationReport): string {
  const pct = (x: number | null): string => (x === null ? '—' : `${x}%`);
  const scope = `${r.scope.group ? `group ${r.scope.group}` : 'all assets'} (${r.scope.assets}), ${r.scope.from.slice(0, 10)} to ${r.scope.to.slice(0, 10)}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<title>VulnZero remediation report</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;color:#1d2330;margin:32px auto;max-width:960px;padding:0 16px}
h1{font-size:22px;margin:0}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d5dae3;padding-bottom:4px}
.meta{color:#5b6475}.figures{display:flex;flex-wrap:wrap;gap:12px;margin:16px 0}
.figure{border:1px solid #d5dae3;border-radius:6px;padding:10px 14px;min-width:120px}
.value{font-size:22px;font-weight:600}.label{color:#5b6475;font-size:12px}
.charts{display:flex;flex-wrap:wrap;gap:24px}figure{margin:0}figcaption{font-weight:600;margin-bottom:6px}
table{border-collapse:collapse;width:100%;font-size:13px}th,td{border-bottom:1px solid #e3e7ee;padding:4px 6px;text-align:left}
th{background:#f3f5f8}.empty{color:#5b6475}
@media print{body{margin:0;max-width:none}h2{break-after:avoid}table,figure{break-inside:avoid}}
</style></head><body>
<h1>Remediation report</h1>
<p class="meta">Scope: ${esc(scope)}. Generated ${esc(r.generatedAt)} by VulnZero.</p>
<div class="figures">
${figure('open findings', String(r.open.total))}
${figure('open KEV', String(r.open.kev))}
${figure('overdue', String(r.open.overdue))}
${figure('new in period', String(r.period.newFindings))}
${figure('fixed in period', String(r.period.fixed))}
${figure('SLA compliance', pct(r.period.slaCompliancePct))}
${figure('MTTR', r.period.mttrDays === null ? '—' : `${r.period.mttrDays} days`)}
</div>
<h2>Open findings</h2>
<div class="charts">
${bars('By severity', Object.entries(r.open.bySeverity).reverse())}
${bars('By SSVC decision', Object.entries(r.open.byDecision).reverse())}
</div>
<h2>Known exploited (CISA KEV), open</h2>
${tableOf(
  ['Finding', 'CVE', 'Asset', 'Due', 'Overdue'],
  r.kevItems.map((k) => [
    k.findingId,
    k.cve,
    k.asset,
    k.dueAt.slice(0, 10),
    k.overdue ? 'yes' : 'no',
  ]),
  'No open KEV findings.',
)}
<h2>Push runs in the period</h2>
${tableOf(
  ['Run', 'Started', 'State', 'Origin', 'Hosts', 'Verified', 'Failed'],
  r.pushRuns.map((p) => [
    p.id,
    p.startedAt.slice(0, 16).replace('T', ' '),
    p.state,
    p.origin,
    p.hosts,
    p.verified,
    p.failed,
  ]),
  'No push runs in the period.',
)}
<h2>Patch success by origin</h2>
${tableOf(
  ['Origin', 'Hosts attempted', 'Verified', 'Success'],
  r.patchSuccess.map((p) => [p.origin, p.attempted, p.verified, pct(p.pct)]),
  'No pushes in the period.',
)}
<h2>Accepted risks</h2>
${tableOf(
  ['Finding', 'Title', 'Asset', 'Reason', 'Decided by', 'Expires'],
  r.acceptedRisks.map((a) => [
    a.findingId,
    a.title,
    a.asset,
    a.reason,
    a.decidedBy,
    a.expiresAt?.slice(0, 10) ?? 'never',
  ]),
  'No accepted risks.',
)}
</body></html>
`;
}
