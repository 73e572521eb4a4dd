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
      {shown.length === 0 ? (
        <p className="muted small">
          {loading
            ? 'Loading…'
            : list.length === 0
              ? 'No drafts yet. Generate one from a finding or a rule group.'
              : `No ${STATE_LABELS[filter].toLowerCase()} drafts.`}
        </p>
      ) : (
        <ul aria-label="Drafts">
          {shown.map((d) => (
            <li key={d.id}>
              <button
                type="button"
                className={d.id === selectedId ? 'draft-item active' : 'draft-item'}
                aria-current={d.id === selectedId ? 'true' : undefined}
                data-draft-id={d.id}
                onClick={() => void select(d.id)}
              >
                <span className="draft-item-title">{d.title}</span>
                <span className="draft-item-meta small">
                  <StateBadge state={d.state} /> #{d.id} · {d.engine} · v{d.latestVersion} ·{' '}
                  {d.findings} finding{d.findings === 1 ? '' : 's'}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </nav>
  );
}
