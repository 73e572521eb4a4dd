import type { StepDiff } from '../stores/drafts';

const CONTEXT = 3;

type Shown = { kind: 'line'; op: ' ' | '+' | '-'; text: string } | { kind: 'gap'; count: number };

/** Keeps CONTEXT unchanged lines around each change; longer unchanged runs fold. */
export function foldContext(lines: StepDiff['lines']): Shown[] {
  const near = lines.map(() => false);
  lines.forEach((l, i) => {
    if (l.op === ' ') return;
    for (let j = Math.max(0, i - CONTEXT); j <= Math.min(lines.length - 1, i + CONTEXT); j++)
      near[j] = true;
  });
  const out: Shown[] = [];
  let gap = 0;
  lines.forEach((l, i) => {
    if (near[i]) {
      if (gap) out.push({ kind: 'gap', count: gap });
      gap = 0;
      out.push({ kind: 'line', op: l.op, text: l.text });
    } else gap += 1;
  });
  if (gap) out.push({ kind: 'gap', count: gap });
  return out;
}

const LINE_CLASS = { '+': 'diff-line diff-add', '-': 'diff-line diff-del', ' ': 'diff-line' };

/** The line diff of one step: counts, then the changed lines with folded context. */
function StepDiffView({ step }: { step: StepDiff }) {
  const added = step.lines.filter((l) => l.op === '+').length;
  const removed = step.lines.filter((l) => l.op === '-').length;
  if (added + removed === 0) return <p className="muted small">{step.step}: no changes</p>;
  return (
    <div className="diff-step" data-step={step.step}>
      <div className="small">
        <strong>{step.step}</strong> <span className="ok-text">+{added}</span>{' '}
        <span className="error-text">-{removed}</span>
      </div>
      <pre className="diff" aria-label={`${step.step} diff`}>
        {foldContext(step.lines).map((l, i) =>
          l.kind === 'gap' ? (
            <span key={i} className="diff-line diff-gap">
              {`⋯ ${l.count} unchanged line${l.count === 1 ? '' : 's'}\n`}
            </span>
          ) : (
            <span key={i} className={LINE_CLASS[l.op]}>
              {`${l.op} ${l.text}\n`}
            </span>
          ),
        )}
      </pre>
    </div>
  );
}

/** Every step's diff between two versions ("no changes" for a step that did not change). */
export function DiffView({ steps }: { steps: readonly StepDiff[] }) {
  return (
    <>
      {steps.map((s) => (
        <StepDiffView key={s.step} step={s} />
      ))}
    </>
  );
}
