import { useEffect, useRef } from 'react';

export const SHORTCUTS: readonly [string, string][] = [
  ['j / k', 'Move focus down / up'],
  ['Space', 'Select or unselect the focused finding'],
  ['Shift + j / Shift + k', 'Extend the selection down / up'],
  ['/', 'Focus the search box'],
  ['Enter', 'Open the focused finding'],
  ['a', 'Accept risk (selection, else focused finding)'],
  ['f', 'Mark false positive'],
  ['r', 'Reopen'],
  ['Escape', 'Close the detail panel, a dialog or this help'],
  ['?', 'Show this help'],
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    closeRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === '?') {
        e.preventDefault();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);
  return (
    <div className="modal-backdrop" role="presentation" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcuts-title"
        className="modal"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcuts-title">Keyboard shortcuts</h2>
        <p className="muted small">They work whenever you are not typing in a field.</p>
        <table className="table compact-table" aria-label="Shortcuts">
          <tbody>
            {SHORTCUTS.map(([key, what]) => (
              <tr key={key}>
                <td>
                  <kbd>{key}</kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <div className="actions">
          <button ref={closeRef} type="button" onClick={onClose}>
            Close
          </button>
        </div>
      </div>
    </div>
  );
}
