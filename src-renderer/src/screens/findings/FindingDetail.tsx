import { useEffect, useRef, useState } from 'react';
import type { TriageRow } from '../../../../src-preload/triage-schemas';
import { useFindings, type FindingDetail as Detail } from '../../stores/findings';
import { useUi } from '../../stores/ui';
import { formatEpss } from './columns';

function CopyUrl({ url }: { url: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <li className="reference">
      <code className="selectable wrap">{url}</code>{' '}
      <button
        type="button"
        className="small-button"
        aria-label={`Copy ${url}`}
        onClick={() =>
          void navigator.clipboard.writeText(url).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }
      >
        {state === 'copied' ? 'Copied' : 'Copy'}
      </button>
      {state === 'failed' && (
        <span className="error-text small"> The clipboard is not available; select the text.</span>
      )}
    </li>
  );
}

function RowList({
  rows,
  label,
  onOpen,
}: {
  rows: TriageRow[];
  label: string;
  onOpen: (id: number) => void;
}) {
  if (rows.length === 0) return <p className="muted small">None.</p>;
  return (
    <ul className="related" aria-label={label}>
      {rows.map((r) => (
        <li key={r.id}>
          <button type="button" className="link" onClick={() => void onOpen(r.id)}>
            {r.title}
          </button>{' '}
          <span className="muted small">
            {r.assetName} · {r.status} · {r.decision} · risk {r.riskScore.toFixed(1)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Untrusted scanner text: always a text node inside <pre>, never markup. */
function TextBlock({ label, text, empty }: { label: string; text: string | null; empty: string }) {
  return (
    <section aria-label={label}>
      <h3>{label}</h3>
      {text ? <pre className="untrusted">{text}</pre> : <p className="muted small">{empty}</p>}
    </section>
  );
}

const PART_LABEL = { score: 'Risk score', ssvc: 'SSVC', sla: 'SLA' } as const;

function Body({ d }: { d: Detail }) {
  const openDetail = useFindings((s) => s.openDetail);
  const navigate = useUi((s) => s.navigate);
  const r = d.row;
  const identity = [d.asset.ip, d.asset.hostname, d.asset.fqdn, d.asset.mac]
    .filter(Boolean)
    .join(' · ');
  return (
    <>
      <dl className="facts">
        <dt>Status</dt>
        <dd>
          {r.status}
          {r.statusReason ? ` (${r.statusReason})` : ''}
        </dd>
        <dt>Decision</dt>
        <dd>
          {r.decision} · risk <span data-testid="detail-risk">{r.riskScore.toFixed(1)}</span>
        </dd>
        <dt>Kind</dt>
        <dd data-testid="detail-kind">{r.kind}</dd>
        {r.location && (
          <>
            <dt>Location</dt>
            <dd className="mono" data-testid="detail-location">
              {r.location}
            </dd>
          </>
        )}
        <dt>Severity</dt>
        <dd>
          {r.severity}
          {d.cvss3 !== null ? ` · CVSS ${d.cvss3}` : ''}
          {d.cvss3Vector ? <span className="mono small"> {d.cvss3Vector}</span> : null}
        </dd>
        <dt>Due</dt>
        <dd className={r.overdue ? 'warn-text' : ''}>
          {r.dueAt.slice(0, 10)}
          {r.overdue ? ' (overdue)' : ''}
        </dd>
        <dt>CVE</dt>
        <dd className="mono">{r.cves.join(', ') || '—'}</dd>
        <dt>KEV · EPSS</dt>
        <dd>
          {r.kev ? 'in KEV' : 'not in KEV'} · {formatEpss(r.epss)}
        </dd>
        {d.cwes.length > 0 && (
          <>
            <dt>CWE</dt>
            <dd className="mono">{d.cwes.join(', ')}</dd>
          </>
        )}
        <dt>Asset</dt>
        <dd>
          {d.asset.displayName}
          <span className="muted small">
            {' '}
            {identity}
            {d.asset.os ? ` · ${d.asset.os}` : ''}
            {d.asset.image ? ` · ${d.asset.image}` : ''} · criticality {d.asset.criticality} ·
            exposure {d.asset.exposure}
          </span>
        </dd>
        <dt>Port / service</dt>
        <dd>
          {r.port === null ? '—' : `${r.port}/${r.protocol ?? ''}`}
          {d.service ? ` · ${d.service}` : ''}
        </dd>
        <dt>Component</dt>
        <dd>
          {r.component ?? '—'}
          {r.fixedVersion ? ` · fixed in ${r.fixedVersion}` : ''}
          {d.componentPath ? <div className="mono small wrap">{d.componentPath}</div> : null}
          {d.componentPurl ? <div className="mono small wrap">{d.componentPurl}</div> : null}
        </dd>
        <dt>Scanner</dt>
        <dd>
          {r.scanner} · <span className="mono small">{d.vulnerabilityKey}</span>
        </dd>
        <dt>Owner · tags</dt>
        <dd>
          {r.owner ?? 'unassigned'} · {r.tags.length > 0 ? r.tags.join(', ') : 'no tags'}
        </dd>
        <dt>Seen</dt>
        <dd>
          {r.firstSeen.slice(0, 10)} → {r.lastSeen.slice(0, 10)}
        </dd>
      </dl>

      <div className="card draft-card">
        <button
          type="button"
          className="primary"
          onClick={() => navigate('drafts', { findingId: r.id })}
        >
          Draft a fix
        </button>{' '}
        <span className="muted small">
          Opens Drafts with this finding queued: a rule draft when one applies, else the local
          model.
        </span>
      </div>

      <TextBlock
        label="Description"
        text={d.description}
        empty="No description: CVE descriptions come with the NVD or CVE feeds."
      />
      <TextBlock label="Evidence" text={d.evidence} empty="The scanner recorded no evidence." />
      <TextBlock label="Solution" text={d.solution} empty="The scanner gave no solution." />

      <section aria-label="References">
        <h3>References</h3>
        {d.references.length === 0 ? (
          <p className="muted small">None.</p>
        ) : (
          <ul className="references">
            {d.references.map((u) => (
              <CopyUrl key={u} url={u} />
            ))}
          </ul>
        )}
      </section>

      <section aria-label="Prioritization">
        <h3>Why this priority</h3>
        <table className="table compact-table" aria-label="Priority inputs">
          <thead>
            <tr>
              <th>For</th>
              <th>Input</th>
              <th>Value</th>
              <th>Source</th>
              <th>Date</th>
            </tr>
          </thead>
          <tbody>
            {d.prioritySources.map((p) => (
              <tr key={`${p.part}-${p.input}`}>
                <td className="muted">{PART_LABEL[p.part]}</td>
                <td>{p.input}</td>
                <td>{p.value}</td>
                <td className="muted">{p.source}</td>
                <td className="mono small">{p.date ? p.date.slice(0, 10) : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="table compact-table" aria-label="Score breakdown">
          <thead>
            <tr>
              <th>Score component</th>
              <th>Weight</th>
              <th>Factor</th>
              <th>Points</th>
              <th>Why</th>
            </tr>
          </thead>
          <tbody>
            {d.scoreBreakdown.map((c) => (
              <tr key={c.component}>
                <td>{c.component}</td>
                <td>{c.weight}</td>
                <td>{c.factor.toFixed(2)}</td>
                <td>{c.points.toFixed(1)}</td>
                <td className="muted">{c.explanation}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="small">
          <strong>Due:</strong> {d.dueExplanation}
        </p>
      </section>

      <section aria-label="History">
        <h3>History</h3>
        <table className="table compact-table" aria-label="Scans that saw it">
          <thead>
            <tr>
              <th>Scan file</th>
              <th>Scanner</th>
              <th>Imported</th>
            </tr>
          </thead>
          <tbody>
            {d.scans.map((s) => (
              <tr key={s.id}>
                <td className="wrap">{s.fileName}</td>
                <td>{s.scanner}</td>
                <td>{s.importedAt.slice(0, 16).replace('T', ' ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {d.decisions.length === 0 ? (
          <p className="muted small">No risk decisions yet.</p>
        ) : (
          <table className="table compact-table" aria-label="Decisions">
            <thead>
              <tr>
                <th>Decision</th>
                <th>Why</th>
                <th>By</th>
                <th>When</th>
                <th>Expires</th>
              </tr>
            </thead>
            <tbody>
              {d.decisions.map((x) => (
                <tr key={x.id} className={x.revokedAt ? 'muted' : ''}>
                  <td>
                    {x.kind}
                    {x.revokedAt ? ' (revoked)' : ''}
                  </td>
                  <td>{x.reason}</td>
                  <td>{x.decidedBy}</td>
                  <td>{x.decidedAt.slice(0, 10)}</td>
                  <td>{x.expiresAt?.slice(0, 10) ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-label="Same CVE on other assets">
        <h3>Same CVE on other assets</h3>
        <RowList
          rows={d.sameCveOtherAssets}
          label="Same CVE on other assets"
          onOpen={(id) => void openDetail(id)}
        />
      </section>
      <section aria-label="Other findings on this asset">
        <h3>Other findings on this asset</h3>
        <RowList
          rows={d.otherOnAsset}
          label="Other findings on this asset"
          onOpen={(id) => void openDetail(id)}
        />
      </section>
    </>
  );
}

/** The detail panel beside the table; Escape or the close button hides it. */
export function FindingDetailPanel() {
  const detailId = useFindings((s) => s.detailId);
  const detail = useFindings((s) => s.detail);
  const error = useFindings((s) => s.detailError);
  const close = useFindings((s) => s.closeDetail);
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollTo({ top: 0 });
  }, [detailId]);
  if (detailId === null) return null;
  return (
    <aside
      ref={ref}
      className="detail-panel"
      aria-label="Finding detail"
      aria-busy={!detail && !error}
    >
      <div className="detail-head">
        <h2>{detail?.row.title ?? `Finding #${detailId}`}</h2>
        <button type="button" aria-label="Close detail" onClick={close}>
          ×
        </button>
      </div>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : detail ? (
        <Body d={detail} />
      ) : (
        <p className="muted">Loading…</p>
      )}
    </aside>
  );
}
