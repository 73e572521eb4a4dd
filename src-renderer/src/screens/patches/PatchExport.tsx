import { useState } from 'react';
import { call, errorMessage } from '../../api/client';
import { Feedback } from '../../components/Feedback';
import type { DraftDetail } from '../../stores/drafts';

/**
 * Export of an approved patch to a .patch file (the desktop app offers its save dialog;
 * elsewhere the path is typed). The core refuses without a live approval of the latest
 * version, and keeps an existing file unless "Replace" is ticked.
 */
export function PatchExport({ detail }: { detail: DraftDetail }) {
  const [path, setPath] = useState('');
  const [replace, setReplace] = useState(false);
  const [dialog, setDialog] = useState(true);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);

  const choose = async () => {
    const chosen = await call((api) => api.drafts.chooseExportPath({ id: detail.id }));
    setDialog(chosen.available);
    if (chosen.path) setPath(chosen.path);
  };
  const exportNow = async () => {
    setBusy(true);
    setError(null);
    setMessage(null);
    try {
      const done = await call((api) =>
        api.drafts.exportPatch({ id: detail.id, path: path.trim(), replace }),
      );
      setMessage(
        `Wrote ${done.path} (${done.bytes} bytes, approval #${done.approvalId}). Apply it in the repository root with: git apply ${done.path}`,
      );
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card" aria-label="Export patch">
      <h3>Export the approved patch</h3>
      <p className="muted small">
        A patch is never pushed over SSH: once version {detail.latestVersion} is approved, write it
        to a file and hand it to the project (git apply, or patch -p1, in the repository root).
      </p>
      <div className="inline-form">
        <label className="field">
          Save as
          <input
            type="text"
            value={path}
            placeholder="/media/transfer/fix.patch"
            onChange={(e) => setPath(e.target.value)}
          />
        </label>
        {dialog && (
          <button type="button" onClick={() => void choose()}>
            Choose…
          </button>
        )}
        <label className="check">
          <input type="checkbox" checked={replace} onChange={(e) => setReplace(e.target.checked)} />{' '}
          Replace an existing file
        </label>
        <button
          type="button"
          className="primary"
          disabled={busy || !path.trim() || detail.state !== 'ready'}
          title={detail.state !== 'ready' ? 'Mark it ready and have it approved first.' : undefined}
          onClick={() => void exportNow()}
        >
          Export patch
        </button>
      </div>
      <div aria-live="polite">
        <Feedback error={error} message={message} />
      </div>
    </section>
  );
}
