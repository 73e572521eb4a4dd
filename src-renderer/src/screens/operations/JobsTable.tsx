import type { JobRecord } from '../../../../src-preload/ops-schemas';
import { duration, when } from './format';

const KIND_LABEL: Record<string, string> = {
  import: 'Import',
  'feeds.import': 'Feeds',
  'vault.backup': 'Backup',
  'vault.checkBackup': 'Backup check',
  'vault.rotateKey': 'Key rotation',
};

function label(kind: string): string {
  return (
    KIND_LABEL[kind] ??
    kind.replace(/^(drafts|push)\./, (m) => m.charAt(0).toUpperCase() + m.slice(1, -1) + ' ')
  );
}

/** Imports, feeds, drafts, pushes and backups: when, how long, and how they ended. */
export function JobsTable({
  jobs,
  onCancel,
}: {
  jobs: JobRecord[];
  onCancel: (id: string) => void;
}) {
  if (jobs.length === 0) return <p className="muted">No jobs yet.</p>;
  return (
    <table className="table" aria-label="Jobs">
      <thead>
        <tr>
          <th>Job</th>
          <th>Started</th>
          <th>Duration</th>
          <th>Outcome</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.jobId} data-state={j.state}>
            <td>{label(j.kind)}</td>
            <td className="mono">{when(j.startedAt)}</td>
            <td>{duration(j.durationMs)}</td>
            <td
              className={
                j.state === 'failed' ? 'danger-text' : j.state === 'cancelled' ? 'warn-text' : ''
              }
            >
              {j.state}
              {j.errorCode ? ` (${j.errorCode})` : ''}
              {j.errorMessage ? `: ${j.errorMessage}` : ''}
              {j.state === 'running' && (
                <button type="button" className="link" onClick={() => onCancel(j.jobId)}>
                  Cancel
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
