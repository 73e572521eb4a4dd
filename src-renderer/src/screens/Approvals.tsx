import { useEffect } from 'react';
import { DraftItems } from '../components/DraftItems';
import { Feedback } from '../components/Feedback';
import { useApprovals } from '../stores/approvals';
import { useHosts } from '../stores/push';
import { ApprovalReview } from './approvals/ApprovalReview';
import { ApprovalsTable } from './approvals/ApprovalsTable';

/**
 * Approvals: review exactly what will run (scripts, diff, checks, provenance), choose the
 * targets and options the approval's SHA-256 binds, approve or reject; revoke later.
 */
export function Approvals() {
  const drafts = useApprovals((s) => s.drafts);
  const selectedId = useApprovals((s) => s.selectedDraftId);
  const detail = useApprovals((s) => s.detail);
  const loading = useApprovals((s) => s.loading);
  const select = useApprovals((s) => s.select);
  const error = useApprovals((s) => s.error);
  const message = useApprovals((s) => s.message);
  const ready = drafts.filter((d) => d.state === 'ready');

  useEffect(() => {
    useApprovals.getState().clearFeedback();
    void useApprovals.getState().load();
    useHosts.setState({ error: null, message: null });
    void useHosts.getState().load();
  }, []);

  return (
    <section className="screen approvals-screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Approvals</h1>
      <p className="muted">
        An approval binds the SHA-256 of the four scripts, the target hosts and the run options. Any
        later change to them voids it; the push recomputes the hash before every host.
      </p>
      <div className="drafts-body">
        <nav className="draft-list" aria-label="Drafts ready for approval">
          <h3 className="small muted">Ready for approval ({ready.length})</h3>
          <DraftItems
            drafts={ready}
            selectedId={selectedId}
            onSelect={(id) => void select(id)}
            label="Ready drafts"
            empty={loading ? 'Loading…' : 'No draft is ready. Mark one ready on the Drafts screen.'}
            meta={(d) => (
              <>
                #{d.id} · {d.engine} · v{d.latestVersion} · {d.findings} finding
                {d.findings === 1 ? '' : 's'} · by {d.createdBy}
              </>
            )}
          />
        </nav>
        <div className="drafts-main">
          {detail ? (
            <ApprovalReview key={`${detail.id}-${detail.latestVersion}`} />
          ) : (
            <div className="empty-state">
              {selectedId !== null && !error ? (
                <p className="muted">Loading draft #{selectedId}…</p>
              ) : (
                <>
                  <Feedback error={error} message={message} />
                  <p className="muted">Choose a ready draft on the left to review it.</p>
                </>
              )}
            </div>
          )}
        </div>
      </div>
      <ApprovalsTable />
    </section>
  );
}
