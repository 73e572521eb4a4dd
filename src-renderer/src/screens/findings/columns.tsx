import type { ReactNode } from 'react';
import type { TriageRow } from '../../../../src-preload/triage-schemas';
import type { SortColumn } from '../../stores/findings';

export interface Column {
  id: string;
  label: string;
  /** The findings.page sort column; null when the column cannot be sorted. */
  sort: SortColumn | null;
  /** Minimum width in pixels; columns with `grow` share the remaining width. */
  min: number;
  grow?: number;
  render: (row: TriageRow) => ReactNode;
}

const day = (iso: string) => iso.slice(0, 10);

export function formatEpss(epss: number | null): string {
  return epss === null ? '—' : `${(epss * 100).toFixed(1)} %`;
}

/** Every column the table can show; the column chooser picks which, saved views remember it. */
export const COLUMNS: readonly Column[] = [
  {
    id: 'risk',
    label: 'Risk',
    sort: 'risk',
    min: 64,
    render: (r) => <span className="mono">{r.riskScore.toFixed(1)}</span>,
  },
  {
    id: 'decision',
    label: 'Decision',
    sort: 'decision',
    min: 116,
    render: (r) => (
      <span className={`decision decision-${r.decision.toLowerCase()}`}>{r.decision}</span>
    ),
  },
  {
    id: 'severity',
    label: 'Severity',
    sort: 'severity',
    min: 80,
    render: (r) => <span className={`sev sev-${r.severity}`}>{r.severity}</span>,
  },
  {
    id: 'title',
    label: 'Title',
    sort: 'title',
    min: 200,
    grow: 3,
    render: (r) => r.title,
  },
  {
    id: 'asset',
    label: 'Asset',
    sort: 'asset',
    min: 120,
    grow: 1.2,
    render: (r) => r.assetName,
  },
  {
    id: 'port',
    label: 'Port',
    sort: null,
    min: 80,
    render: (r) => (r.port === null ? '' : `${r.port}/${r.protocol ?? ''}`),
  },
  {
    id: 'component',
    label: 'Component',
    sort: null,
    min: 100,
    grow: 1,
    render: (r) => r.component ?? '',
  },
  {
    id: 'location',
    label: 'Location',
    sort: null,
    min: 140,
    grow: 1,
    // SARIF results: path:line in the source tree of a software asset.
    render: (r) => (r.location ? <span className="mono small">{r.location}</span> : ''),
  },
  { id: 'kind', label: 'Kind', sort: null, min: 110, render: (r) => r.kind },
  {
    id: 'cves',
    label: 'CVE',
    sort: null,
    min: 136,
    render: (r) =>
      r.cves.length === 0 ? '' : `${r.cves[0]}${r.cves.length > 1 ? ` +${r.cves.length - 1}` : ''}`,
  },
  { id: 'epss', label: 'EPSS', sort: 'epss', min: 70, render: (r) => formatEpss(r.epss) },
  {
    id: 'kev',
    label: 'KEV',
    sort: null,
    min: 56,
    render: (r) => (r.kev ? <span className="kev">KEV</span> : ''),
  },
  {
    id: 'due',
    label: 'Due',
    sort: 'due',
    min: 104,
    render: (r) => <span className={r.overdue ? 'warn-text' : ''}>{day(r.dueAt)}</span>,
  },
  { id: 'status', label: 'Status', sort: null, min: 96, render: (r) => r.status },
  {
    id: 'firstSeen',
    label: 'First seen',
    sort: 'firstSeen',
    min: 104,
    render: (r) => day(r.firstSeen),
  },
  {
    id: 'lastSeen',
    label: 'Last seen',
    sort: 'lastSeen',
    min: 104,
    render: (r) => day(r.lastSeen),
  },
  { id: 'scanner', label: 'Scanner', sort: null, min: 100, render: (r) => r.scanner },
  { id: 'owner', label: 'Owner', sort: null, min: 100, render: (r) => r.owner ?? '' },
  { id: 'tags', label: 'Tags', sort: null, min: 110, render: (r) => r.tags.join(' ') },
  { id: 'id', label: 'ID', sort: 'id', min: 64, render: (r) => r.id },
];

/** The CSS grid track of a column. */
export function track(c: Column): string {
  return c.grow ? `minmax(${c.min}px, ${c.grow}fr)` : `${c.min}px`;
}

export function visibleColumns(ids: readonly string[]): Column[] {
  const chosen = COLUMNS.filter((c) => ids.includes(c.id));
  return chosen.length > 0 ? chosen : COLUMNS.filter((c) => c.id === 'title');
}
