import { useState } from 'react';
import { StepTabs } from '../../components/StepTabs';
import { parseServices, useDrafts, type Step } from '../../stores/drafts';
import { ShellEditor } from './ShellEditor';

const STEP_HINTS: Record<Step, string> = {
  precheck: 'Exits non-zero when the fix does not apply to this host (nothing is changed).',
  apply: 'Makes the change.',
  verify: 'Exits zero only when the fix is in place.',
  rollback: 'Restores the previous state when verify fails.',
};

/** The four scripts in tabs (CodeMirror, shell highlighting), the metadata, the version note, Save. */
export function ScriptEditor() {
  const detail = useDrafts((s) => s.detail);
  const editing = useDrafts((s) => s.editing);
  const editingFrom = useDrafts((s) => s.editingFrom);
  const revision = useDrafts((s) => s.revision);
  const note = useDrafts((s) => s.note);
  const busy = useDrafts((s) => s.busy);
  const setStep = useDrafts((s) => s.setStep);
  const setMetadata = useDrafts((s) => s.setMetadata);
  const setNote = useDrafts((s) => s.setNote);
  const save = useDrafts((s) => s.save);
  const discard = useDrafts((s) => s.discard);
  const dirty = useDrafts((s) => s.dirty());
  const [step, setActive] = useState<Step>('apply');

  if (!detail || !editing) return null;
  const latest = detail.versions.at(-1);
  const archived = detail.state === 'archived';
  const changed = (s: Step) => latest?.content != null && latest.content[s] !== editing[s];

  return (
    <section className="card draft-editor" aria-label="Scripts">
      <StepTabs
        idPrefix="step"
        active={step}
        onSelect={setActive}
        mark={(s) => (changed(s) ? ' •' : '')}
        aside={
          <span className="muted small" data-testid="editing-from">
            {archived
              ? `Version ${latest?.version ?? '—'} (archived: read only)`
              : editingFrom !== latest?.version
                ? `Loaded from version ${editingFrom ?? '—'}; Save makes it version ${(latest?.version ?? 0) + 1}`
                : dirty
                  ? `Editing version ${latest?.version ?? '—'} (unsaved changes)`
                  : `Version ${latest?.version ?? '—'}`}
          </span>
        }
      >
        <p className="muted small step-hint">{STEP_HINTS[step]}</p>
        <ShellEditor
          key={`${detail.id}-${step}`}
          label={`${step} script`}
          value={editing[step]}
          readOnly={archived}
          onChange={(text) => setStep(step, text)}
        />
      </StepTabs>
      <fieldset className="draft-metadata" disabled={archived} key={`${detail.id}-${revision}`}>
        <legend>Metadata</legend>
        <label className="field compact">
          Risk
          <select
            value={editing.metadata.risk}
            onChange={(e) => setMetadata({ risk: e.target.value as typeof editing.metadata.risk })}
          >
            <option value="low">low</option>
            <option value="medium">medium</option>
            <option value="high">high</option>
          </select>
        </label>
        <label className="check">
          <input
            type="checkbox"
            checked={editing.metadata.rebootNeeded}
            onChange={(e) => setMetadata({ rebootNeeded: e.target.checked })}
          />{' '}
          Reboot needed
        </label>
        <label className="field compact grow">
          Services to restart (comma-separated)
          <input
            defaultValue={editing.metadata.servicesToRestart.join(', ')}
            onChange={(e) => setMetadata({ servicesToRestart: parseServices(e.target.value) })}
            spellCheck={false}
          />
        </label>
        <label className="field full">
          Notes
          <textarea
            rows={3}
            value={editing.metadata.notes}
            maxLength={4000}
            onChange={(e) => setMetadata({ notes: e.target.value })}
          />
        </label>
      </fieldset>
      {!archived && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save();
          }}
        >
          <label className="field grow">
            Version note (optional)
            <input
              value={note}
              maxLength={500}
              onChange={(e) => setNote(e.target.value)}
              placeholder="Why this change"
            />
          </label>
          <button type="submit" className="primary" disabled={busy || !dirty}>
            Save as new version
          </button>
          <button type="button" disabled={busy || !dirty} onClick={discard}>
            Discard changes
          </button>
        </form>
      )}
      {!archived && detail.state === 'ready' && (
        <p className="muted small">
          Saving an edit makes a new version and returns the draft to “draft”: mark it ready again
          afterwards.
        </p>
      )}
    </section>
  );
}
