import { useEffect } from 'react';
import { useDrafts } from '../stores/drafts';
import { DraftDetailView } from './drafts/DraftDetailView';
import { DraftList } from './drafts/DraftList';
import { GeneratePanel } from './drafts/GeneratePanel';
import { PolicyPanel } from './drafts/PolicyPanel';

/**
 * Remediation drafts: generate from a finding or a rule group (rules or the local model),
 * edit the four scripts, read lint and policy, compare versions, mark ready.
 */
export function Drafts() {
  const listen = useDrafts((s) => s.listen);
  const selectedId = useDrafts((s) => s.selectedId);
  const detail = useDrafts((s) => s.detail);
  const error = useDrafts((s) => s.error);

  useEffect(() => listen(), [listen]);
  useEffect(() => {
    const s = useDrafts.getState();
    void s.loadList();
    void s.loadGroups();
    void s.loadModels();
    // Coming back: fresh state and checks, but unsaved edits in the editor stay.
    if (s.selectedId !== null) void s.refreshDetail();
  }, []);

  return (
    <section className="screen drafts-screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Drafts</h1>
      <p className="muted">
        Fix scripts (precheck, apply, verify, rollback) from deterministic rules or the local model,
        and manifest patches for dependency findings, linted and policy-checked on every version.
        Nothing runs or leaves the vault until a draft is ready and approved.
      </p>
      <GeneratePanel />
      <div className="drafts-body">
        <DraftList />
        <div className="drafts-main">
          {detail ? (
            <DraftDetailView />
          ) : selectedId !== null && !error ? (
            <p className="muted">Loading draft #{selectedId}…</p>
          ) : (
            <div className="empty-state">
              {error && selectedId !== null ? (
                <p className="error-text">{error}</p>
              ) : (
                <p className="muted">Choose a draft on the left, or generate one above.</p>
              )}
            </div>
          )}
        </div>
      </div>
      <PolicyPanel />
    </section>
  );
}
