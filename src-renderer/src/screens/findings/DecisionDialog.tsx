import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFindings, type DecideRequest } from '../../stores/findings';
import { useVault } from '../../stores/vault';

export type DialogAction = 'accept' | 'false_positive' | 'reopen' | 'assign' | 'tag';

const TITLES: Record<DialogAction, string> = {
  accept: 'Accept risk',
  false_positive: 'Mark false positive',
  reopen: 'Reopen',
  assign: 'Assign owner',
  tag: 'Tag',
};

/** Tomorrow, YYYY-MM-DD (UTC): the earliest expiry an acceptance can have. */
export function tomorrow(now = new Date()): string {
  return new Date(now.getTime() + 86_400_000).toISOString().slice(0, 10);
}

interface Props {
  action: DialogAction;
  ids: number[];
  onClose: () => void;
}

/** A bulk risk decision with its required fields, confirmed explicitly (confirm: true). */
export function DecisionDialog({ action, ids, onClose }: Props) {
  const decide = useFindings((s) => s.decide);
  const facets = useFindings((s) => s.facets);
  const role = useVault((s) => s.status?.operator?.role ?? null);
  const [reason, setReason] = useState('');
  const [expiresOn, setExpiresOn] = useState('');
  const [owner, setOwner] = useState('');
  const [tag, setTag] = useState('');
  const [untag, setUntag] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const minDate = tomorrow();
  const missing =
    action === 'accept'
      ? !reason.trim()
        ? 'A reason is required.'
        : !expiresOn
          ? 'An expiry date is required.'
          : expiresOn < minDate
            ? 'The expiry must be in the future.'
            : null
      : action === 'false_positive' && !reason.trim()
        ? 'A reason is required.'
        : action === 'tag' && !/^[\w.:-]{1,40}$/.test(tag.trim())
          ? 'A tag is 1–40 letters, digits or . : _ -'
          : null;

  const submit = async () => {
    setBusy(true);
    setError(null);
    const request: DecideRequest =
      action === 'accept'
        ? { action, reason: reason.trim(), expiresOn }
        : action === 'false_positive'
          ? { action, reason: reason.trim() }
          : action === 'reopen'
            ? { action, ...(reason.trim() ? { reason: reason.trim() } : {}) }
            : action === 'assign'
              ? { action, owner: owner.trim() }
              : { action: untag ? 'untag' : 'tag', tag: tag.trim() };
    const outcome = await decide(request, ids);
    setBusy(false);
    if (outcome.ok) onClose();
    else setError(outcome.error);
  };

  const count = `${ids.length} finding${ids.length === 1 ? '' : 's'}`;
  const confirmLabel =
    action === 'tag'
      ? untag
        ? 'Remove tag'
        : 'Add tag'
      : action === 'assign'
        ? 'Assign'
        : TITLES[action];

  return (
    <ConfirmDialog
      title={`${TITLES[action]}: ${count}`}
      confirmLabel={busy ? 'Working…' : confirmLabel}
      confirmDisabled={busy || missing !== null}
      onConfirm={() => void submit()}
      onCancel={onClose}
    >
      <div className="stack">
        {action === 'accept' && (
          <p className="muted small">
            The findings leave the open list until the expiry date, then reopen on their own.
            {role === 'analyst' && ' Accepting risk needs an approver or an admin.'}
          </p>
        )}
        {(action === 'accept' || action === 'false_positive' || action === 'reopen') && (
          <label className="field">
            {action === 'reopen' ? 'Reason (optional)' : 'Reason'}
            <textarea
              aria-label="Reason"
              rows={3}
              autoFocus
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
          </label>
        )}
        {action === 'accept' && (
          <label className="field">
            Expires on
            <input
              type="date"
              aria-label="Expires on"
              min={minDate}
              value={expiresOn}
              onChange={(e) => setExpiresOn(e.target.value)}
            />
          </label>
        )}
        {action === 'assign' && (
          <label className="field">
            Owner (empty clears it)
            <input
              aria-label="Owner"
              autoFocus
              list="owner-options"
              value={owner}
              onChange={(e) => setOwner(e.target.value)}
            />
            <datalist id="owner-options">
              {facets?.owners.map((o) => (
                <option key={o} value={o} />
              ))}
            </datalist>
          </label>
        )}
        {action === 'tag' && (
          <>
            <label className="field">
              Tag
              <input
                aria-label="Tag"
                autoFocus
                list="tag-options"
                value={tag}
                onChange={(e) => setTag(e.target.value)}
              />
              <datalist id="tag-options">
                {facets?.tags.map((t) => (
                  <option key={t} value={t} />
                ))}
              </datalist>
            </label>
            <label>
              <input type="checkbox" checked={untag} onChange={(e) => setUntag(e.target.checked)} />{' '}
              Remove this tag instead of adding it
            </label>
          </>
        )}
        {missing && <p className="hint muted">{missing}</p>}
        {error && (
          <p role="alert" className="error-text">
            {error}
          </p>
        )}
      </div>
    </ConfirmDialog>
  );
}
