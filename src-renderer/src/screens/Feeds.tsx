import { useCallback, useEffect, useState } from 'react';
import type { EventPayload, Output } from '../../../src-preload/contract';
import { Feedback } from '../components/Feedback';
import { call, errorMessage } from '../api/client';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { JobProgress } from '../components/JobProgress';
import { useVault } from '../stores/vault';

type Status = Output<'feeds.status'>;
type Key = Output<'feeds.trustList'>[number];

/** Feed status (never hides an empty or old feed), feed/bundle import, trusted signing keys. */
export function Feeds() {
  const isAdmin = useVault((s) => s.status?.operator?.role === 'admin');
  const [status, setStatus] = useState<Status | null>(null);
  const [keys, setKeys] = useState<Key[]>([]);
  const [paths, setPaths] = useState('');
  const [bundle, setBundle] = useState('');
  const [force, setForce] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [keyName, setKeyName] = useState('');
  const [keyPem, setKeyPem] = useState('');
  const [removing, setRemoving] = useState<Key | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setStatus(await call((api) => api.feeds.status()));
      setKeys(await call((api) => api.feeds.trustList()));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const act = async (fn: () => Promise<unknown>, done?: string) => {
    setError(null);
    setMessage(null);
    try {
      await fn();
      if (done) setMessage(done);
      await load();
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const finished = useCallback(
    (p: EventPayload<'jobFinished'>) => {
      setJobId(null);
      if (p.state === 'done') setMessage('Feeds loaded.');
      else setError(p.error?.message ?? 'Feed import failed.');
      void load();
    },
    [load],
  );
  const list = paths
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Feeds</h1>
      <p className="muted">
        Vulnerability intelligence carried in as files: CISA KEV, FIRST EPSS, NVD and CVE records
        (with CISA vulnrichment).
      </p>
      {status && (
        <table className="table" aria-label="Feed status">
          <thead>
            <tr>
              <th>Feed</th>
              <th>Records</th>
              <th>Date</th>
              <th>Source</th>
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {status.feeds.map((f) => (
              <tr key={f.kind}>
                <td className="mono">{f.kind}</td>
                <td>{f.loaded ? f.records : <span className="warn-text">not loaded</span>}</td>
                <td>{f.date ? f.date.slice(0, 10) : '—'}</td>
                <td>
                  {f.loaded
                    ? f.signed
                      ? `signed bundle #${f.bundleSequence}`
                      : 'unsigned file'
                    : '—'}
                </td>
                <td className={f.stale ? 'warn-text' : ''}>
                  {f.stale ? `stale: ${f.reason}` : f.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="card stack">
        <h2>Load feeds</h2>
        {jobId ? (
          <JobProgress jobId={jobId} onFinished={finished} />
        ) : (
          <>
            <label className="field">
              Feed files (one path per line; loaded unsigned)
              <textarea
                aria-label="Feed files"
                rows={2}
                className="mono"
                value={paths}
                onChange={(e) => setPaths(e.target.value)}
              />
            </label>
            <label className="field">
              or a signed bundle
              <input
                aria-label="Bundle file"
                className="mono"
                value={bundle}
                onChange={(e) => setBundle(e.target.value)}
              />
            </label>
            {isAdmin && (
              <label>
                <input
                  type="checkbox"
                  checked={force}
                  onChange={(e) => setForce(e.target.checked)}
                />{' '}
                Accept an older bundle (rollback; audited)
              </label>
            )}
            <div>
              <button
                type="button"
                className="primary"
                disabled={list.length === 0 && !bundle}
                onClick={() =>
                  void act(async () =>
                    setJobId(
                      (
                        await call((api) =>
                          api.feeds.import(
                            bundle
                              ? { bundle, ...(force ? { allowRollback: true } : {}) }
                              : { paths: list },
                          ),
                        )
                      ).jobId,
                    ),
                  )
                }
              >
                Load
              </button>
            </div>
          </>
        )}
      </div>
      <div className="card stack">
        <h2>Trusted bundle keys</h2>
        {keys.length === 0 ? (
          <p className="muted">No trusted keys: only unsigned files can be loaded.</p>
        ) : null}
        <ul>
          {keys.map((k) => (
            <li key={k.fingerprint}>
              <span className="mono">{k.fingerprint.slice(0, 32)}…</span> {k.name}{' '}
              <span className="muted">(added by {k.addedBy})</span>{' '}
              {isAdmin && (
                <button type="button" className="link danger-text" onClick={() => setRemoving(k)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
        {isAdmin && (
          <div className="stack">
            <input
              aria-label="Key name"
              placeholder="Name (e.g. connected-side)"
              value={keyName}
              onChange={(e) => setKeyName(e.target.value)}
            />
            <textarea
              aria-label="Public key (PEM)"
              rows={4}
              className="mono"
              placeholder="-----BEGIN PUBLIC KEY-----"
              value={keyPem}
              onChange={(e) => setKeyPem(e.target.value)}
            />
            <div>
              <button
                type="button"
                disabled={!keyName || !keyPem}
                onClick={() =>
                  void act(async () => {
                    await call((api) =>
                      api.feeds.trustAdd({ name: keyName, publicKeyPem: keyPem }),
                    );
                    setKeyName('');
                    setKeyPem('');
                  }, 'Key trusted.')
                }
              >
                Trust key
              </button>
            </div>
          </div>
        )}
      </div>
      <Feedback error={error} message={message} />
      {removing && (
        <ConfirmDialog
          title={`Stop trusting ${removing.name}?`}
          confirmLabel="Remove key"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const k = removing;
            setRemoving(null);
            void act(
              () =>
                call((api) => api.feeds.trustRemove({ fingerprint: k.fingerprint, confirm: true })),
              'Key removed.',
            );
          }}
        >
          <p>Bundles signed by this key will be refused.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
