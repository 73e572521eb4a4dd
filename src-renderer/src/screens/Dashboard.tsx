import { useEffect, useState } from 'react';
import type { Output } from '../../../src-preload/contract';
import { call } from '../api/client';
import { useUi } from '../stores/ui';

type Feed = Output<'feeds.status'>['feeds'][number];

/** The dashboard (charts come with the triage work); today it warns about stale or missing feeds. */
export function Dashboard() {
  const navigate = useUi((s) => s.navigate);
  const [stale, setStale] = useState<Feed[] | null>(null);
  useEffect(() => {
    void call((api) => api.feeds.status()).then(
      (s) => setStale(s.feeds.filter((f) => f.stale)),
      () => setStale(null),
    );
  }, []);
  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Dashboard</h1>
      <p className="muted">
        Open findings by decision and severity, KEV, overdue work and feed freshness.
      </p>
      {stale && stale.length > 0 && (
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
    </section>
  );
}
