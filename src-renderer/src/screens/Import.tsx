import { useEffect, useState } from 'react';
import type { Output } from '../../../src-preload/contract';
import { Feedback } from '../components/Feedback';
import { call, errorMessage } from '../api/client';
import { useImports } from '../stores/imports';

type Format = Output<'import.formats'>[number];

/** Import scanner exports: choose files, watch per-file progress, read results and history. */
export function Import() {
  const { jobId, progress, results, history, error, finished, start, cancel, loadHistory, listen } =
    useImports();
  const [formats, setFormats] = useState<Format[]>([]);
  const [format, setFormat] = useState('');
  const [paths, setPaths] = useState('');
  const [dialog, setDialog] = useState<boolean | null>(null);
  const [keepGeneric, setKeepGeneric] = useState(false);

  useEffect(() => listen(), [listen]);
  useEffect(() => {
    void loadHistory();
    void call((api) => api.import.formats()).then(setFormats);
  }, [loadHistory]);

  const [dragging, setDragging] = useState(false);
  const [dropError, setDropError] = useState<string | null>(null);
  /** Dropped or picked files become paths in the list (Electron: their own; harness: staged). */
  const addFiles = async (files: File[]) => {
    setDropError(null);
    const added: string[] = [];
    for (const file of files) {
      try {
        added.push(await call((api) => api.files.pathFor(file)));
      } catch (e) {
        setDropError(`${file.name}: ${errorMessage(e)}`);
      }
    }
    if (added.length)
      setPaths((current) => [...current.split('\n').filter((p) => p.trim()), ...added].join('\n'));
  };

  const choose = async () => {
    const chosen = await call((api) => api.import.chooseFiles());
    setDialog(chosen.available);
    if (chosen.paths.length) setPaths(chosen.paths.join('\n'));
  };
  const list = paths
    .split('\n')
    .map((p) => p.trim())
    .filter(Boolean);
  const ratio = progress?.total ? progress.done / progress.total : null;

  return (
    <section className="screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Import</h1>
      <p className="muted">
        Scanner exports from removable media. The format is recognised from the content; each file
        is imported whole or not at all.
      </p>
      <div
        className={dragging ? 'card stack drop-zone dragging' : 'card stack drop-zone'}
        role="region"
        aria-label="Drop scanner exports here"
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          void addFiles(Array.from(e.dataTransfer.files));
        }}
      >
        <p className="muted">Drop scanner exports anywhere on this card, or pick them.</p>
        <div className="inline-form">
          <label className="button-like">
            Add files…
            <input
              type="file"
              multiple
              className="visually-hidden"
              aria-label="Add files from this computer"
              disabled={jobId !== null}
              onChange={(e) => {
                void addFiles(Array.from(e.target.files ?? []));
                e.target.value = '';
              }}
            />
          </label>
          <button type="button" onClick={() => void choose()} disabled={jobId !== null}>
            Choose files…
          </button>
          <select aria-label="Format" value={format} onChange={(e) => setFormat(e.target.value)}>
            <option value="">Detect format</option>
            {formats.map((f) => (
              <option key={f.format} value={f.format} title={f.hints}>
                {f.label} ({f.format})
              </option>
            ))}
          </select>
        </div>
        {dropError && (
          <p className="danger-text" role="alert">
            {dropError}
          </p>
        )}
        {dialog === false && (
          <p className="hint">The file dialog needs the desktop app; type the paths below.</p>
        )}
        <label className="field">
          Files (one path per line)
          <textarea
            aria-label="Files to import"
            rows={3}
            value={paths}
            onChange={(e) => setPaths(e.target.value)}
            className="mono"
          />
        </label>
        <label>
          <input
            type="checkbox"
            checked={keepGeneric}
            onChange={(e) => setKeepGeneric(e.target.checked)}
          />
          Keep findings of hosts named only localhost, 127.0.0.1 or similar (one asset per scan and
          name)
        </label>
        <div className="inline-form">
          <button
            type="button"
            className="primary"
            disabled={jobId !== null || list.length === 0}
            onClick={() => void start(list, format || undefined, keepGeneric)}
          >
            Import {list.length > 1 ? `${list.length} files` : 'file'}
          </button>
          {jobId && (
            <button type="button" onClick={() => void cancel()}>
              Cancel
            </button>
          )}
        </div>
        {jobId && (
          <div className="job-progress" role="status" aria-live="polite">
            <progress max={1} value={ratio ?? undefined} aria-label="Import progress" />
            <span className="muted">
              {progress
                ? `${progress.phase} ${ratio !== null ? `${Math.floor(ratio * 100)} %` : ''} ${progress.message ?? ''}`
                : 'starting…'}
            </span>
          </div>
        )}
        <Feedback error={error} message={finished} />
        {results.some((r) => r.skipped) && (
          <ul className="hint" aria-label="Skipped findings">
            {results.flatMap((r) =>
              (r.skipped?.reasons ?? []).map((x) => (
                <li key={`${r.file}-${x.reason}`}>
                  {r.file}: {x.count} finding(s) skipped, {x.reason}. Tick “Keep findings of hosts
                  named only localhost” and import again to keep them.
                </li>
              )),
            )}
          </ul>
        )}
        {results.length > 0 && (
          <table className="table" aria-label="Import results">
            <thead>
              <tr>
                <th>File</th>
                <th>Format</th>
                <th>Assets</th>
                <th>New</th>
                <th>Updated</th>
                <th>Unchanged</th>
                <th>Not seen</th>
                <th>Skipped</th>
                <th>Time</th>
              </tr>
            </thead>
            <tbody>
              {results.map((r, i) =>
                r.error ? (
                  <tr key={i}>
                    <td>{r.file}</td>
                    <td colSpan={8} className="error-text">
                      {r.error.message}
                    </td>
                  </tr>
                ) : (
                  <tr key={i}>
                    <td>
                      {r.file}
                      {r.duplicateOf !== undefined && (
                        <span className="muted"> (already imported: same bytes)</span>
                      )}
                    </td>
                    <td>{r.format}</td>
                    <td data-testid="import-assets">
                      {r.assets}
                      {r.softwareAssets ? (
                        <span className="muted">
                          {' '}
                          (
                          {r.softwareAssets === r.assets
                            ? 'software'
                            : `${r.softwareAssets} software`}
                          )
                        </span>
                      ) : null}
                    </td>
                    <td>{r.findings.new}</td>
                    <td>{r.findings.updated}</td>
                    <td>{r.findings.unchanged}</td>
                    <td>{r.findings.notSeen}</td>
                    <td
                      className={r.skipped ? 'error-text' : undefined}
                      title={r.skipped?.reasons.map((x) => `${x.count}: ${x.reason}`).join('\n')}
                    >
                      {r.skipped?.count ?? 0}
                    </td>
                    <td>{(r.durationMs / 1000).toFixed(1)} s</td>
                  </tr>
                ),
              )}
            </tbody>
          </table>
        )}
      </div>
      <h2>History</h2>
      {history.length === 0 ? (
        <p className="muted">
          Nothing imported yet. Choose a Nessus, OpenVAS, Qualys, Nexpose, Nmap, Wazuh, Trivy or
          Grype export above.
        </p>
      ) : (
        <table className="table" aria-label="Import history">
          <thead>
            <tr>
              <th>When</th>
              <th>File</th>
              <th>Format</th>
              <th>Scanner</th>
              <th>Assets</th>
              <th>New</th>
              <th>Not seen</th>
              <th>By</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.id}>
                <td>{new Date(h.importedAt).toLocaleString()}</td>
                <td title={h.sha256}>
                  {h.fileName}
                  {h.duplicateOf !== null && (
                    <span className="muted"> (duplicate of #{h.duplicateOf})</span>
                  )}
                </td>
                <td>{h.format}</td>
                <td>{h.scanner}</td>
                <td>{h.assets}</td>
                <td>{h.findings.new}</td>
                <td>{h.findings.notSeen}</td>
                <td>{h.importedBy}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
