import { useState } from 'react';
import { StepTabs } from '../../components/StepTabs';
import type { DraftContent, Step } from '../../stores/drafts';
import { ShellEditor } from '../drafts/ShellEditor';

const noop = () => undefined;

/** The four scripts of a version in tabs, read-only, with shell highlighting. */
export function ReadOnlyScripts({ content, version }: { content: DraftContent; version: number }) {
  const [step, setStep] = useState<Step>('apply');
  return (
    <section className="card approval-scripts" aria-label="Scripts to approve">
      <StepTabs
        idPrefix="approval"
        active={step}
        onSelect={setStep}
        aside={<span className="muted small">Version {version} · read only</span>}
      >
        <ShellEditor
          key={`${version}-${step}`}
          label={`${step} script (read only)`}
          value={content[step]}
          readOnly
          onChange={noop}
        />
      </StepTabs>
    </section>
  );
}
