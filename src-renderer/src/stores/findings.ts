import { create } from 'zustand';
import type { Input, Output } from '../../../src-preload/contract';
import type {
  GROUP_BY,
  SORT_COLUMNS,
  SavedView,
  TriageFilter,
  TriageRow,
  TriageSort,
} from '../../../src-preload/triage-schemas';
import { call, errorMessage } from '../api/client';

export type GroupBy = (typeof GROUP_BY)[number];
export type SortColumn = (typeof SORT_COLUMNS)[number];
export type GroupRow = Output<'findings.groups'>[number];
export type FindingDetail = Output<'findings.detail'>;
export type Facets = Output<'findings.facets'>;
export type DecideRequest = Omit<Input<'findings.decide'>, 'ids' | 'confirm'>;
export type DecideOutcome =
  { ok: true; updated: number; skipped: number } | { ok: false; error: string };

/** Rows per findings.page call. */
export const PAGE_SIZE = 200;
/**
 * Pages kept in memory (5,000 rows): pages far from what is on screen are dropped and
 * fetched again with their remembered cursor when scrolled back into view.
 */
export const MAX_PAGES = 25;
export const DEFAULT_FILTER: TriageFilter = { status: ['open'] };
export const DEFAULT_SORT: TriageSort = { column: 'risk', dir: 'desc' };
export const DEFAULT_COLUMNS = [
  'risk',
  'decision',
  'severity',
  'title',
  'asset',
  'cves',
  'epss',
  'kev',
  'due',
  'status',
];
const COUNT_DEBOUNCE_MS = 250;
const REFRESH_AFTER_MS = 1000;
/** Columns whose natural first click sorts ascending (dates due soonest, names A→Z). */
const ASC_FIRST: readonly SortColumn[] = ['due', 'title', 'asset', 'id', 'firstSeen'];

/** Drops empty values so the filter sent to the core (and saved in views) stays minimal. */
export function cleanFilter(filter: Record<string, unknown>): TriageFilter {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(filter)) {
    if (value === undefined || value === null || value === false) continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (typeof value === 'string') {
      if (value.trim()) out[key] = value.trim();
    } else out[key] = value;
  }
  return out;
}

export function decideMessage(updated: number, skipped: number): string {
  return `${updated} updated, ${skipped} skipped`;
}

interface FindingsState {
  filter: TriageFilter;
  sort: TriageSort;
  columns: string[];
  groupBy: GroupBy | null;

  /** Sparse page cache: page index -> rows. */
  pages: Record<number, TriageRow[]>;
  /** Cursor to fetch each page (null for the first page); known once the page before was read. */
  cursors: Record<number, string | null>;
  loadingPages: number[];
  /** Rows known to exist (the table's length); the table adds one loader row while `more`. */
  reached: number;
  more: boolean;
  /** The rows on screen, so eviction keeps what the operator is looking at. */
  visible: [number, number];
  generation: number;
  /** When the table was last (re)loaded, so opening the screen refreshes stale rows once. */
  loadedAt: number;

  total: number | null;
  counting: boolean;
  groups: GroupRow[] | null;
  groupsLoading: boolean;

  selection: Set<number>;
  focus: number;

  detailId: number | null;
  detail: FindingDetail | null;
  detailError: string | null;

  views: SavedView[];
  facets: Facets | null;

  error: string | null;
  message: string | null;

  rowAt: (index: number) => TriageRow | undefined;
  loadedRows: () => number;
  ensureLoaded: () => void;
  reload: (options?: { keepFocus?: boolean }) => void;
  ensureRange: (start: number, end: number) => void;
  loadCount: () => Promise<void>;
  loadGroups: () => Promise<void>;
  setFilter: (patch: Partial<Record<keyof TriageFilter, unknown>>) => void;
  replaceFilter: (filter: TriageFilter) => void;
  setSort: (column: SortColumn) => void;
  setGroupBy: (by: GroupBy | null) => void;
  applyGroup: (group: GroupRow) => void;
  setColumns: (columns: string[]) => void;
  setFocus: (index: number) => void;
  moveFocus: (delta: number) => void;
  toggleSelect: (id: number) => void;
  toggleFocused: () => void;
  extendSelection: (delta: number) => void;
  selectLoaded: () => void;
  clearSelection: () => void;
  /** The ids an action applies to: the selection, else the focused row. */
  targetIds: () => number[];
  decide: (request: DecideRequest, ids?: number[]) => Promise<DecideOutcome>;
  openDetail: (id: number) => Promise<void>;
  closeDetail: () => void;
  loadViews: () => Promise<void>;
  loadFacets: () => Promise<void>;
  saveView: (name: string) => Promise<boolean>;
  applyView: (view: SavedView) => void;
  deleteView: (name: string) => Promise<boolean>;
  setMessage: (message: string | null) => void;
  /** Forgets every row, selection and detail (the vault was locked). */
  reset: () => void;
}

/** The store's data, without its actions. */
type FindingsData = {
  [
    K in keyof FindingsState as FindingsState[K] extends (...args: never[]) => unknown ? never : K
  ]: FindingsState[K];
};

let countTimer: ReturnType<typeof setTimeout> | null = null;

