import { useEffect, useState } from 'react';
import type { EventPayload } from '../../../src-preload/contract';
import { bridge } from '../api/client';

interface Props {
  jobId: string;
  onFinished: (result: EventPayload<'jobFinished'>) => void;
}

/** A progress bar fed by the core's progress events for one job. */
export function JobProgress({ jobId, onFinished }: Props) {
  const [progress, setProgress] = useState<EventPayload<'progress'> | null>(null);
  useEffect(() => {
    const api = bridge();
    const offProgress = api.events.onProgress((p) => {
      if (p.jobId === jobId) setProgress(p);
    });
    const offDone = api.events.onJobFinished((p) => {
      if (p.jobId === jobId) onFinished(p);
    });
    return () => {
      offProgress();
      offDone();
    };
  }, [jobId, onFinished]);
  const ratio = progress?.total ? Math.min(1, progress.done / progress.total) : null;
  return (
    <div className="job-progress" role="status" aria-live="polite">
      <progress max={1} value={ratio ?? undefined} aria-label="Progress" />
      <span className="muted">
        {progress
          ? `${progress.phase}${ratio !== null ? ` ${Math.round(ratio * 100)} %` : ''}`
          : 'starting…'}
      </span>
    </div>
  );
}
