import { stateClass, usePush } from '../../stores/push';

/** Every run, newest first; a row opens it. */
export function RunHistory() {
  const runs = usePush((s) => s.runs);
  const selectedRunId = usePush((s) => s.selectedRunId);
  const selectRun = usePush((s) => s.selectRun);
  return (
    <section className="card" aria-label="Run history">
      <h2>Run history</h2>
      {runs.length === 0 ? (
        <p className="muted small">No push has run yet.</p>
      ) : (
        <table className="table compact-table" aria-label="Runs">
          <thead>
            <tr>
              <th>Run</th>
              <th>Approval</th>
              <th>State</th>
              <th>Started</th>
              <th>By</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr
                key={r.id}
                data-run-id={r.id}
                className={r.id === selectedRunId ? 'selected-row' : undefined}
              >
                <td>#{r.id}</td>
                <td>#{r.approvalId}</td>
                <td className={stateClass(r.state)} data-testid="history-state">
                  {r.state}
                </td>
                <td className="small">{new Date(r.startedAt).toLocaleString()}</td>
                <td className="small">{r.startedBy}</td>
                <td>
                  <button
                    type="button"
                    className="small-button"
                    onClick={() => void selectRun(r.id)}
                    aria-label={`Open run ${r.id}`}
                  >
                    Open
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
