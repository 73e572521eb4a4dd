import { useCallback, useState } from 'react';
import type { EventPayload } from '../../../../src-preload/contract';
import { call } from '../../api/client';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { JobProgress } from '../../components/JobProgress';
import { Feedback, useAction } from './useAction';

export function KeyRotation() {
  const [confirming, setConfirming] = useState(false);
  const [jobId, setJobId] = useState<string | null>(null);
  const [result, setResult] = useState<{ error: string | null; message: string | null }>({
    error: null,
    message: null,
  });
  const { busy, error, run } = useAction();
  const finished = useCallback((p: EventPayload<'jobFinished'>) => {
    setJobId(null);
    setResult(
      p.state === 'done'
        ? { error: null, message: 'Data key rotated. Every operator keeps access.' }
        : { error: p.error?.message ?? 'Rotation failed.', message: null },
    );
  }, []);
  return (
    <section className="card" aria-labelledby="rot-title">
      <h2 id="rot-title">Key rotation</h2>
      <p className="muted">
        Re-encrypts the vault with a new data key (a backup is taken first). Do it after removing an
        operator.
      </p>
      {jobId ? (
        <JobProgress jobId={jobId} onFinished={finished} />
      ) : (
        <button type="button" disabled={busy} onClick={() => setConfirming(true)}>
          Rotate data key
        </button>
      )}
      <Feedback error={error ?? result.error} message={result.message} />
      {confirming && (
        <ConfirmDialog
          title="Rotate the data key?"
          confirmLabel="Rotate"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            setResult({ error: null, message: null });
            void run(async () =>
              setJobId((await call((api) => api.vault.rotateKey({ confirm: true }))).jobId),
            );
          }}
        >
          <p>The vault stays usable; large vaults take a while.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
