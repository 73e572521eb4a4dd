import { DraftItems } from '../../components/DraftItems';
import {
  DRAFT_STATES,
  countByState,
  useDrafts,
  type DraftState,
  type StateFilter,
} from '../../stores/drafts';

export const STATE_LABELS: Record<StateFilter, string> = {
  all: 'All',
  draft: 'Draft',
  ready: 'Ready',
  blocked: 'Blocked',
  archived: 'Archived',
};

export function StateBadge({ state }: { state: DraftState }) {
  return (
    <span className={`state-badge state-${state}`} data-testid="draft-state">
      {state}
    </span>
  );
}

/** Drafts by state: filter buttons with counts, newest first. */
export function DraftList() {
  const list = useDrafts((s) => s.list);
  const filter = useDrafts((s) => s.filter);
  const setFilter = useDrafts((s) => s.setFilter);
  const selectedId = useDrafts((s) => s.selectedId);
  const select = useDrafts((s) => s.select);
  const loading = useDrafts((s) => s.listLoading);
  const counts = countByState(list);
  const shown = filter === 'all' ? list : list.filter((d) => d.state === filter);
  const filters: StateFilter[] = ['all', ...DRAFT_STATES];

  return (
    <nav className="draft-list" aria-label="Drafts by state">
      <div className="state-filters" role="group" aria-label="Filter by state">
        {filters.map((f) => (
          <button
            key={f}
            type="button"
            className={f === filter ? 'chip active' : 'chip'}
            aria-pressed={f === filter}
            onClick={() => setFilter(f)}
          >
            {STATE_LABELS[f]} {counts[f]}
          </button>
        ))}
      </div>
      <DraftItems
        drafts={shown}
        selectedId={selectedId}
        onSelect={(id) => void select(id)}
        label="Drafts"
        empty={
          loading
            ? 'Loading…'
            : list.length === 0
              ? 'No drafts yet. Generate one from a finding or a rule group.'
              : `No ${STATE_LABELS[filter].toLowerCase()} drafts.`
        }
        meta={(d) => (
          <>
            <StateBadge state={d.state} /> #{d.id} · {d.engine} · v{d.latestVersion} · {d.findings}{' '}
            finding{d.findings === 1 ? '' : 's'}
          </>
        )}
      />
    </nav>
  );
}
