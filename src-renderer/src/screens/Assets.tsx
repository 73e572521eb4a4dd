import { useCallback, useEffect, useState } from 'react';
import type { Output } from '../../../src-preload/contract';
import { Feedback } from '../components/Feedback';
import { call, errorMessage } from '../api/client';

type Asset = Output<'assets.list'>[number];
const CRITICALITY = ['low', 'medium', 'high', 'critical'] as const;
const EXPOSURE = ['internet', 'internal', 'isolated'] as const;

/** Assets with criticality and exposure, edited one by one or in bulk (selection, CIDR, name pattern). */
export function Assets() {
  const [assets, setAssets] = useState<Asset[]>([]);
  const [selected, setSelected] = useState<Set<number>>(new Set());
  const [scope, setScope] = useState<'selection' | 'cidr' | 'pattern'>('selection');
  const [target, setTarget] = useState('');
  const [criticality, setCriticality] = useState('');
  const [exposure, setExposure] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setAssets(await call((api) => api.assets.list({ limit: 1000 })));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

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
        ...(criticality ? { criticality: criticality as (typeof CRITICALITY)[number] } : {}),
        ...(exposure ? { exposure: exposure as (typeof EXPOSURE)[number] } : {}),
      };
      const r = await call((api) => api.assets.set({ ...selector, ...change }));
      setMessage(`Updated ${r.updated} asset(s). Priorities follow.`);
      await load();
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

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Assets</h1>
      {assets.length === 0 ? (
        <p className="muted">No assets yet: import a scanner export first.</p>
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
          <table className="table" aria-label="Assets">
            <thead>
              <tr>
                <th />
                <th>Asset</th>
                <th>IP</th>
                <th>OS</th>
                <th>Criticality</th>
                <th>Exposure</th>
                <th>Open findings</th>
              </tr>
            </thead>
            <tbody>
              {assets.map((a) => (
                <tr key={a.id}>
                  <td>
                    <input
                      type="checkbox"
                      aria-label={`Select ${a.displayName}`}
                      checked={selected.has(a.id)}
                      onChange={() => toggle(a.id)}
                    />
                  </td>
                  <td>{a.displayName}</td>
                  <td className="mono">{a.ip ?? ''}</td>
                  <td>{a.os ?? ''}</td>
                  <td>{a.criticality}</td>
                  <td>{a.exposure}</td>
                  <td>{a.openFindings}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
