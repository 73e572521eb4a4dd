import { useState } from 'react';
import { AssetList } from '../../components/AssetList';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Feedback } from '../../components/Feedback';
import { useDrafts } from '../../stores/drafts';
import { useUi } from '../../stores/ui';
import { StateBadge } from './DraftList';
import { LintPanel } from './LintPanel';
import { ScriptEditor } from './ScriptEditor';
import { PatchExport } from '../patches/PatchExport';
import { PatchView } from '../patches/PatchView';
import { Versions } from './Versions';

/** One draft: state actions, the editor, lint and policy, versions and diff. */
export function DraftDetailView() {
  const detail = useDrafts((s) => s.detail);
  const busy = useDrafts((s) => s.busy);
  const error = useDrafts((s) => s.error);
  const message = useDrafts((s) => s.message);
  const setState = useDrafts((s) => s.setState);
  const recheck = useDrafts((s) => s.recheck);
  const dirty = useDrafts((s) => s.dirty());
  const navigate = useUi((s) => s.navigate);
  const [archiving, setArchiving] = useState(false);

  if (!detail) return null;
  const latest = detail.versions.at(-1);
  const archived = detail.state === 'archived';

  return (
    <article className="draft-detail" aria-label={`Draft ${detail.id}`}>
      <header className="draft-head">
        <h2>
          {detail.title} <StateBadge state={detail.state} />
        </h2>
        <p className="muted small">
          #{detail.id} · {detail.engine} · version {detail.latestVersion} · created by{' '}
          {detail.createdBy} {new Date(detail.createdAt).toLocaleString()}
          {detail.groupKey ? (
            <>
              {' '}
              · group <span className="mono">{detail.groupKey}</span>
            </>
          ) : null}
        </p>
        <details className="draft-hosts">
          <summary className="small">
            {detail.hosts.length} {detail.kind === 'patch' ? 'asset' : 'host'}
            {detail.hosts.length === 1 ? '' : 's'} · {detail.findingIds.length} finding
            {detail.findingIds.length === 1 ? '' : 's'}
          </summary>
          <AssetList hosts={detail.hosts} />
          <p className="small">
            Findings:{' '}
            {detail.findingIds.map((id, i) => (
              <span key={id}>
                {i > 0 ? ', ' : ''}
                <button
                  type="button"
                  className="link"
                  onClick={() => navigate('findings', { findingId: id })}
                >
                  #{id}
                </button>
              </span>
            ))}
          </p>
        </details>
      </header>

      <div className="toolbar wrap-toolbar" aria-label="Draft actions" role="group">
        {!archived && detail.state !== 'ready' && (
          <button
            type="button"
            className="primary"
            disabled={busy || dirty}
            title={dirty ? 'Save or discard your changes first.' : undefined}
            onClick={() => void setState('ready')}
          >
            Mark ready
          </button>
        )}
        {detail.state === 'ready' && (
          <button type="button" disabled={busy} onClick={() => void setState('draft')}>
            Back to draft
          </button>
        )}
        {!archived && (
          <button type="button" disabled={busy} onClick={() => void recheck()}>
            Recheck
          </button>
        )}
        {!archived && (
          <button type="button" disabled={busy} onClick={() => setArchiving(true)}>
            Archive…
          </button>
        )}
        {dirty && !archived && <span className="muted small">Unsaved changes in the editor.</span>}
      </div>
      <div aria-live="polite">
        <Feedback error={error} message={message} />
      </div>

      {latest?.patch ? (
        <>
          <PatchView patch={latest.patch} version={latest.version} />
          <PatchExport detail={detail} />
        </>
      ) : (
        <ScriptEditor />
      )}
      <LintPanel />
      <Versions key={`${detail.id}-${detail.latestVersion}`} />

      {archiving && (
        <ConfirmDialog
          title={`Archive draft #${detail.id}?`}
          confirmLabel="Archive"
          danger
          onCancel={() => setArchiving(false)}
          onConfirm={() => {
            setArchiving(false);
            void setState('archived');
          }}
        >
          <p>
            “{detail.title}” leaves the working list. An archived draft cannot be edited, marked
            ready or approved; its {detail.versions.length} version
            {detail.versions.length === 1 ? '' : 's'} stay in the vault and the audit trail.
          </p>
          {latest && (
            <p className="muted small">
              Latest version {latest.version}, SHA-256{' '}
              <span className="mono">{latest.sha256.slice(0, 16)}</span>
            </p>
          )}
        </ConfirmDialog>
      )}
    </article>
  );
}
