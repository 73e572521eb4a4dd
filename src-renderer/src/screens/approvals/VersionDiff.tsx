import type { StepDiff } from '../../stores/drafts';
import { foldContext } from '../drafts/Versions';

/** Line diff of every step from the previous version to the one under review. */
export function VersionDiff({
  diff,
  from,
  to,
}: {
  diff: StepDiff[] | null;
  from: number;
  to: number;
}) {
  if (to <= 1)
    return (
      <section className="card" aria-label="Diff from the previous version">
        <h3>Changes</h3>
        <p className="muted small">Version 1: there is no previous version to compare with.</p>
      </section>
    );
  return (
    <section className="card draft-diff" aria-label="Diff from the previous version">
      <h3>
        Changes from version {from} to {to}
      </h3>
      {diff === null ? (
        <p className="muted small">Loading the diff…</p>
      ) : (
        diff.map((s) => {
          const added = s.lines.filter((l) => l.op === '+').length;
          const removed = s.lines.filter((l) => l.op === '-').length;
          if (added + removed === 0)
            return (
              <p key={s.step} className="muted small">
                {s.step}: no changes
              </p>
            );
          return (
            <div key={s.step} className="diff-step" data-step={s.step}>
              <div className="small">
                <strong>{s.step}</strong> <span className="ok-text">+{added}</span>{' '}
                <span className="error-text">-{removed}</span>
              </div>
              <pre className="diff" aria-label={`${s.step} diff`}>
                {foldContext(s.lines).map((l, i) =>
                  l.kind === 'gap' ? (
                    <span key={i} className="diff-line diff-gap">
                      {`⋯ ${l.count} unchanged line${l.count === 1 ? '' : 's'}\n`}
                    </span>
                  ) : (
                    <span
                      key={i}
                      className={
                        l.op === '+'
                          ? 'diff-line diff-add'
                          : l.op === '-'
                            ? 'diff-line diff-del'
                            : 'diff-line'
                      }
                    >
                      {`${l.op} ${l.text}\n`}
                    </span>
                  ),
                )}
              </pre>
            </div>
          );
        })
      )}
    </section>
  );
}
