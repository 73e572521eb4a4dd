import { useState } from 'react';
import { Feedback } from '../../components/Feedback';
import { ReasonDialog } from '../../components/ReasonDialog';
import { useApprovals, type ApprovalInfo } from '../../stores/approvals';
import { useDrafts } from '../../stores/drafts';
import { isLive, usePush } from '../../stores/push';
import { useUi } from '../../stores/ui';

export function ApprovalState({ approval }: { approval: ApprovalInfo }) {
  return (
    <span className={`approval-state state-${approval.state}`} data-testid="approval-state">
      {approval.state}
    </span>
  );
}

/** Every approval and rejection, newest first; revoke a live one, push it. */
export function ApprovalsTable() {
  const approvals = useApprovals((s) => s.approvals);
  const drafts = useApprovals((s) => s.drafts);
  const busy = useApprovals((s) => s.busy);
  const revoke = useApprovals((s) => s.revoke);
  const feedback = useApprovals((s) => s.revokeFeedback);
  const navigate = useUi((s) => s.navigate);
  const [revoking, setRevoking] = useState<ApprovalInfo | null>(null);
  const title = (id: number) => drafts.find((d) => d.id === id)?.title ?? `Draft #${id}`;

  return (
    <section className="card" aria-label="Approvals">
      <h3>Approvals and rejections</h3>
      <div aria-live="polite">
        <Feedback error={feedback.error} message={feedback.message} />
      </div>
      {approvals.length === 0 ? (
        <p className="muted small">No approvals yet.</p>
      ) : (
        <table className="table compact-table approvals-table" aria-label="Approval history">
          <thead>
            <tr>
              <th>#</th>
              <th>Draft</th>
              <th>State</th>
              <th>Approver</th>
              <th>Approved</th>
              <th>Expires</th>
              <th>Targets</th>
              <th>Options</th>
              <th>SHA-256</th>
              <th>Comment</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {approvals.map((a) => {
              const rejected = a.state === 'rejected';
              return (
                <tr key={a.id} data-approval-id={a.id}>
                  <td>{a.id}</td>
                  <td className="small">
                    {title(a.draftId)}{' '}
                    <span className="muted">
                      #{a.draftId} v{a.version}
                    </span>
                  </td>
                  <td className="small">
                    <ApprovalState approval={a} />
                    {a.stateReason ? <div className="muted small wrap">{a.stateReason}</div> : null}
                  </td>
                  <td className="small">{a.approver}</td>
                  <td className="small">{new Date(a.approvedAt).toLocaleString()}</td>
                  <td className="small">
                    {rejected ? '—' : new Date(a.expiresAt).toLocaleString()}
                  </td>
                  <td className="small">
                    {rejected
                      ? '—'
                      : a.draftKind === 'patch'
                        ? 'none (patch: exported)'
                        : a.targets.map((t) => t.name).join(', ')}
                  </td>
                  <td className="small nowrap">
                    {rejected
                      ? '—'
                      : `${a.options.wavePercent}% · ×${a.options.concurrency} · ${a.options.stepTimeoutSec}s · ≤${a.options.maxFailPercent}%`}
                  </td>
                  <td className="mono small wrap selectable" data-testid="approval-sha256">
                    {a.sha256 || '—'}
                  </td>
                  <td className="small">{a.comment ?? ''}</td>
                  <td className="nowrap">
                    {isLive(a) && (
                      <>
                        {a.draftKind === 'patch' ? (
                          <button
                            type="button"
                            className="small-button"
                            onClick={() => {
                              void useDrafts.getState().select(a.draftId);
                              navigate('drafts');
                            }}
                          >
                            Export…
                          </button>
                        ) : (
                          <button
                            type="button"
                            className="small-button"
                            onClick={() => {
                              usePush.getState().chooseApproval(a.id);
                              navigate('push');
                            }}
                          >
                            Push…
                          </button>
                        )}{' '}
                        <button
                          type="button"
                          className="small-button"
                          disabled={busy}
                          onClick={() => setRevoking(a)}
                        >
                          Revoke…
                        </button>
                      </>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {revoking && (
        <ReasonDialog
          title={`Revoke approval #${revoking.id}?`}
          confirmLabel="Revoke"
          label="Reason"
          maxLength={500}
          busy={busy}
          onCancel={() => setRevoking(null)}
          onConfirm={(reason) => {
            const id = revoking.id;
            setRevoking(null);
            void revoke(id, reason);
          }}
        >
          <p>
            No push can start from it any more: version {revoking.version} of draft #
            {revoking.draftId} for {revoking.targets.length} host
            {revoking.targets.length === 1 ? '' : 's'}.
          </p>
          <p className="mono small wrap">{revoking.sha256}</p>
        </ReasonDialog>
      )}
    </section>
  );
}
