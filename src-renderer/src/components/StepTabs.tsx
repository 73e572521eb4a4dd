import type { ReactNode } from 'react';
import { STEPS, type Step } from '../stores/drafts';

interface Props {
  /** Makes the ids unique on a screen: `${idPrefix}-tab-${step}`, `${idPrefix}-panel`. */
  idPrefix: string;
  active: Step;
  onSelect: (step: Step) => void;
  /** Said after a tab's step name (" •" for a changed step). */
  mark?: (step: Step) => string;
  /** Beside the tabs. */
  aside?: ReactNode;
  /** The active step's panel. */
  children: ReactNode;
}

/** The four script steps as tabs, with the active step's panel. */
export function StepTabs({ idPrefix, active, onSelect, mark, aside, children }: Props) {
  const panel = `${idPrefix}-panel`;
  return (
    <>
      <div className="draft-editor-head">
        <div role="tablist" aria-label="Steps" className="step-tabs">
          {STEPS.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              id={`${idPrefix}-tab-${s}`}
              aria-selected={s === active}
              aria-controls={panel}
              className={s === active ? 'step-tab active' : 'step-tab'}
              onClick={() => onSelect(s)}
            >
              {s}
              {mark?.(s) ?? ''}
            </button>
          ))}
        </div>
        {aside}
      </div>
      <div role="tabpanel" id={panel} aria-labelledby={`${idPrefix}-tab-${active}`}>
        {children}
      </div>
    </>
  );
}
