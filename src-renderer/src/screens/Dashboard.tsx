import { useEffect, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { Output } from '../../../src-preload/contract';
import { DECISIONS, SEVERITIES, type TriageFilter } from '../../../src-preload/triage-schemas';
import { call, errorMessage } from '../api/client';
import { Feedback } from '../components/Feedback';
import { useUi } from '../stores/ui';
import { useVault } from '../stores/vault';

type Feed = Output<'feeds.status'>['feeds'][number];
type Summary = Output<'dashboard.summary'>;
type Decision = (typeof DECISIONS)[number];
type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_COLORS: Record<Severity, string> = {
  critical: '#d64545',
  high: '#f0803c',
  medium: '#f0b429',
  low: '#4aa3ff',
  info: '#8b96a5',
};
const AXIS = { fill: '#8b96a5', fontSize: 12 };
const OPEN = ['open'] as TriageFilter['status'];

/** Open findings per decision, one key per severity (the stacked bar chart's rows). */
export function decisionRows(cells: Summary['byDecisionSeverity']) {
  return [...DECISIONS].reverse().map((decision) => {
    const row: Record<string, number | string> = { decision };
    for (const s of SEVERITIES) row[s] = 0;
    for (const c of cells) if (c.decision === decision) row[c.severity] = c.count;
    return row as { decision: Decision } & Record<Severity, number>;
  });
}

function Figure({
  value,
  label,
  hint,
  onClick,
}: {
  value: string;
  label: string;
  hint?: string;
  onClick?: () => void;
}) {
  const body = (
    <>
      <span className="figure-value">{value}</span>
      <span className="figure-label">{label}</span>
      {hint && <span className="figure-hint">{hint}</span>}
    </>
  );
  return onClick ? (
    <button
      type="button"
      className="figure"
      aria-label={`${label}: ${value}${hint ? ` (${hint})` : ''}`}
      onClick={onClick}
    >
      {body}
    </button>
  ) : (
    <div className="figure">{body}</div>
  );
}

/** Figures and charts over the vault; every count opens the findings behind it. */
/** The week's Monday .. Sunday (UTC), as the weekly bars count them (triage/dashboard.ts). */
function weekDays(monday: string): { from: string; to: string } {
  const sunday = new Date(Date.parse(`${monday}T00:00:00Z`) + 6 * 86_400_000);
  return { from: monday, to: sunday.toISOString().slice(0, 10) };
}

function newInWeek(monday: string): TriageFilter {
  const { from, to } = weekDays(monday);
  return { firstSeenFrom: from, firstSeenTo: to };
}

function fixedInWeek(monday: string): TriageFilter {
  const { from, to } = weekDays(monday);
  return { status: ['fixed', 'fixed_verified'], changedFrom: from, changedTo: to };
}

export function Dashboard() {
  const navigate = useUi((s) => s.navigate);
  const startDemo = useVault((s) => s.startDemo);
  const demoBusy = useVault((s) => s.busy);
  const [feeds, setFeeds] = useState<Feed[] | null>(null);
  const [summary, setSummary] = useState<Summary | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void call((api) => api.feeds.status()).then(
      (s) => setFeeds(s.feeds),
      () => setFeeds(null),
    );
    void call((api) => api.dashboard.summary()).then(setSummary, (e: unknown) =>
      setError(errorMessage(e)),
    );
  }, []);

  const show = (filter: TriageFilter) => navigate('findings', { filter });
  const stale = feeds?.filter((f) => f.stale) ?? [];
  const rows = summary ? decisionRows(summary.byDecisionSeverity) : [];

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Dashboard</h1>
      <p className="muted">
        Open findings by decision and severity, KEV, overdue work and feed freshness.
        {summary && ` As of ${summary.generatedAt.slice(11, 16)} UTC.`}
      </p>
      {stale.length > 0 && (
        <div className="notice" role="status">
          <strong>Feeds need attention:</strong> priorities are only as good as the intelligence
          behind them.
          <ul>
            {stale.map((f) => (
              <li key={f.kind}>{f.reason}</li>
            ))}
          </ul>
          <button type="button" className="link" onClick={() => navigate('feeds')}>
            Load feeds
          </button>
        </div>
      )}
      <Feedback error={error} message={null} />
      {!summary ? (
        !error && <p className="muted">Loading figures…</p>
      ) : summary.total === 0 ? (
        <div className="card empty-state">
          <h2>No findings yet</h2>
          <p>
            Import a scan file (Nessus, OpenVAS, Qualys, Nexpose, Trivy, Grype, Wazuh…) carried in
            on removable media; its findings appear here and in the findings list.
          </p>
          {stale.length > 0 && (
            <p className="muted">
              Then load feeds (KEV, EPSS, NVD) with the button above, so decisions and due dates
              rest on current intelligence.
            </p>
          )}
          <div className="toolbar">
            <button type="button" className="primary" onClick={() => navigate('import')}>
              Import a scan file
            </button>
            <button type="button" disabled={demoBusy} onClick={() => void startDemo()}>
              {demoBusy ? 'Preparing sample data…' : 'Try with sample data'}
            </button>
          </div>
          <p className="muted">
            Sample data opens in a separate demo vault; this vault is locked first and stays as it
            is.
          </p>
        </div>
      ) : (
        <>
          <div className="figures">
            <Figure
              value={String(summary.open)}
              label="Open findings"
              onClick={() => show({ status: OPEN })}
            />
            <Figure
              value={String(summary.kevOpen)}
              label="KEV open"
              hint="known exploited"
              onClick={() => show({ status: OPEN, kev: true })}
            />
            <Figure
              value={String(summary.overdue)}
              label="Overdue"
              hint="past their due date"
              onClick={() => show({ status: OPEN, overdue: true })}
            />
            <Figure
              value={summary.mttrDays === null ? '—' : `${summary.mttrDays.toFixed(1)} d`}
              label="Mean time to remediate"
              hint="fixed in the last 12 weeks"
              onClick={() => show({ status: ['fixed', 'fixed_verified'] })}
            />
            <Figure
              value={String(summary.expiredReopened)}
              label="Acceptances expired"
              hint="reopened in the last 7 days"
              onClick={() => show({ expiredSince: summary.expiredSince })}
            />
            <Figure
              value={String(summary.total)}
              label="All findings"
              hint="every status"
              onClick={() => show({})}
            />
          </div>

          <div className="chart-grid">
            <div className="card chart-card">
              <h2>Open findings by SSVC decision and severity</h2>
              <ResponsiveContainer width="100%" height={240}>
                <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#2a323d" />
                  <XAxis dataKey="decision" tick={AXIS} />
                  <YAxis allowDecimals={false} tick={AXIS} />
                  <Tooltip cursor={{ fill: 'rgba(127,127,127,0.12)' }} />
                  <Legend />
                  {SEVERITIES.map((s) => (
                    <Bar
                      key={s}
                      dataKey={s}
                      stackId="open"
                      fill={SEVERITY_COLORS[s]}
                      isAnimationActive={false}
                      className="clickable"
                      onClick={(item) => {
                        const d = (item.payload as { decision?: Decision } | undefined)?.decision;
                        if (d) show({ status: OPEN, decision: [d], severity: [s] });
                      }}
                    />
                  ))}
                </BarChart>
              </ResponsiveContainer>
              <table
                className="table compact-table matrix"
                aria-label="Open findings by decision and severity"
              >
                <thead>
                  <tr>
                    <th>Decision</th>
                    {SEVERITIES.map((s) => (
                      <th key={s}>{s}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {[...rows].reverse().map((r) => (
                    <tr key={r.decision}>
                      <th scope="row">{r.decision}</th>
                      {SEVERITIES.map((s) => (
                        <td key={s}>
                          {r[s] > 0 ? (
                            <button
                              type="button"
                              className="link"
                              aria-label={`${r[s]} open ${s} ${r.decision}`}
                              onClick={() =>
                                show({ status: OPEN, decision: [r.decision], severity: [s] })
                              }
                            >
                              {r[s]}
                            </button>
                          ) : (
                            <span className="muted">0</span>
                          )}
                        </td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>

            <div className="card chart-card">
              <h2>Top risky assets</h2>
              {summary.topAssets.length === 0 ? (
                <p className="muted">No asset has open findings.</p>
              ) : (
                <>
                  <ResponsiveContainer
                    width="100%"
                    height={Math.max(120, summary.topAssets.length * 28 + 30)}
                  >
                    <BarChart
                      data={summary.topAssets}
                      layout="vertical"
                      margin={{ top: 4, right: 12, bottom: 0, left: 8 }}
                    >
                      <CartesianGrid strokeDasharray="3 3" stroke="#2a323d" />
                      <XAxis type="number" domain={[0, 100]} tick={AXIS} />
                      <YAxis type="category" dataKey="name" width={130} tick={AXIS} />
                      <Tooltip cursor={{ fill: 'rgba(127,127,127,0.12)' }} />
                      <Bar
                        dataKey="riskScore"
                        name="risk score"
                        fill="#4aa3ff"
                        isAnimationActive={false}
                        className="clickable"
                        onClick={(item) => {
                          const id = (item.payload as { id?: number } | undefined)?.id;
                          if (id) show({ status: OPEN, assetId: id });
                        }}
                      />
                    </BarChart>
                  </ResponsiveContainer>
                  <ol className="top-assets" aria-label="Top risky assets">
                    {summary.topAssets.map((a) => (
                      <li key={a.id}>
                        <button
                          type="button"
                          className="link"
                          onClick={() => show({ status: OPEN, assetId: a.id })}
                        >
                          {a.name}
                        </button>{' '}
                        <span className="muted small">
                          risk {a.riskScore.toFixed(1)} · {a.open} open
                        </span>
                      </li>
                    ))}
                  </ol>
                </>
              )}
            </div>

            <div className="card chart-card">
              <h2>New vs fixed per week</h2>
              <ResponsiveContainer width="100%" height={220}>
                <BarChart data={summary.weekly} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="#2a323d" />
                  <XAxis dataKey="week" tick={AXIS} tickFormatter={(w: string) => w.slice(5)} />
                  <YAxis allowDecimals={false} tick={AXIS} />
                  <Tooltip cursor={{ fill: 'rgba(127,127,127,0.12)' }} />
                  <Legend />
                  <Bar
                    dataKey="new"
                    name="new"
                    fill="#f0803c"
                    isAnimationActive={false}
                    className="clickable"
                    onClick={(item) => {
                      const w = (item.payload as { week?: string } | undefined)?.week;
                      if (w) show(newInWeek(w));
                    }}
                  />
                  <Bar
                    dataKey="fixed"
                    name="fixed"
                    fill="#3ecf8e"
                    isAnimationActive={false}
                    className="clickable"
                    onClick={(item) => {
                      const w = (item.payload as { week?: string } | undefined)?.week;
                      if (w) show(fixedInWeek(w));
                    }}
                  />
                </BarChart>
              </ResponsiveContainer>
              <details>
                <summary className="small">Weekly numbers</summary>
                <table className="table compact-table" aria-label="New and fixed per week">
                  <thead>
                    <tr>
                      <th>Week of</th>
                      <th>New</th>
                      <th>Fixed</th>
                    </tr>
                  </thead>
                  <tbody>
                    {summary.weekly.map((w) => (
                      <tr key={w.week}>
                        <td className="mono">{w.week}</td>
                        <td>
                          <button
                            type="button"
                            className="link"
                            aria-label={`${w.new} new in the week of ${w.week}`}
                            onClick={() => show(newInWeek(w.week))}
                          >
                            {w.new}
                          </button>
                        </td>
                        <td>
                          <button
                            type="button"
                            className="link"
                            aria-label={`${w.fixed} fixed in the week of ${w.week}`}
                            onClick={() => show(fixedInWeek(w.week))}
                          >
                            {w.fixed}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </details>
              <p className="muted small">
                Weeks start on Monday. Mean time to remediate:{' '}
                {summary.mttrDays === null
                  ? 'nothing fixed in the last 12 weeks'
                  : `${summary.mttrDays.toFixed(1)} days`}
                .
              </p>
            </div>

            <div className="card chart-card">
              <h2>Feed freshness</h2>
              {feeds ? (
                <table className="table compact-table" aria-label="Feed freshness">
                  <thead>
                    <tr>
                      <th>Feed</th>
                      <th>Date</th>
                      <th>Age</th>
                    </tr>
                  </thead>
                  <tbody>
                    {feeds.map((f) => (
                      <tr key={f.kind}>
                        <td className="mono">{f.kind}</td>
                        <td>
                          {f.date ? (
                            f.date.slice(0, 10)
                          ) : (
                            <span className="warn-text">not loaded</span>
                          )}
                        </td>
                        <td className={f.stale ? 'warn-text' : ''}>
                          {f.ageDays === null ? '—' : `${f.ageDays} d`}
                          {f.stale ? ' (stale)' : ''}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : (
                <p className="muted">Feed status unavailable.</p>
              )}
              <button type="button" className="link" onClick={() => navigate('feeds')}>
                Manage feeds
              </button>
            </div>
          </div>
        </>
      )}
    </section>
  );
}
