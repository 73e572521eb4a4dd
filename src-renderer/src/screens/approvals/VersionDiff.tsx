import { DiffView } from '../../components/DiffView';
import type { StepDiff } from '../../stores/drafts';

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
      {diff === null ? <p className="muted small">Loading the diff…</p> : <DiffView steps={diff} />}
    </section>
  );
}
