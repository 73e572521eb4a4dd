import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ReasonDialog } from '../../components/ReasonDialog';
import {
  RESUMABLE_HOST_STATES,
  canAbandon,
  canResume,
  canRollBack,
  groupByWave,
  hostStateText,
  stateClass,
  stepsOf,
  usePush,
  waveLabel,
  type RunHost,
} from '../../stores/push';
import { Transcript } from './Transcript';

type Pending =
  | { kind: 'abort' }
  | { kind: 'resume' }
  | { kind: 'abandon' }
  | { kind: 'rollback'; host: RunHost };

/** The steps a host went through, each with its state. */
function StepChips({ hostId }: { hostId: number }) {
  const status = usePush((s) => s.status);
  const steps = stepsOf(status, hostId);
  if (!steps.length) return <span className="muted small">—</span>;
  return (
    <span className="step-chips">
      {steps.map((s, i) => (
        <span key={i} className={`step-chip step-${s.state}`} title={`${s.step}: ${s.state}`}>
          {s.step}
        </span>
      ))}
    </span>
  );
}

/** One run: its state, the breaker, the wave plan with live per-host progress, the transcript. */
export function RunView() {
  const status = usePush((s) => s.status);
  const live = usePush((s) => s.live);
  const job = usePush((s) => s.job);
  const busy = usePush((s) => s.busy);
  const transcriptHostId = usePush((s) => s.transcriptHostId);
  const showTranscript = usePush((s) => s.showTranscript);
  const abort = usePush((s) => s.abort);
  const resume = usePush((s) => s.resume);
  const abandon = usePush((s) => s.abandon);
  const rollbackHost = usePush((s) => s.rollbackHost);
  const [pending, setPending] = useState<Pending | null>(null);
  if (!status) return null;

  const jobHere = job !== null && (job.runId === status.id || job.runId === null);
  const running = status.state === 'running';
  const waves = groupByWave(status.hosts);
  const resumable = status.hosts.filter((h) =>
    (RESUMABLE_HOST_STATES as readonly string[]).includes(h.state),
  );
  const pendingCount = status.hosts.filter((h) => h.state === 'pending').length;
  const done = status.hosts.filter((h) => h.state !== 'pending' && h.state !== 'running').length;

  return (
    <section className="card run-view" aria-label={`Run ${status.id}`}>
      <div className="section-head">
        <h2>
          Run #{status.id}{' '}
          <span className={`run-state ${stateClass(status.state)}`} data-testid="run-state">
            {status.state}
          </span>{' '}
          {status.options.dryRun ? <span className="dry-run-badge">DRY RUN</span> : null}
        </h2>
        <div className="toolbar">
          {jobHere && job && (running || job.runId === null) && (
            <button
              type="button"
              className="danger"
              disabled={!job.jobId || job.cancelling}
              onClick={() => setPending({ kind: 'abort' })}
            >
              {job.cancelling ? 'Aborting…' : 'Abort'}
            </button>
          )}
          {canResume(status) && (
            <button
              type="button"
              className="primary"
              disabled={busy || job !== null}
              onClick={() => setPending({ kind: 'resume' })}
            >
              Resume…
            </button>
          )}
          {canAbandon(status) && (
            <button
              type="button"
              className="danger"
              disabled={busy || job !== null}
              onClick={() => setPending({ kind: 'abandon' })}
            >
              Abandon…
            </button>
          )}
        </div>
      </div>
      <p className="muted small">
        Approval #{status.approvalId} · started by {status.startedBy}{' '}
        {new Date(status.startedAt).toLocaleString()}
        {status.finishedAt ? ` · finished ${new Date(status.finishedAt).toLocaleString()}` : ''} ·
        concurrency {status.options.concurrency} · {done} of {status.hosts.length} hosts done
      </p>
      <progress
        className="run-progress"
        max={Math.max(1, status.hosts.length)}
        value={done}
        aria-label="Hosts done"
      />
      {status.state === 'paused' && (
        <div className="breaker" role="alert" data-testid="breaker">
          <strong>PAUSED by the circuit breaker</strong>
          <p>{status.error ?? 'Too many hosts failed in a wave.'}</p>
          <p className="small">
            Read the failed hosts&apos; transcripts, then Resume the next waves or leave the run
            paused. {resumable.length} host{resumable.length === 1 ? '' : 's'} not started.
          </p>
        </div>
      )}
      {status.state === 'abandoned' && (
        <p className="warn-text" role="note" data-testid="run-abandoned">
          <strong>ABANDONED</strong>
          {status.error ? `: ${status.error}` : ''} — its remaining hosts will not run.
        </p>
      )}
      {status.state !== 'paused' && status.state !== 'abandoned' && status.error && (
        <p className="error-text" role="alert" data-testid="run-error">
          {status.error}
        </p>
      )}

      {waves.map(({ wave, hosts }) => (
        <div key={wave} className="wave" data-wave={wave}>
          <h3 className="wave-title">
            {waveLabel(wave, waves.length)}{' '}
            <span className="muted small">
              ({hosts.length} host{hosts.length === 1 ? '' : 's'})
            </span>
          </h3>
          <table className="table compact-table" aria-label={`Wave ${wave + 1} hosts`}>
            <thead>
              <tr>
                <th>Host</th>
                <th>State</th>
                <th>Steps</th>
                <th>Last event</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {hosts.map((h) => {
                const u = live[h.hostId];
                const note = h.error ?? u?.message ?? null;
                return (
                  <tr
                    key={h.hostId}
                    data-host={h.name}
                    className={h.hostId === transcriptHostId ? 'selected-row' : undefined}
                  >
                    <td>{h.name}</td>
                    <td className={stateClass(h.state)} data-testid="host-state">
                      {hostStateText(h)}
                    </td>
                    <td>
                      <StepChips hostId={h.hostId} />
                    </td>
                    <td className="small">
                      {u ? (
                        <span className="muted">
                          {u.step ?? '—'}: {u.state}
                        </span>
                      ) : null}
                      {note ? <div className="wrap">{note}</div> : null}
                    </td>
                    <td className="nowrap">
                      <button
                        type="button"
                        className="small-button"
                        onClick={() =>
                          showTranscript(h.hostId === transcriptHostId ? null : h.hostId)
                        }
                        aria-label={`Transcript of ${h.name}`}
                      >
                        Transcript
                      </button>{' '}
                      {canRollBack(status, h) && (
                        <button
                          type="button"
                          className="small-button"
                          disabled={busy || job !== null}
                          onClick={() => setPending({ kind: 'rollback', host: h })}
                          aria-label={`Roll back ${h.name}`}
                        >
                          Roll back…
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      ))}

      <Transcript />

      {pending?.kind === 'abort' && (
        <ConfirmDialog
          title={`Abort run #${status.id}?`}
          confirmLabel="Abort"
          danger
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            void abort();
          }}
        >
          <p>
            No new host starts. Steps running now are interrupted safely; those hosts show
            “interrupted at &lt;step&gt;” and can be resumed or rolled back.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'resume' && (
        <ConfirmDialog
          title={`Resume run #${status.id}?`}
          confirmLabel="Resume"
          onCancel={() => setPending(null)}
          onConfirm={() => {
            setPending(null);
            void resume(status.id);
          }}
        >
          <p>
            {resumable.length} host{resumable.length === 1 ? '' : 's'} run
            {resumable.length === 1 ? 's' : ''} now
            {status.options.dryRun ? ' (dry run: prechecks only)' : ''}:{' '}
            {resumable.map((h) => h.name).join(', ')}. Interrupted hosts restart from the precheck.
            The approval is checked again first.
          </p>
        </ConfirmDialog>
      )}
      {pending?.kind === 'abandon' && (
        <ReasonDialog
          title={`Abandon run #${status.id}?`}
          confirmLabel="Abandon run"
          label="Reason for abandoning"
          maxLength={500}
          busy={busy}
          onCancel={() => setPending(null)}
          onConfirm={(reason) => {
            setPending(null);
            void abandon(status.id, reason);
          }}
        >
          <p>
            The run is closed as “abandoned”: its {pendingCount} pending host
            {pendingCount === 1 ? '' : 's'} become “cancelled” and nothing more runs on it. Hosts
            already changed keep their state; roll them back one by one if needed. The reason goes
            to the audit trail.
          </p>
        </ReasonDialog>
      )}
      {pending?.kind === 'rollback' && (
        <ConfirmDialog
          title={`Roll back ${pending.host.name}?`}
          confirmLabel="Roll back"
          danger
          onCancel={() => setPending(null)}
          onConfirm={() => {
            const host = pending.host;
            setPending(null);
            void rollbackHost(status.id, host.hostId);
          }}
        >
          <p>
            Runs the approved rollback script on {pending.host.name} (now{' '}
            {hostStateText(pending.host)}), then the precheck to confirm the previous state.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
