import type { RemediationReport } from '../../../../src-preload/reports-schemas';

const pct = (v: number | null): string => (v === null ? '—' : `${v} %`);
const day = (iso: string): string => iso.slice(0, 10);

/** Horizontal bars drawn in SVG attributes (the renderer's CSP allows no inline style). */
function Bars({ title, data }: { title: string; data: Record<string, number> }) {
  const entries = Object.entries(data);
  const max = Math.max(1, ...entries.map(([, n]) => n));
  const row = 22;
  return (
    <figure className="card report-chart">
      <figcaption>{title}</figcaption>
      <svg
        role="img"
        aria-label={title}
        width="100%"
        height={entries.length * row}
        viewBox={`0 0 400 ${entries.length * row}`}
      >
        {entries.map(([label, n], i) => (
          <g key={label} transform={`translate(0 ${i * row})`}>
            <text x="0" y="15" className="chart-label">
              {label}
            </text>
            <rect x="110" y="4" height="14" width={(250 * n) / max} className="chart-bar" />
            <text x={116 + (250 * n) / max} y="15" className="chart-label">
              {n}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}

/** The report as the file shows it: figures, charts and the tables behind them. */
export function ReportPreview({ report }: { report: RemediationReport }) {
  const { open, period } = report;
  return (
    <article className="report-preview" aria-label="Report preview">
      <p className="muted">
        {report.scope.group ? `Group ${report.scope.group}` : 'All assets'} ·{' '}
        {day(report.scope.from)} to {day(report.scope.to)} · {report.scope.assets} assets
      </p>
      <div className="figures">
        {(
          [
            ['open findings', open.total],
            ['KEV open', open.kev],
            ['overdue', open.overdue],
            ['new in period', period.newFindings],
            ['fixed in period', period.fixed],
            ['SLA compliance', pct(period.slaCompliancePct)],
            ['MTTR', period.mttrDays === null ? '—' : `${period.mttrDays} days`],
          ] as const
        ).map(([label, value]) => (
          <div key={label} className="figure" data-testid={`report-${label.replace(/ /g, '-')}`}>
            <span className="figure-value">{value}</span>
            <span className="figure-label">{label}</span>
          </div>
        ))}
      </div>
      <div className="chart-grid">
        <Bars title="By severity" data={open.bySeverity} />
        <Bars title="By SSVC decision" data={open.byDecision} />
      </div>
      <h2>KEV items ({report.kevItems.length})</h2>
      {report.kevItems.length === 0 ? (
        <p className="muted">No open finding is on the KEV list.</p>
      ) : (
        <table className="table" aria-label="KEV items">
          <thead>
            <tr>
              <th>Finding</th>
              <th>CVE</th>
              <th>Asset</th>
              <th>Due</th>
            </tr>
          </thead>
          <tbody>
            {report.kevItems.map((k) => (
              <tr key={k.findingId} className={k.overdue ? 'overdue' : undefined}>
                <td>{k.findingId}</td>
                <td className="mono">{k.cve}</td>
                <td>{k.asset}</td>
                <td>
                  {k.dueAt ? day(k.dueAt) : '—'}
                  {k.overdue ? ' (overdue)' : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Push runs ({report.pushRuns.length})</h2>
      {report.patchSuccess.length > 0 && (
        <p>
          Patch success:{' '}
          {report.patchSuccess
            .map((p) => `${p.origin} ${pct(p.pct)} (${p.verified}/${p.attempted} hosts)`)
            .join(' · ')}
        </p>
      )}
      {report.pushRuns.length === 0 ? (
        <p className="muted">No push run in this period.</p>
      ) : (
        <table className="table" aria-label="Push runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Started</th>
              <th>Origin</th>
              <th>State</th>
              <th>Hosts verified / failed</th>
            </tr>
          </thead>
          <tbody>
            {report.pushRuns.map((r) => (
              <tr key={r.id}>
                <td>{r.id}</td>
                <td>{day(r.startedAt)}</td>
                <td>{r.origin}</td>
                <td>{r.state}</td>
                <td>
                  {r.verified} / {r.failed} of {r.hosts}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Accepted risks ({report.acceptedRisks.length})</h2>
      {report.acceptedRisks.length === 0 ? (
        <p className="muted">No accepted risk.</p>
      ) : (
        <table className="table" aria-label="Accepted risks">
          <thead>
            <tr>
              <th>Finding</th>
              <th>Title</th>
              <th>Asset</th>
              <th>Reason</th>
              <th>By</th>
              <th>Expires</th>
            </tr>
          </thead>
          <tbody>
            {report.acceptedRisks.map((a) => (
              <tr key={a.findingId}>
                <td>{a.findingId}</td>
                <td>{a.title}</td>
                <td>{a.asset}</td>
                <td>{a.reason}</td>
                <td>{a.decidedBy}</td>
                <td>{a.expiresAt ? day(a.expiresAt) : 'never'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </article>
  );
}
