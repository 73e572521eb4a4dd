import { useCallback, useEffect, useState } from 'react';
import type { HealthReport, JobRecord } from '../../../src-preload/ops-schemas';
import { bridge, call, errorMessage } from '../api/client';
import { Feedback } from '../components/Feedback';
import { HealthPanel } from './operations/HealthPanel';
import { JobsTable } from './operations/JobsTable';

/** What the app did in the background (Jobs) and what needs attention (Health). */
export function Operations() {
  const [health, setHealth] = useState<HealthReport | null>(null);
  const [jobs, setJobs] = useState<JobRecord[]>([]);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setHealth(await call((api) => api.ops.health()));
      setJobs(await call((api) => api.jobs.history({ limit: 200 })));
    } catch (e) {
      setError(errorMessage(e));
    }
  }, []);
  useEffect(() => {
    void load();
    // A job starting or ending anywhere in the app refreshes the view.
    const api = bridge();
    const off = api.events.onJobFinished(() => void load());
    return off;
  }, [load]);

  const act = async (fn: () => Promise<string>) => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      setMessage(await fn());
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
      await load();
    }
  };

  return (
    <section className="screen stack" aria-labelledby="screen-title">
      <h1 id="screen-title">Operations</h1>
      <p className="muted">
        Background work and the state of this installation. Logs stay beside the vault; ids and
        counts only, never secrets or finding text. <code>vulnzero diagnostics --out FILE</code>{' '}
        writes a redacted bundle for support.
      </p>
      <Feedback error={error} message={message} />
      {health && (
        <HealthPanel
          health={health}
          busy={busy}
          onCheckBackup={() =>
            void act(async () => {
              const check = await call((api) => api.vault.checkBackup({}));
              return check.ok
                ? `Backup #${check.backupId} decrypts and passes its integrity check.`
                : `Backup #${check.backupId} FAILED its check: ${check.problem ?? ''}`;
            })
          }
        />
      )}
      <div className="card stack">
        <div className="row-between">
          <h2>Jobs</h2>
          <button type="button" className="link" onClick={() => void load()}>
            Refresh
          </button>
        </div>
        <JobsTable
          jobs={jobs}
          onCancel={(jobId) =>
            void act(async () => {
              const { cancelled } = await call((api) => api.jobs.cancel({ jobId }));
              return cancelled
                ? 'Cancel requested: the job stops at its next safe point.'
                : 'That job had already finished.';
            })
          }
        />
      </div>
    </section>
  );
}
