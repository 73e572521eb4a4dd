import { useState } from 'react';
import { AssetList } from '../../components/AssetList';
import { Feedback } from '../../components/Feedback';
import { TextField } from '../../components/Field';
import { ReasonDialog } from '../../components/ReasonDialog';
import {
  approvalBlocker,
  approvalsOfVersion,
  defaultForm,
  parseForm,
  useApprovals,
  type ApprovalForm,
} from '../../stores/approvals';
import { useHosts } from '../../stores/push';
import { useVault } from '../../stores/vault';
import { StateBadge } from '../drafts/DraftList';
import { ChecksSummary } from './ChecksSummary';
import { ReadOnlyScripts } from './ReadOnlyScripts';
import { TargetPicker } from './TargetPicker';
import { PatchView } from '../patches/PatchView';
import { VersionDiff } from './VersionDiff';

const FIELDS: { key: keyof ApprovalForm; label: string; hint: string }[] = [
  { key: 'wavePercent', label: 'Second wave (%)', hint: 'of the hosts after the canary' },
  { key: 'concurrency', label: 'Concurrency', hint: 'hosts at once' },
  { key: 'stepTimeoutSec', label: 'Step timeout (s)', hint: 'per script' },
  { key: 'maxFailPercent', label: 'Max failures (%)', hint: 'per wave before the breaker trips' },
  { key: 'expiresInHours', label: 'Expires in (hours)', hint: '1 to 168' },
];

