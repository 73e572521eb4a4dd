import { useState } from 'react';
import { DiffView } from '../../components/DiffView';
import { shortHash, useDrafts } from '../../stores/drafts';

/** The diff the operator asked for between two versions. */
function ComparedVersions() {
  const diff = useDrafts((s) => s.diff);
  const closeDiff = useDrafts((s) => s.closeDiff);
  if (!diff) return null;
  const changed = diff.steps.some((s) => s.lines.some((l) => l.op !== ' '));
  return (
    <section className="draft-diff" aria-label={`Diff from version ${diff.from} to ${diff.to}`}>
      <div className="section-head">
        <h4>
          Version {diff.from} → {diff.to}
        </h4>
        <button type="button" className="link" onClick={closeDiff}>
          Close diff
        </button>
      </div>
      {!changed && <p className="muted small">The two versions are identical.</p>}
      <DiffView steps={diff.steps} />
    </section>
  );
}

/**
 * Every version with author, time, engine, hashes and note; diff between two of them.
 * The parent keys it by draft and latest version, so a save resets the comparison to
 * "previous → latest".
 */
export function Versions() {
  const detail = useDrafts((s) => s.detail);
  const inspect = useDrafts((s) => s.inspect);
  const inspected = useDrafts((s) => s.inspected);
  const loadVersion = useDrafts((s) => s.loadVersion);
  const loadDiff = useDrafts((s) => s.loadDiff);
  const latest = detail?.latestVersion ?? 1;
  const [from, setFrom] = useState(Math.max(1, latest - 1));
  const [to, setTo] = useState(latest);

  if (!detail) return null;
  const archived = detail.state === 'archived';
  const versions = [...detail.versions].reverse();

  return (
    <section className="card" aria-label="Versions">
      <h3>Versions</h3>
      <table className="table compact-table" aria-label="Draft versions">
        <thead>
          <tr>
            <th>Version</th>
            <th>Author</th>
            <th>Time</th>
            <th>Engine</th>
            <th>Model SHA-256</th>
            <th>SHA-256</th>
            <th>Checks</th>
            <th>Note</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {versions.map((v) => {
            const lintFailed = v.lint.some((l) => !l.ok);
            return (
              <tr
                key={v.version}
                data-version={v.version}
                className={v.version === inspected ? 'selected-row' : undefined}
              >
                <td>{v.version}</td>
                <td>{v.createdBy}</td>
                <td className="small">{new Date(v.createdAt).toLocaleString()}</td>
                <td>{v.engine}</td>
                <td className="mono small" title={v.modelSha256 ?? 'no model'}>
                  {shortHash(v.modelSha256)}
                </td>
                <td className="mono small" title={v.sha256}>
                  {shortHash(v.sha256)}
                </td>
                <td className="small">
                  {v.policy.blocked ? (
                    <span className="error-text">blocked</span>
                  ) : lintFailed ? (
                    <span className="warn-text">lint failed</span>
                  ) : (
                    <span className="ok-text">ok</span>
                  )}
                </td>
                <td className="small">{v.note ?? ''}</td>
                <td className="nowrap">
                  <button
                    type="button"
                    className="small-button"
                    onClick={() => inspect(v.version)}
                    aria-label={`Show lint and policy of version ${v.version}`}
                  >
                    Checks
                  </button>{' '}
                  {!archived && v.version !== detail.latestVersion && (
                    <button
                      type="button"
                      className="small-button"
                      onClick={() => loadVersion(v.version)}
                      aria-label={`Load version ${v.version} into the editor`}
                    >
                      Load into editor
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {detail.versions.length > 1 ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void loadDiff(from, to);
          }}
        >
          <label className="field compact">
            From version
            <select value={from} onChange={(e) => setFrom(Number(e.target.value))}>
              {detail.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                </option>
              ))}
            </select>
          </label>
          <label className="field compact">
            To version
            <select value={to} onChange={(e) => setTo(Number(e.target.value))}>
              {detail.versions.map((v) => (
                <option key={v.version} value={v.version}>
                  {v.version}
                </option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={from === to}>
            Show diff
          </button>
        </form>
      ) : (
        <p className="muted small">One version so far: a diff needs two.</p>
      )}
      <ComparedVersions />
    </section>
  );
}
