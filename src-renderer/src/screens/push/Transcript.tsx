import { formatDuration, stateClass, stepsOf, usePush } from '../../stores/push';

/** One output stream of a step, marked when the core capped it; nothing when it is empty. */
function Output({
  step,
  stream,
  text,
  truncated,
}: {
  step: string;
  stream: 'stdout' | 'stderr';
  text: string | null;
  truncated: boolean;
}) {
  if (!text) return null;
  return (
    <>
      <div className="small muted">
        {stream}
        {truncated ? ' (truncated: the output was capped)' : ''}
      </div>
      <pre
        className={`untrusted ${stream === 'stdout' ? 'transcript-out' : 'transcript-err'}`}
        aria-label={`${step} ${stream}`}
      >
        {text}
      </pre>
    </>
  );
}

/** Every step a host ran in this run: exit code, timing, stdout and stderr as text. */
export function Transcript() {
  const status = usePush((s) => s.status);
  const hostId = usePush((s) => s.transcriptHostId);
  const show = usePush((s) => s.showTranscript);
  if (!status || hostId === null) return null;
  const host = status.hosts.find((h) => h.hostId === hostId);
  const steps = stepsOf(status, hostId);
  return (
    <section
      className="card transcript"
      aria-label={`Transcript of ${host?.name ?? `host ${hostId}`}`}
    >
      <div className="section-head">
        <h3>Transcript · {host?.name ?? `host #${hostId}`}</h3>
        <button type="button" className="link" onClick={() => show(null)}>
          Close transcript
        </button>
      </div>
      {steps.length === 0 && <p className="muted small">No step has run on this host yet.</p>}
      {steps.map((s, i) => (
        <details key={i} className="transcript-step" data-step={s.step} open>
          <summary>
            <strong className="mono">{s.step}</strong>{' '}
            <span className={stateClass(s.state)}>{s.state}</span>
            <span className="muted small">
              {' '}
              · exit {s.exitCode ?? '—'} · {formatDuration(s.durationMs)}
              {s.startedAt ? ` · ${new Date(s.startedAt).toLocaleTimeString()}` : ''}
            </span>
          </summary>
          <Output step={s.step} stream="stdout" text={s.stdout} truncated={s.stdoutTruncated} />
          <Output step={s.step} stream="stderr" text={s.stderr} truncated={s.stderrTruncated} />
          {!s.stdout && !s.stderr && (
            <p className="muted small">{s.state === 'running' ? 'running…' : 'no output'}</p>
          )}
        </details>
      ))}
    </section>
  );
}