/** Everything an approver signs: scripts, diff, checks, provenance, targets, options. */
export function ApprovalReview() {
  const detail = useApprovals((s) => s.detail);
  const diff = useApprovals((s) => s.diff);
  const approvals = useApprovals((s) => s.approvals);
  const busy = useApprovals((s) => s.busy);
  const error = useApprovals((s) => s.error);
  const message = useApprovals((s) => s.message);
  const approve = useApprovals((s) => s.approve);
  const reject = useApprovals((s) => s.reject);
  const hosts = useHosts((s) => s.hosts);
  const role = useVault((s) => s.status?.operator?.role ?? null);
  const [targets, setTargets] = useState<number[]>([]);
  const [form, setForm] = useState<ApprovalForm>(defaultForm);
  const [comment, setComment] = useState('');
  const [formError, setFormError] = useState<string | null>(null);
  const [rejecting, setRejecting] = useState(false);

  if (!detail) return null;
  const version = detail.versions.at(-1);
  if (!version) return null;
  const blocker = approvalBlocker(detail, version);
  const existing = approvalsOfVersion(approvals, version.id);
  const chosen = hosts.filter((h) => targets.includes(h.id));
  const unpinned = chosen.filter((h) => h.hostKeys.length === 0);
  const noCredential = chosen.filter((h) => !h.credential);
  // A manifest patch has no hosts or run options: it is approved as is and exported.
  const patch = version.patch;

  const submit = () => {
    setFormError(null);
    const parsed = parseForm(form);
    if (!parsed.ok) {
      setFormError(parsed.error);
      return;
    }
    if (!patch && !targets.length) {
      setFormError('Choose at least one target host.');
      return;
    }
    void approve({
      draftVersionId: version.id,
      hostIds: patch ? [] : targets,
      options: parsed.options,
      expiresInHours: parsed.expiresInHours,
      ...(comment.trim() ? { comment: comment.trim() } : {}),
    }).then((a) => {
      if (a) setComment('');
    });
  };

  return (
    <article className="approval-review" aria-label={`Review draft ${detail.id}`}>
      <header className="draft-head">
        <h2>
          {detail.title} <StateBadge state={detail.state} />
        </h2>
        <dl className="facts provenance" aria-label="Provenance">
          <dt>Draft</dt>
          <dd>
            #{detail.id} · version {version.version} of {detail.versions.length} · by{' '}
            {version.createdBy} {new Date(version.createdAt).toLocaleString()}
            {version.note ? ` · “${version.note}”` : ''}
          </dd>
          <dt>Engine</dt>
          <dd data-testid="approval-engine">
            {version.engine}
            {detail.versions.length > 1 && detail.versions[0]!.engine !== version.engine
              ? ` (version 1: ${detail.versions[0]!.engine})`
              : ''}
          </dd>
          <dt>Model SHA-256</dt>
          <dd className="mono small wrap" data-testid="approval-model">
            {version.modelSha256 ?? 'none (no model wrote this version)'}
          </dd>
          <dt>Version SHA-256</dt>
          <dd className="mono small wrap selectable" data-testid="version-sha256">
            {version.sha256}
          </dd>
          <dt>Group</dt>
          <dd className="mono small">{detail.groupKey ?? '—'}</dd>
          <dt>Findings</dt>
          <dd>
            {detail.findingIds.length} on {detail.hosts.length} asset
            {detail.hosts.length === 1 ? '' : 's'}
          </dd>
        </dl>
      </header>

      {blocker && (
        <p className="policy-blocked" role="alert" data-testid="approval-blocker">
          <strong>{blocker}</strong>
        </p>
      )}

      {patch ? (
        <PatchView patch={patch} version={version.version} />
      ) : version.content ? (
        <>
          <ReadOnlyScripts content={version.content} version={version.version} />
          <section className="card" aria-label="Metadata">
            <h3>Metadata</h3>
            <dl className="facts">
              <dt>Risk</dt>
              <dd>{version.content.metadata.risk}</dd>
              <dt>Reboot needed</dt>
              <dd>{version.content.metadata.rebootNeeded ? 'yes' : 'no'}</dd>
              <dt>Services restarted</dt>
              <dd>
                {version.content.metadata.servicesToRestart.length
                  ? version.content.metadata.servicesToRestart.join(', ')
                  : 'none'}
              </dd>
              <dt>Notes</dt>
              <dd>
                <pre className="untrusted">{version.content.metadata.notes || '—'}</pre>
              </dd>
            </dl>
          </section>
        </>
      ) : null}
      {detail.hosts.length > 0 && (
        <details className="card">
          <summary className="small">Affected assets</summary>
          <AssetList hosts={detail.hosts} />
        </details>
      )}

      <VersionDiff diff={diff} from={version.version - 1} to={version.version} />
      <ChecksSummary version={version} />

      {existing.length > 0 && (
        <section className="card" aria-label="Decisions on this version">
          <h3>Decisions on this version</h3>
          <ul className="small">
            {existing.map((a) => (
              <li key={a.id}>
                #{a.id} <span className={`approval-state state-${a.state}`}>{a.state}</span> by{' '}
                {a.approver} {new Date(a.approvedAt).toLocaleString()}
                {a.state !== 'rejected' && !patch ? ` · ${a.targets.length} hosts` : ''}
                {a.comment ? ` · “${a.comment}”` : ''}
              </li>
            ))}
          </ul>
        </section>
      )}

      <section className="card approval-form" aria-label="Decision">
        <h3>Decision</h3>
        {patch ? (
          <p className="muted small">
            A manifest patch has no target hosts: once approved it is exported from the Drafts
            screen as a .patch file.
          </p>
        ) : (
          <>
            <TargetPicker selected={targets} onChange={setTargets} assets={detail.hosts} />
            <fieldset className="approval-options">
              <legend>Run options</legend>
              {FIELDS.map((f) => (
                <TextField
                  key={f.key}
                  label={f.label}
                  title={f.hint}
                  inputMode="numeric"
                  value={form[f.key]}
                  onChange={(value) => setForm({ ...form, [f.key]: value })}
                />
              ))}
            </fieldset>
          </>
        )}
        <label className="field full">
          Comment
          <textarea
            rows={2}
            maxLength={2000}
            value={comment}
            onChange={(e) => setComment(e.target.value)}
            placeholder="Why this is safe to run (kept with the approval and in the audit trail)"
          />
        </label>
        {unpinned.length > 0 && (
          <p className="hint warn" role="note">
            NOT PINNED: {unpinned.map((h) => h.name).join(', ')} — the push cannot connect to a host
            whose key is not pinned. Pin their keys on the Push screen.
          </p>
        )}
        {noCredential.length > 0 && (
          <p className="hint warn" role="note">
            No credential: {noCredential.map((h) => h.name).join(', ')}.
          </p>
        )}
        {role === 'analyst' && (
          <p className="muted small">
            You are an analyst: an approver or an admin must approve or reject.
          </p>
        )}
        <div className="toolbar wrap-toolbar">
          <button
            type="button"
            className="primary"
            disabled={busy || blocker !== null}
            onClick={submit}
          >
            Approve version {version.version}
          </button>
          <button type="button" disabled={busy} onClick={() => setRejecting(true)}>
            Reject…
          </button>
        </div>
        <div aria-live="polite">
          <Feedback error={formError ?? error} message={formError ? null : message} />
        </div>
      </section>

      {rejecting && (
        <ReasonDialog
          title={`Reject version ${version.version} of draft #${detail.id}?`}
          confirmLabel="Reject"
          label="Reason for rejecting"
          initial={comment}
          maxLength={2000}
          rows={3}
          busy={busy}
          onCancel={() => setRejecting(false)}
          onConfirm={(reason) => {
            setRejecting(false);
            void reject(reason);
          }}
        >
          <p>The draft goes back to “draft” for its author. A comment is required.</p>
        </ReasonDialog>
      )}
    </article>
  );
}
