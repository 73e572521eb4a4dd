import { useState, type ReactNode } from 'react';
import { ConfirmDialog } from './ConfirmDialog';

interface Props {
  title: string;
  confirmLabel: string;
  /** The label of the required reason field. */
  label: string;
  /** What the field holds when the dialog opens. */
  initial?: string;
  maxLength: number;
  rows?: number;
  /** Keeps the confirm button disabled while an action runs. */
  busy?: boolean;
  children: ReactNode;
  onConfirm: (reason: string) => void;
  onCancel: () => void;
}

/** A destructive action that needs a reason: confirm stays disabled until one is written. */
export function ReasonDialog({
  title,
  confirmLabel,
  label,
  initial = '',
  maxLength,
  rows = 2,
  busy = false,
  children,
  onConfirm,
  onCancel,
}: Props) {
  const [reason, setReason] = useState(initial);
  return (
    <ConfirmDialog
      title={title}
      confirmLabel={confirmLabel}
      danger
      confirmDisabled={!reason.trim() || busy}
      onCancel={onCancel}
      onConfirm={() => onConfirm(reason)}
    >
      {children}
      <label className="field">
        {label}
        <textarea
          rows={rows}
          maxLength={maxLength}
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          autoFocus
        />
      </label>
    </ConfirmDialog>
  );
}
