import { useState } from 'react';
import { STEPS, type DraftContent, type Step } from '../../stores/drafts';
import { ShellEditor } from '../drafts/ShellEditor';

const noop = () => undefined;

/** The four scripts of a version in tabs, read-only, with shell highlighting. */
export function ReadOnlyScripts({ content, version }: { content: DraftContent; version: number }) {
  const [step, setStep] = useState<Step>('apply');
  return (
    <section className="card approval-scripts" aria-label="Scripts to approve">
      <div className="draft-editor-head">
        <div role="tablist" aria-label="Steps" className="step-tabs">
          {STEPS.map((s) => (
            <button
              key={s}
              type="button"
              role="tab"
              id={`approval-tab-${s}`}
              aria-selected={s === step}
              aria-controls="approval-step-panel"
              className={s === step ? 'step-tab active' : 'step-tab'}
              onClick={() => setStep(s)}
            >
              {s}
            </button>
          ))}
        </div>
        <span className="muted small">Version {version} · read only</span>
      </div>
      <div role="tabpanel" id="approval-step-panel" aria-labelledby={`approval-tab-${step}`}>
        <ShellEditor
          key={`${version}-${step}`}
          label={`${step} script (read only)`}
          value={content[step]}
          readOnly
          onChange={noop}
        />
      </div>
    </section>
  );
}
