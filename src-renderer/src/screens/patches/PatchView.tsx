import type { DraftVersion } from '../../stores/drafts';

type Patch = NonNullable<DraftVersion['patch']>;

/** The class of one line of a unified diff (headers, hunks, additions, removals). */
export function diffLineClass(line: string): string {
  if (line.startsWith('+++') || line.startsWith('---')) return 'diff-line diff-gap';
  if (line.startsWith('@@')) return 'diff-line diff-gap';
  if (line.startsWith('+')) return 'diff-line diff-add';
  if (line.startsWith('-')) return 'diff-line diff-del';
  return 'diff-line';
}

/** A manifest patch as an approver reads it: what is bumped, what is not and why, the diff. */
export function PatchView({ patch, version }: { patch: Patch; version: number }) {
  return (
    <section className="card" aria-label="Manifest patch">
      <h3>
        Patch to <span className="mono">{patch.file}</span>{' '}
        <span className="muted small">
          ({patch.manifest}, version {version})
        </span>
      </h3>
      <table className="table compact-table" aria-label="Version bumps">
        <thead>
          <tr>
            <th>Dependency</th>
            <th>From</th>
            <th>To</th>
            <th>Line</th>
          </tr>
        </thead>
        <tbody>
          {patch.bumps.map((b) => (
            <tr key={`${b.name}:${b.line}`}>
              <td className="mono">{b.name}</td>
              <td className="mono">{b.from}</td>
              <td className="mono">{b.to}</td>
              <td>{b.line}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {patch.skipped.length > 0 && (
        <details>
          <summary className="small">
            {patch.skipped.length} dependenc{patch.skipped.length === 1 ? 'y' : 'ies'} of the
            findings not changed
          </summary>
          <ul className="small" aria-label="Not changed">
            {patch.skipped.map((s) => (
              <li key={`${s.name}:${s.reason}`}>
                <span className="mono">{s.name}</span>: {s.reason}
              </li>
            ))}
          </ul>
        </details>
      )}
      <pre className="diff selectable" aria-label="Unified diff">
        {patch.diff.split('\n').map((line, i) => (
          <span key={i} className={diffLineClass(line)}>
            {`${line}\n`}
          </span>
        ))}
      </pre>
      <pre className="untrusted small">{patch.notes}</pre>
    </section>
  );
}
