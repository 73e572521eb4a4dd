import { useState } from 'react';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { Feedback } from '../../components/Feedback';
import { shortHash, useDrafts, type ModelInfo } from '../../stores/drafts';

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  if (n >= 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${n} B`;
}

function formatParams(n: number | null): string {
  if (n === null) return '—';
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} B`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}

function Metadata({ model }: { model: ModelInfo }) {
  const m = model.metadata;
  return (
    <span className="small">
      {m.architecture ?? 'unknown architecture'} · {formatParams(m.parameters)} parameters · context{' '}
      {m.contextLength ?? '—'} · {m.quantization ?? 'unknown quantization'}
    </span>
  );
}

function Warnings({ model }: { model: ModelInfo }) {
  if (model.warnings.length === 0) return null;
  return (
    <ul className="model-warnings" aria-label={`Warnings for ${model.name}`}>
      {model.warnings.map((w, i) => (
        <li key={i} className="warn-text small">
          {w}
        </li>
      ))}
    </ul>
  );
}

/** The local model registry: pick the model for LLM drafts, add a GGUF file, remove one. */
export function Models({
  selected,
  onSelect,
}: {
  selected: number | null;
  onSelect: (id: number) => void;
}) {
  const models = useDrafts((s) => s.models);
  const addedModel = useDrafts((s) => s.addedModel);
  const busy = useDrafts((s) => s.busy);
  const addModel = useDrafts((s) => s.addModel);
  const removeModel = useDrafts((s) => s.removeModel);
  const feedback = useDrafts((s) => s.modelFeedback);
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [removing, setRemoving] = useState<ModelInfo | null>(null);

  const add = async () => {
    if (await addModel(path, name)) {
      setPath('');
      setName('');
    }
  };

  return (
    <details className="card" aria-label="Local models">
      <summary>
        <h2 className="inline-heading">Local model (LLM engine)</h2>{' '}
        <span className="muted small">
          {models.length === 0
            ? 'none registered: only the rules engine can draft'
            : `${models.length} registered`}
        </span>
      </summary>
      {models.length === 0 ? (
        <p className="small" data-testid="no-model-help">
          No local model is registered, so “Generate (LLM)” is unavailable. To use it, copy a GGUF
          model file onto this machine (from removable media) and enter its full path below.
          VulnZero records its size, SHA-256 and GGUF metadata (architecture, parameters, context
          length, quantization) and warns about files it does not recognise. The file stays where it
          is; nothing is downloaded.
        </p>
      ) : (
        <>
          <label className="field small">
            Model for LLM drafts
            <select
              aria-label="Model for LLM drafts"
              value={selected ?? ''}
              onChange={(e) => onSelect(Number(e.target.value))}
            >
              {models.map((m) => (
                <option key={m.id} value={m.id}>
                  {m.name} ({shortHash(m.sha256)})
                </option>
              ))}
            </select>
          </label>
          <table className="table compact-table" aria-label="Local models">
            <thead>
              <tr>
                <th>Name</th>
                <th>File</th>
                <th>Metadata</th>
                <th>SHA-256</th>
                <th>Added</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {models.map((m) => (
                <tr key={m.id}>
                  <td>
                    {m.name}
                    <Warnings model={m} />
                  </td>
                  <td className="mono small wrap">
                    {m.path} <span className="muted">({formatBytes(m.size)})</span>
                  </td>
                  <td>
                    <Metadata model={m} />
                  </td>
                  <td className="mono small" title={m.sha256}>
                    {shortHash(m.sha256)}
                  </td>
                  <td className="small">
                    {m.addedBy} · {new Date(m.addedAt).toLocaleString()}
                  </td>
                  <td>
                    <button
                      type="button"
                      className="small-button"
                      disabled={busy}
                      onClick={() => setRemoving(m)}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void add();
        }}
      >
        <label className="field grow">
          GGUF file path
          <input
            className="mono"
            value={path}
            onChange={(e) => setPath(e.target.value)}
            placeholder="/media/usb/models/model.Q4_K_M.gguf"
            spellCheck={false}
          />
        </label>
        <label className="field small">
          Name (optional)
          <input value={name} onChange={(e) => setName(e.target.value)} />
        </label>
        <button type="submit" disabled={busy || path.trim() === ''}>
          Add model
        </button>
      </form>
      <Feedback error={feedback.error} message={feedback.message} />
      {addedModel && (
        <div className="notice small" data-testid="added-model">
          Added <strong>{addedModel.name}</strong>: {formatBytes(addedModel.size)}, SHA-256{' '}
          <span className="mono selectable">{addedModel.sha256}</span>
          <br />
          <Metadata model={addedModel} />
          {addedModel.warnings.length > 0 ? (
            <Warnings model={addedModel} />
          ) : (
            <div className="muted">No warnings.</div>
          )}
        </div>
      )}
      {removing && (
        <ConfirmDialog
          title={`Remove model “${removing.name}”?`}
          confirmLabel="Remove"
          danger
          onCancel={() => setRemoving(null)}
          onConfirm={() => {
            const id = removing.id;
            setRemoving(null);
            void removeModel(id);
          }}
        >
          <p>
            The model leaves the registry; the file at <code className="wrap">{removing.path}</code>{' '}
            stays where it is. Drafts made with it keep its SHA-256.
          </p>
        </ConfirmDialog>
      )}
    </details>
  );
}
