import { useEffect, useState, type ReactNode } from 'react';

interface Props {
  title: string;
  children: ReactNode;
  /** When set, the operator must type this word to enable the button. */
  typeToConfirm?: string;
  confirmLabel: string;
  danger?: boolean;
  /** Keeps the confirm button disabled (a required field is empty, or the action runs). */
  confirmDisabled?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}

/** Every destructive action goes through this dialog. Escape cancels. */
export function ConfirmDialog({
  title,
  children,
  typeToConfirm,
  confirmLabel,
  danger,
  confirmDisabled,
  onConfirm,
  onCancel,
}: Props) {
  const [typed, setTyped] = useState('');
  const ready = (!typeToConfirm || typed === typeToConfirm) && !confirmDisabled;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onCancel();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);
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
