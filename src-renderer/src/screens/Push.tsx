import { useEffect } from 'react';
import { Feedback } from '../components/Feedback';
import { useHosts, usePush } from '../stores/push';
import { HostsPanel } from './push/HostsPanel';
import { RunHistory } from './push/RunHistory';
import { RunView } from './push/RunView';
import { StartRun } from './push/StartRun';

/**
 * Push: start a run from a live approval, watch its waves host by host as the core
 * streams updates, read transcripts, abort, resume, roll one host back; run history;
 * the hosts and their pinned keys.
 */
export function Push() {
  const listen = usePush((s) => s.listen);
  const refreshStatus = usePush((s) => s.refreshStatus);
  const status = usePush((s) => s.status);
  const job = usePush((s) => s.job);
  const error = usePush((s) => s.error);
  const message = usePush((s) => s.message);
  const selectedRunId = usePush((s) => s.selectedRunId);
  const polling = status?.state === 'running' || job !== null;

  useEffect(() => listen(), [listen]);
  useEffect(() => {
    const s = usePush.getState();
    void s.loadApprovals();
    void s.loadRuns().then(() => {
      const p = usePush.getState();
      if (p.selectedRunId === null && p.runs[0]) void p.selectRun(p.runs[0].id);
      else void p.refreshStatus();
    });
    useHosts.setState({ error: null, message: null });
    void useHosts.getState().load();
  }, []);
  // While a run is live, its status is read every second (and on every update).
  useEffect(() => {
    if (!polling) return;
    const timer = setInterval(() => void refreshStatus(), 1000);
    return () => clearInterval(timer);
  }, [polling, refreshStatus]);

  return (
    <section className="screen push-screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Push</h1>
      <p className="muted">
        Approved fixes over SSH in waves: a canary, then a share of the rest, then the rest; verify,
        roll back on failure, a circuit breaker between waves.
      </p>
      <div aria-live="polite">
        <Feedback error={error} message={message} />
      </div>
      <div className="push-body">
        <StartRun />
        {job && job.runId === null && (
          <p className="muted" role="status">
            Starting the run…
          </p>
        )}
        {status ? (
          <RunView />
        ) : selectedRunId !== null ? (
          <p className="muted">Loading run #{selectedRunId}…</p>
        ) : null}
        <RunHistory />
        <HostsPanel />
      </div>
    </section>
  );
}
