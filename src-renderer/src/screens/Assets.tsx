import { useCallback, useEffect, useRef, useState } from 'react';
import type { Output } from '../../../src-preload/contract';
import { call, errorMessage } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { Feedback } from '../components/Feedback';
import { useUi } from '../stores/ui';

type Asset = Output<'assets.list'>[number];
type Detail = Output<'assets.detail'>;
type Criticality = Asset['criticality'];
type Exposure = Asset['exposure'];
const CRITICALITY = ['low', 'medium', 'high', 'critical'] as const;
const EXPOSURE = ['internet', 'internal', 'isolated'] as const;
const PAGE = 200;

type Pending =
  | { kind: 'merge'; fromId: number; intoId: number; fromName: string }
  | { kind: 'split'; mergeId: number; fromAssetId: number };

/** One asset: identity, single edit, merge into another asset and split past merges. */
function AssetPanel({
  id,
  onChanged,
  onClose,
}: {
  id: number;
  onChanged: (message: string) => Promise<void>;
  onClose: () => void;
}) {
  const [detail, setDetail] = useState<Detail | null>(null);
  const [criticality, setCriticality] = useState<Criticality | ''>('');
  const [exposure, setExposure] = useState<Exposure | ''>('');
  const [intoId, setIntoId] = useState('');
  const [pending, setPending] = useState<Pending | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      const d = await call((api) => api.assets.detail({ id }));
      setDetail(d);
      setCriticality(d.criticality);
      setExposure(d.exposure);
      setError(null);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [id]);
  useEffect(() => {
    setDetail(null);
    void load();
  }, [load]);

  const run = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    try {
      const message = await fn();
      await onChanged(message);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const target = Number(intoId);
  const mergeReady = Number.isInteger(target) && target > 0 && target !== id;

  return (
    <aside className="detail-panel" aria-label="Asset detail">
      <div className="detail-head">
        <h2>{detail?.displayName ?? `Asset #${id}`}</h2>
        <button type="button" aria-label="Close asset detail" onClick={onClose}>
          ×
        </button>
      </div>
      {error && (
        <p role="alert" className="error-text">
          {error}
        </p>
      )}
      {!detail ? (
        !error && <p className="muted">Loading…</p>
      ) : (
        <>
          <dl className="facts">
            <dt>Asset id</dt>
            <dd className="mono">#{detail.id}</dd>
            <dt>OS / image</dt>
            <dd>{[detail.os, detail.image].filter(Boolean).join(' · ') || '—'}</dd>
            <dt>Open findings</dt>
            <dd>
              {detail.openFindings} · highest risk {detail.riskScore.toFixed(1)}
            </dd>
          </dl>

          <section aria-label="Priority inputs">
            <h3>Criticality and exposure</h3>
            <div className="inline-form">
              <label className="field compact">
                Asset criticality
                <select
                  aria-label="Asset criticality"
                  value={criticality}
                  onChange={(e) => setCriticality(e.target.value as Criticality)}
                >
                  {CRITICALITY.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <label className="field compact">
                Asset exposure
                <select
                  aria-label="Asset exposure"
                  value={exposure}
                  onChange={(e) => setExposure(e.target.value as Exposure)}
                >
                  {EXPOSURE.map((c) => (
                    <option key={c}>{c}</option>
                  ))}
                </select>
              </label>
              <button
                type="button"
                className="primary"
                disabled={
                  busy || (criticality === detail.criticality && exposure === detail.exposure)
                }
                onClick={() =>
                  void run(async () => {
                    const r = await call((api) =>
                      api.assets.set({
                        ids: [id],
                        ...(criticality ? { criticality } : {}),
                        ...(exposure ? { exposure } : {}),
                      }),
                    );
                    return `Updated ${r.updated} asset(s). Priorities follow.`;
                  })
                }
              >
                Save asset
              </button>
            </div>
            <p className="muted small">
              Criticality sets the SSVC human impact, exposure the system exposure; the findings’
              decisions, scores and due dates are recomputed.
            </p>
          </section>

          <section aria-label="Identity">
            <h3>Identity</h3>
            {detail.identifiers.length === 0 ? (
              <p className="muted small">No identifiers recorded.</p>
            ) : (
              <table className="table compact-table" aria-label="Identifiers">
                <thead>
                  <tr>
                    <th>Kind</th>
                    <th>Value</th>
                    <th>First seen</th>
                  </tr>
                </thead>
                <tbody>
                  {detail.identifiers.map((x) => (
                    <tr key={`${x.kind}:${x.value}`}>
                      <td>{x.kind}</td>
                      <td className="mono wrap">{x.value}</td>
                      <td>{x.firstSeen.slice(0, 10)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          <section aria-label="Merge">
            <h3>Merge</h3>
            <p className="muted small">
              When two records are the same machine, merge this one into the other: its findings and
              identifiers move there. A merge can be split again.
            </p>
            <div className="inline-form">
              <label className="field compact">
                Merge into asset id
                <input
                  aria-label="Merge into asset id"
                  inputMode="numeric"
                  placeholder="e.g. 12"
                  value={intoId}
                  onChange={(e) => setIntoId(e.target.value.replace(/[^\d]/g, ''))}
                />
              </label>
              <button
                type="button"
                disabled={busy || !mergeReady}
                onClick={() =>
                  setPending({
                    kind: 'merge',
                    fromId: id,
                    intoId: target,
                    fromName: detail.displayName,
                  })
                }
              >
                Merge…
              </button>
            </div>
            {detail.merges.length > 0 && (
              <table className="table compact-table" aria-label="Merge history">
                <thead>
                  <tr>
                    <th>Merged</th>
                    <th>Why</th>
                    <th>When</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {detail.merges.map((m) => (
                    <tr key={m.id}>
                      <td className="mono">
                        #{m.fromAssetId} → #{m.intoAssetId}
                      </td>
                      <td>{m.reason}</td>
                      <td>{m.mergedAt.slice(0, 10)}</td>
                      <td>
                        {m.splitAt ? (
                          <span className="muted">split {m.splitAt.slice(0, 10)}</span>
                        ) : (
                          <button
                            type="button"
                            disabled={busy}
                            onClick={() =>
                              setPending({
                                kind: 'split',
                                mergeId: m.id,
                                fromAssetId: m.fromAssetId,
                              })
                            }
                          >
                            Split…
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
      {pending?.kind === 'merge' && (
        <ConfirmDialog
          title={`Merge ${pending.fromName} into asset #${pending.intoId}?`}
          confirmLabel="Merge assets"
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const p = pending;
            setPending(null);
            void run(async () => {
              await call((api) =>
                api.assets.merge({ fromId: p.fromId, intoId: p.intoId, confirm: true }),
              );
              onClose();
              return `Merged ${p.fromName} into asset #${p.intoId}. Split it from that asset’s history to undo.`;
            });
          }}
        >
          <p>
            Findings and identifiers of #{pending.fromId} move to #{pending.intoId}; #
            {pending.fromId} disappears from the list until the merge is split.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'split' && (
        <ConfirmDialog
          title={`Split asset #${pending.fromAssetId} out again?`}
          confirmLabel="Split merge"
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const p = pending;
            setPending(null);
            void run(async () => {
              await call((api) => api.assets.split({ mergeId: p.mergeId, confirm: true }));
              return `Asset #${p.fromAssetId} is back on its own.`;
            });
          }}
        >
          <p>The merged asset and its identifiers come back as a separate asset.</p>
        </ConfirmDialog>
      )}
    </aside>
  );
}

/** Assets with risk and counts, edited one by one or in bulk (selection, CIDR, name pattern). */
export function Assets() {
  const navigate = useUi((s) => s.navigate);
  const [assets, setAssets] = useState<Asset[]>([]);
  const [loaded, setLoaded] = useState(false);
  const [more, setMore] = useState(false);
  const [q, setQ] = useState('');
  const [query, setQuery] = useState('');
  const [openId, setOpenId] = useState<number | null>(null);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [scope, setScope] = useState<'selection' | 'cidr' | 'pattern'>('selection');
  const [target, setTarget] = useState('');
  const [criticality, setCriticality] = useState('');
  const [exposure, setExposure] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);

  const load = useCallback(
    async (afterId?: number) => {
      try {
        const page = await call((api) =>
          api.assets.list({
            limit: PAGE,
            ...(afterId ? { afterId } : {}),
            ...(query ? { q: query } : {}),
          }),
        );
        setAssets((prev) => (afterId ? [...prev, ...page] : page));
        setMore(page.length === PAGE);
        setLoaded(true);
      } catch (e) {
        setError(errorMessage(e));
        setLoaded(true);
      }
    },
    [query],
  );
  useEffect(() => {
    void load();
  }, [load]);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);

  /** Reloads every row shown so far (after an edit, counts and scores change). */
  const refresh = useCallback(async () => {
    try {
      const limit = Math.min(1000, Math.max(PAGE, assets.length));
      const rows = await call((api) => api.assets.list({ limit, ...(query ? { q: query } : {}) }));
      setAssets(rows);
      setMore(rows.length === limit);
    } catch (e) {
      setError(errorMessage(e));
    }
  }, [assets.length, query]);

  const apply = async () => {
    setError(null);
    setMessage(null);
    try {
      const selector =
        scope === 'selection'
          ? { ids: [...selected] }
          : scope === 'cidr'
            ? { cidr: target }
            : { pattern: target };
      const change = {
        ...(criticality ? { criticality: criticality as Criticality } : {}),
        ...(exposure ? { exposure: exposure as Exposure } : {}),
      };
      const r = await call((api) => api.assets.set({ ...selector, ...change }));
      setMessage(`Updated ${r.updated} asset(s). Priorities follow.`);
      await refresh();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const toggle = (id: number) => {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  };
  const search = (value: string) => {
    if (timer.current) clearTimeout(timer.current);
    setQuery(value.trim());
  };

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Assets</h1>
      <div className="toolbar">
        <label className="field compact">
          Search assets
          <input
            aria-label="Search assets"
            placeholder="name, IP or MAC"
            value={q}
            onChange={(e) => {
              setQ(e.target.value);
              if (timer.current) clearTimeout(timer.current);
              const v = e.target.value;
              timer.current = setTimeout(() => search(v), 350);
            }}
            onKeyDown={(e) => e.key === 'Enter' && search(q)}
          />
        </label>
      </div>
      {loaded && assets.length === 0 && !query ? (
        <div className="card empty-state">
          <p>No assets yet: assets come from scanner exports.</p>
          <button type="button" onClick={() => navigate('import')}>
            Import a scan file
          </button>
        </div>
      ) : (
        <>
          <div className="card inline-form">
            <select
              aria-label="Apply to"
              value={scope}
              onChange={(e) => setScope(e.target.value as typeof scope)}
            >
              <option value="selection">Selected assets ({selected.size})</option>
              <option value="cidr">Addresses in CIDR</option>
              <option value="pattern">Names matching pattern</option>
            </select>
            {scope !== 'selection' && (
              <input
                aria-label={scope === 'cidr' ? 'CIDR' : 'Name pattern'}
                placeholder={scope === 'cidr' ? '10.0.0.0/8' : '*.dmz.example'}
                value={target}
                onChange={(e) => setTarget(e.target.value)}
              />
            )}
            <select
              aria-label="Criticality"
              value={criticality}
              onChange={(e) => setCriticality(e.target.value)}
            >
              <option value="">criticality unchanged</option>
              {CRITICALITY.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <select
              aria-label="Exposure"
              value={exposure}
              onChange={(e) => setExposure(e.target.value)}
            >
              <option value="">exposure unchanged</option>
              {EXPOSURE.map((c) => (
                <option key={c}>{c}</option>
              ))}
            </select>
            <button
              type="button"
              className="primary"
              disabled={
                (!criticality && !exposure) ||
                (scope === 'selection' ? selected.size === 0 : !target)
              }
              onClick={() => void apply()}
            >
              Apply
            </button>
          </div>
          <Feedback error={error} message={message} />
          <div className={openId === null ? 'findings-body' : 'findings-body with-detail'}>
            <div className="findings-main scroll-y">
              {assets.length === 0 ? (
                <p className="muted">No asset matches “{query}”.</p>
              ) : (
                <table className="table" aria-label="Assets">
                  <thead>
                    <tr>
                      <th>
                        <input
                          type="checkbox"
                          aria-label="Select every listed asset"
                          checked={selected.size > 0 && selected.size === assets.length}
                          onChange={(e) =>
                            setSelected(
                              e.target.checked ? new Set(assets.map((a) => a.id)) : new Set(),
                            )
                          }
                        />
                      </th>
                      <th>Asset</th>
                      <th>IP</th>
                      <th>OS</th>
                      <th>Criticality</th>
                      <th>Exposure</th>
                      <th>Risk</th>
                      <th>Open findings</th>
                    </tr>
                  </thead>
                  <tbody>
                    {assets.map((a) => (
                      <tr key={a.id} className={openId === a.id ? 'focused' : ''}>
                        <td>
                          <input
                            type="checkbox"
                            aria-label={`Select ${a.displayName}`}
                            checked={selected.has(a.id)}
                            onChange={() => toggle(a.id)}
                          />
                        </td>
                        <td>
                          <button type="button" className="link" onClick={() => setOpenId(a.id)}>
                            {a.displayName}
                          </button>
                        </td>
                        <td className="mono">{a.ip ?? ''}</td>
                        <td>{a.os ?? ''}</td>
                        <td>{a.criticality}</td>
                        <td>{a.exposure}</td>
                        <td className="mono">{a.riskScore.toFixed(1)}</td>
                        <td>
                          {a.openFindings > 0 ? (
                            <button
                              type="button"
                              className="link"
                              aria-label={`Show the ${a.openFindings} open findings of ${a.displayName}`}
                              onClick={() =>
                                navigate('findings', {
                                  filter: { status: ['open'], assetId: a.id },
                                })
                              }
                            >
                              {a.openFindings}
                            </button>
                          ) : (
                            <span className="muted">0</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
              {more && (
                <button type="button" onClick={() => void load(assets[assets.length - 1]?.id)}>
                  Load more assets
                </button>
              )}
            </div>
            {openId !== null && (
              <AssetPanel
                key={openId}
                id={openId}
                onClose={() => setOpenId(null)}
                onChanged={async (m) => {
                  setError(null);
                  setMessage(m);
                  await refresh();
                }}
              />
            )}
          </div>
        </>
      )}
    </section>
  );
}