export const useFindings = create<FindingsState>((set, get) => {
  const fetchPage = async (page: number): Promise<void> => {
    const state = get();
    const cursor = state.cursors[page];
    if (cursor === undefined || state.loadingPages.includes(page)) return;
    const generation = state.generation;
    set({ loadingPages: [...state.loadingPages, page] });
    try {
      const result = await call((api) =>
        api.findings.page({
          filter: state.filter,
          sort: state.sort,
          limit: PAGE_SIZE,
          ...(cursor ? { cursor } : {}),
        }),
      );
      if (get().generation !== generation) return;
      const now = get();
      const pages = { ...now.pages, [page]: result.rows };
      const cursors = { ...now.cursors };
      if (result.next) cursors[page + 1] = result.next;
      const end = page * PAGE_SIZE + result.rows.length;
      const last = result.next === null;
      set({
        pages: evict(pages, now.visible),
        cursors,
        reached: last ? end : Math.max(now.reached, end),
        more: last ? false : now.more,
        loadingPages: now.loadingPages.filter((p) => p !== page),
        error: null,
      });
    } catch (error) {
      if (get().generation !== generation) return;
      set({
        loadingPages: get().loadingPages.filter((p) => p !== page),
        more: false,
        error: errorMessage(error),
      });
    }
  };

  const scheduleCount = () => {
    if (countTimer) clearTimeout(countTimer);
    set({ counting: true });
    countTimer = setTimeout(() => {
      countTimer = null;
      void get().loadCount();
    }, COUNT_DEBOUNCE_MS);
  };

  const initial: FindingsData = {
    filter: DEFAULT_FILTER,
    sort: DEFAULT_SORT,
    columns: DEFAULT_COLUMNS,
    groupBy: null,
    pages: {},
    cursors: {},
    loadingPages: [],
    reached: 0,
    more: false,
    visible: [0, 0],
    generation: 0,
    loadedAt: 0,
    total: null,
    counting: false,
    groups: null,
    groupsLoading: false,
    selection: new Set(),
    focus: 0,
    detailId: null,
    detail: null,
    detailError: null,
    views: [],
    facets: null,
    error: null,
    message: null,
  };

  return {
    ...initial,
    rowAt: (index) => get().pages[Math.floor(index / PAGE_SIZE)]?.[index % PAGE_SIZE],
    loadedRows: () => Object.values(get().pages).reduce((n, rows) => n + rows.length, 0),

    ensureLoaded: () => {
      const s = get();
      // Imports and asset edits elsewhere change rows and scores: coming back refreshes,
      // unless a click-through just loaded the table.
      if (Date.now() - s.loadedAt > REFRESH_AFTER_MS) {
        s.reload({ keepFocus: true });
        if (s.detailId !== null) void s.openDetail(s.detailId);
      }
      void s.loadViews();
      void s.loadFacets();
    },

    reload: (options) => {
      const s = get();
      set({
        generation: s.generation + 1,
        pages: {},
        cursors: { 0: null },
        loadingPages: [],
        reached: 0,
        more: true,
        focus: options?.keepFocus ? s.focus : 0,
        visible: [0, 0],
        loadedAt: Date.now(),
        error: null,
      });
      void fetchPage(0);
      scheduleCount();
      if (get().groupBy) void get().loadGroups();
    },

    ensureRange: (start, end) => {
      set({ visible: [start, end] });
      const s = get();
      const first = Math.floor(start / PAGE_SIZE);
      const last = Math.floor(Math.max(start, end) / PAGE_SIZE);
      for (let p = first; p <= last; p++) {
        if (!s.pages[p]) void fetchPage(p);
      }
    },

    loadCount: async () => {
      const { filter, generation } = get();
      set({ counting: true });
      try {
        const { total } = await call((api) => api.findings.count({ filter }));
        if (get().generation === generation) set({ total, counting: false });
      } catch (error) {
        if (get().generation === generation)
          set({ total: null, counting: false, error: errorMessage(error) });
      }
    },

    loadGroups: async () => {
      const { filter, groupBy, generation } = get();
      if (!groupBy) return set({ groups: null });
      set({ groupsLoading: true });
      try {
        const groups = await call((api) =>
          api.findings.groups({ filter, by: groupBy, limit: 200 }),
        );
        if (get().generation === generation && get().groupBy === groupBy)
          set({ groups, groupsLoading: false });
      } catch (error) {
        set({ groupsLoading: false, error: errorMessage(error) });
      }
    },

    setFilter: (patch) => {
      set({ filter: cleanFilter({ ...get().filter, ...patch }), selection: new Set() });
      get().reload();
    },
    replaceFilter: (filter) => {
      set({ filter: cleanFilter(filter), selection: new Set(), groupBy: null, groups: null });
      get().reload();
    },
    setSort: (column) => {
      const { sort } = get();
      const dir =
        sort.column === column
          ? sort.dir === 'asc'
            ? 'desc'
            : 'asc'
          : ASC_FIRST.includes(column)
            ? 'asc'
            : 'desc';
      set({ sort: { column, dir } });
      get().reload();
    },
    setGroupBy: (groupBy) => {
      set({ groupBy, groups: null });
      if (groupBy) void get().loadGroups();
    },
    applyGroup: (group) => {
      set({
        filter: cleanFilter({ ...get().filter, ...group.filter }),
        groupBy: null,
        groups: null,
        selection: new Set(),
      });
      get().reload();
    },
    setColumns: (columns) => set({ columns }),

    setFocus: (index) => set({ focus: clamp(index, get().reached) }),
    moveFocus: (delta) => set({ focus: clamp(get().focus + delta, get().reached) }),
    toggleSelect: (id) => {
      const selection = new Set(get().selection);
      if (selection.has(id)) selection.delete(id);
      else selection.add(id);
      set({ selection });
    },
    toggleFocused: () => {
      const row = get().rowAt(get().focus);
      if (row) get().toggleSelect(row.id);
    },
    extendSelection: (delta) => {
      const s = get();
      const selection = new Set(s.selection);
      const from = s.rowAt(s.focus);
      if (from) selection.add(from.id);
      const focus = clamp(s.focus + delta, s.reached);
      const to = s.rowAt(focus);
      if (to) selection.add(to.id);
      set({ selection, focus });
    },
    selectLoaded: () => {
      const selection = new Set(get().selection);
      for (const rows of Object.values(get().pages)) for (const r of rows) selection.add(r.id);
      set({ selection });
    },
    clearSelection: () => set({ selection: new Set() }),
    targetIds: () => {
      const s = get();
      if (s.selection.size > 0) return [...s.selection];
      const row = s.rowAt(s.focus);
      return row ? [row.id] : [];
    },

    decide: async (request, ids) => {
      const targets = ids ?? get().targetIds();
      if (targets.length === 0) return { ok: false, error: 'Select at least one finding.' };
      try {
        const r = await call((api) =>
          api.findings.decide({ ...request, ids: targets, confirm: true }),
        );
        set({ message: decideMessage(r.updated, r.skipped), selection: new Set() });
        get().reload({ keepFocus: true });
        void get().loadFacets(); // a new owner or tag appears in the pickers
        const { detailId } = get();
        if (detailId !== null && targets.includes(detailId)) void get().openDetail(detailId);
        return { ok: true, updated: r.updated, skipped: r.skipped };
      } catch (error) {
        return { ok: false, error: errorMessage(error) };
      }
    },

    openDetail: async (id) => {
      set({
        detailId: id,
        detailError: null,
        ...(get().detail?.row.id === id ? {} : { detail: null }),
      });
      try {
        const detail = await call((api) => api.findings.detail({ id }));
        if (get().detailId === id) set({ detail });
      } catch (error) {
        if (get().detailId === id) set({ detailError: errorMessage(error) });
      }
    },
    closeDetail: () => set({ detailId: null, detail: null, detailError: null }),

    loadViews: async () => {
      try {
        set({ views: await call((api) => api.findings.views()) });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    loadFacets: async () => {
      try {
        set({ facets: await call((api) => api.findings.facets()) });
      } catch {
        // The pickers fall back to free text; the table's own error says what is wrong.
      }
    },
    saveView: async (name) => {
      const { filter, sort, columns, groupBy } = get();
      try {
        const views = await call((api) =>
          api.findings.saveView({ name: name.trim(), filter, sort, columns, groupBy }),
        );
        set({ views, message: `View “${name.trim()}” saved.`, error: null });
        return true;
      } catch (error) {
        set({ error: errorMessage(error) });
        return false;
      }
    },
    applyView: (view) => {
      set({
        filter: cleanFilter(view.filter),
        sort: view.sort,
        columns: view.columns.length > 0 ? view.columns : DEFAULT_COLUMNS,
        groupBy: view.groupBy,
        groups: null,
        selection: new Set(),
        message: null,
      });
      get().reload();
    },
    deleteView: async (name) => {
      try {
        const views = await call((api) => api.findings.deleteView({ name, confirm: true }));
        set({ views, message: `View “${name}” deleted.`, error: null });
        return true;
      } catch (error) {
        set({ error: errorMessage(error) });
        return false;
      }
    },
    setMessage: (message) => set({ message }),
    reset: () => {
      if (countTimer) clearTimeout(countTimer);
      countTimer = null;
      set({ ...initial, selection: new Set(), generation: get().generation + 1 });
    },
  };
});

function clamp(index: number, length: number): number {
  if (length <= 0) return 0;
  return Math.max(0, Math.min(length - 1, index));
}

/** Keeps at most MAX_PAGES pages, dropping those farthest from the visible rows. */
function evict(
  pages: Record<number, TriageRow[]>,
  visible: [number, number],
): Record<number, TriageRow[]> {
  const keys = Object.keys(pages).map(Number);
  if (keys.length <= MAX_PAGES) return pages;
  const centre = (visible[0] + visible[1]) / 2 / PAGE_SIZE;
  const keep = keys.sort((a, b) => Math.abs(a - centre) - Math.abs(b - centre)).slice(0, MAX_PAGES);
  const out: Record<number, TriageRow[]> = {};
  for (const k of keep) out[k] = pages[k]!;
  return out;
}
