import { useState, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  /** When set, the operator must type this word to enable the button. */
  typeToConfirm?: string;
  confirmLabel: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Every destructive action goes through this dialog. */
export function ConfirmDialog({
  title,
  children,
  typeToConfirm,
  confirmLabel,
  danger,
  onConfirm,
  onCancel,
}: Props) {
  const [typed, setTyped] = useState('');
  const ready = !typeToConfirm || typed === typeToConfirm;
  return (
    <div className="modal-backdrop" role="presentation">
      <div role="dialog" aria-modal="true" aria-labelledby="confirm-title" className="modal">
        <h2 id="confirm-title">{title}</h2>
        <div className="modal-body">{children}</div>
        {typeToConfirm && (
          <label className="field">
            Type <code>{typeToConfirm}</code> to confirm
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoFocus
              aria-label="Confirmation word"
            />
          </label>
        )}
        <div className="actions">
          <button type="button" onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            className={danger ? 'danger' : 'primary'}
            disabled={!ready}
            onClick={onConfirm}
          >
            {confirmLabel}
          </button>
        </div>
      </div>
    </div>
  );
}
