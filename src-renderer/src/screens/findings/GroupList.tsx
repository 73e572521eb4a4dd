import { useFindings } from '../../stores/findings';

/** Groups with counts; choosing one narrows the table to it. */
export function GroupList() {
  const groupBy = useFindings((s) => s.groupBy);
  const groups = useFindings((s) => s.groups);
  const loading = useFindings((s) => s.groupsLoading);
  const applyGroup = useFindings((s) => s.applyGroup);
  if (!groupBy) return null;
  if (!groups) return <p className="muted">{loading ? 'Grouping…' : ''}</p>;
  if (groups.length === 0) return <p className="muted">No findings match the filter.</p>;
  return (
    <div className="groups">
      <table className="table" aria-label={`Findings by ${groupBy}`}>
        <thead>
          <tr>
            <th>{groupBy.charAt(0).toUpperCase() + groupBy.slice(1)}</th>
            <th>Findings</th>
            <th>Highest risk</th>
          </tr>
        </thead>
        <tbody>
          {groups.map((g, i) => (
            <tr key={`${g.label}-${i}`}>
              <td>
                <button type="button" className="link" onClick={() => applyGroup(g)}>
                  {g.label}
                </button>
              </td>
              <td>{g.count}</td>
              <td className="mono">{g.maxRisk.toFixed(1)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {groups.length >= 200 && <p className="muted small">The 200 largest groups are shown.</p>}
    </div>
  );
}
