import type { ReactNode } from 'react';
import type { DraftSummary } from '../stores/drafts';

interface Props {
  drafts: readonly DraftSummary[];
  selectedId: number | null;
  onSelect: (id: number) => void;
  /** The list's accessible name. */
  label: string;
  /** Shown instead of the list when it is empty. */
  empty: ReactNode;
  /** The line under a draft's title. */
  meta: (draft: DraftSummary) => ReactNode;
}

/** Drafts as buttons (title and a line of facts); the selected one is marked current. */
export function DraftItems({ drafts, selectedId, onSelect, label, empty, meta }: Props) {
  if (drafts.length === 0) return <p className="muted small">{empty}</p>;
  return (
    <ul aria-label={label}>
      {drafts.map((d) => (
        <li key={d.id}>
          <button
            type="button"
            className={d.id === selectedId ? 'draft-item active' : 'draft-item'}
            aria-current={d.id === selectedId ? 'true' : undefined}
            data-draft-id={d.id}
            onClick={() => onSelect(d.id)}
          >
            <span className="draft-item-title">{d.title}</span>
            <span className="draft-item-meta small">{meta(d)}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
