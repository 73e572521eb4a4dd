import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { TriageRow } from '../../../src-preload/triage-schemas';
import {
  DEFAULT_FILTER,
  DEFAULT_SORT,
  MAX_PAGES,
  PAGE_SIZE,
  cleanFilter,
  useFindings,
} from '../../../src-renderer/src/stores/findings';
import { useUi } from '../../../src-renderer/src/stores/ui';

const g = globalThis as unknown as { vulnzero?: unknown };
const initial = useFindings.getState();

function row(id: number): TriageRow {
  return {
    id,
    status: 'open',
    statusReason: null,
    title: `Finding ${id}`,
    severity: 'high',
    kind: 'vulnerability',
    location: null,
    decision: 'Scheduled',
    riskScore: 50,
    dueAt: '2030-01-01T00:00:00Z',
    overdue: false,
    kev: false,
    epss: null,
    cves: [],
    vulnerabilityId: 1,
    assetId: 1,
    assetName: 'host',
    port: null,
    protocol: null,
    component: null,
    fixedVersion: null,
    scanner: 'nessus',
    firstSeen: '2025-01-01T00:00:00Z',
    lastSeen: '2025-01-02T00:00:00Z',
    owner: null,
    tags: [],
  };
}

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
const fail = (code: string, message: string) =>
  Promise.resolve({ ok: false as const, error: { code, message } });

/** A fake core over `total` findings; the cursor is the offset as text. */
function fakeApi(total: number) {
  const calls = {
    page: [] as { filter: unknown; sort: unknown; limit: number; cursor?: string }[],
    count: 0,
    decide: [] as unknown[],
    groups: [] as unknown[],
    saveView: [] as unknown[],
  };
  const api = {
    findings: {
      page: (input: { filter: unknown; sort: unknown; limit: number; cursor?: string }) => {
        calls.page.push(input);
        const from = input.cursor ? Number(input.cursor) : 0;
        const to = Math.min(total, from + input.limit);
        const rows = [];
        for (let i = from; i < to; i++) rows.push(row(i + 1));
        return ok({ rows, next: to < total ? String(to) : null });
      },
      count: () => {
        calls.count++;
        return ok({ total });
      },
      groups: (input: unknown) => {
        calls.groups.push(input);
        return ok([{ filter: { vulnerabilityId: 7 }, label: 'OpenSSH', count: 3, maxRisk: 80 }]);
      },
      decide: (input: unknown) => {
        calls.decide.push(input);
        return ok({ updated: 12, skipped: 3 });
      },
      detail: () => fail('NOT_FOUND', 'No such finding.'),
      views: () => ok([]),
      facets: () => ok({ scanners: ['nessus'], tags: [], owners: [] }),
      saveView: (input: unknown) => {
        calls.saveView.push(input);
        return ok([input]);
      },
      deleteView: () => ok([]),
    },
  };
  g.vulnzero = api;
  return { api, calls };
}

/** Lets the store's awaited bridge calls settle. */
const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  useFindings.setState({ ...initial, selection: new Set() }, true);
});
afterEach(() => {
  delete g.vulnzero;
  vi.useRealTimers();
});

describe('findings store: pages', () => {
  it('loads the first page with the default filter and sort, and counts separately', async () => {
    vi.useFakeTimers();
    const { calls } = fakeApi(450);
    useFindings.getState().reload();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.page).toEqual([{ filter: DEFAULT_FILTER, sort: DEFAULT_SORT, limit: PAGE_SIZE }]);
    expect(calls.count).toBe(0); // debounced
    const s = useFindings.getState();
    expect(s.reached).toBe(PAGE_SIZE);
    expect(s.more).toBe(true);
    expect(s.rowAt(0)?.id).toBe(1);
    expect(s.rowAt(PAGE_SIZE - 1)?.id).toBe(PAGE_SIZE);
    expect(s.rowAt(PAGE_SIZE)).toBeUndefined();
    await vi.advanceTimersByTimeAsync(300);
    expect(calls.count).toBe(1);
    expect(useFindings.getState().total).toBe(450);
  });

  it('fetches the next pages with the cursor when scrolled into view, and stops at the end', async () => {
    const { calls } = fakeApi(450);
    useFindings.getState().reload();
    await settle();
    useFindings.getState().ensureRange(150, PAGE_SIZE); // the loader row is visible
    await settle();
    expect(calls.page[1]?.cursor).toBe(String(PAGE_SIZE));
    useFindings.getState().ensureRange(390, 2 * PAGE_SIZE);
    await settle();
    const s = useFindings.getState();
    expect(s.reached).toBe(450);
    expect(s.more).toBe(false);
    expect(s.rowAt(449)?.id).toBe(450);
    expect(calls.page).toHaveLength(3);
  });

  it(`keeps at most ${MAX_PAGES} pages and reads a dropped page again with its cursor`, async () => {
    const { calls } = fakeApi((MAX_PAGES + 5) * PAGE_SIZE);
    useFindings.getState().reload();
    await settle();
    for (let p = 1; p < MAX_PAGES + 5; p++) {
      useFindings.getState().ensureRange(p * PAGE_SIZE, p * PAGE_SIZE + 20);
      await settle();
    }
    let s = useFindings.getState();
    expect(Object.keys(s.pages)).toHaveLength(MAX_PAGES);
    expect(s.loadedRows()).toBe(MAX_PAGES * PAGE_SIZE);
    expect(s.rowAt(0)).toBeUndefined(); // the first page was dropped
    expect(s.reached).toBe((MAX_PAGES + 5) * PAGE_SIZE);
    const before = calls.page.length;
    s.ensureRange(0, 30);
    await settle();
    s = useFindings.getState();
    expect(calls.page).toHaveLength(before + 1);
    expect(calls.page.at(-1)?.cursor).toBeUndefined();
    expect(s.rowAt(0)?.id).toBe(1);
    expect(Object.keys(s.pages).length).toBeLessThanOrEqual(MAX_PAGES);
  });

  it('ignores a page that answers after the filter changed', async () => {
    let release: (() => void) | null = null;
    const { api } = fakeApi(10);
    const real = api.findings.page;
    api.findings.page = (input) =>
      new Promise((resolve) => {
        release = () => void real(input).then(resolve);
      });
    useFindings.getState().reload();
    const stale = release as unknown as () => void;
    api.findings.page = real;
    useFindings.getState().setFilter({ kev: true });
    await settle();
    stale();
    await settle();
    expect(useFindings.getState().filter).toEqual({ status: ['open'], kev: true });
    expect(useFindings.getState().reached).toBe(10);
  });

  it('shows the core’s error message and stops asking for more', async () => {
    g.vulnzero = {
      findings: {
        page: () => fail('BAD_CURSOR', 'The list changed; start again from the top.'),
        count: () => ok({ total: 0 }),
      },
    };
    useFindings.getState().reload();
    await settle();
    expect(useFindings.getState()).toMatchObject({
      error: 'The list changed; start again from the top.',
      more: false,
    });
  });
});

describe('findings store: filter, sort, groups', () => {
  it('cleans empty filter values and clears the selection when the filter changes', async () => {
    expect(cleanFilter({ status: [], q: '  ', kev: false, asset: ' web ', epssMin: 0 })).toEqual({
      asset: 'web',
      epssMin: 0,
    });
    const { calls } = fakeApi(5);
    useFindings.setState({ selection: new Set([1]) });
    useFindings.getState().setFilter({ severity: ['critical'], q: '' });
    await settle();
    expect(useFindings.getState().selection.size).toBe(0);
    expect(calls.page.at(-1)?.filter).toEqual({ status: ['open'], severity: ['critical'] });
    useFindings.getState().setFilter({ status: undefined });
    await settle();
    expect(calls.page.at(-1)?.filter).toEqual({ severity: ['critical'] });
  });

  it('sorts by a new column in its natural direction and toggles on the same column', async () => {
    const { calls } = fakeApi(5);
    const { setSort } = useFindings.getState();
    setSort('due');
    expect(useFindings.getState().sort).toEqual({ column: 'due', dir: 'asc' });
    setSort('due');
    expect(useFindings.getState().sort).toEqual({ column: 'due', dir: 'desc' });
    setSort('epss');
    expect(useFindings.getState().sort).toEqual({ column: 'epss', dir: 'desc' });
    await settle();
    expect(calls.page.at(-1)?.sort).toEqual({ column: 'epss', dir: 'desc' });
  });

  it('loads groups and applies a group’s filter merged into the current one', async () => {
    const { calls } = fakeApi(5);
    useFindings.getState().setFilter({ kev: true });
    useFindings.getState().setGroupBy('vulnerability');
    await settle();
    expect(calls.groups.at(-1)).toEqual({
      filter: { status: ['open'], kev: true },
      by: 'vulnerability',
      limit: 200,
    });
    const group = useFindings.getState().groups?.[0];
    expect(group?.count).toBe(3);
    useFindings.getState().applyGroup(group!);
    await settle();
    expect(useFindings.getState().groupBy).toBeNull();
    expect(calls.page.at(-1)?.filter).toEqual({ status: ['open'], kev: true, vulnerabilityId: 7 });
  });
});

describe('findings store: focus, selection, decisions', () => {
  it('moves focus within the rows, toggles and extends the selection', async () => {
    fakeApi(5);
    useFindings.getState().reload();
    await settle();
    const s = () => useFindings.getState();
    s().moveFocus(-1);
    expect(s().focus).toBe(0);
    expect(s().targetIds()).toEqual([1]); // nothing selected: the focused row
    s().toggleFocused();
    expect([...s().selection]).toEqual([1]);
    s().moveFocus(1);
    s().extendSelection(1);
    expect(s().focus).toBe(2);
    expect([...s().selection].sort()).toEqual([1, 2, 3]);
    s().moveFocus(10);
    expect(s().focus).toBe(4);
    s().extendSelection(1); // stays on the last row
    expect(s().focus).toBe(4);
    expect(s().targetIds().sort()).toEqual([1, 2, 3, 5]);
    s().toggleSelect(2);
    expect(s().selection.has(2)).toBe(false);
  });

  it('sends a confirmed decision for the targets, reports the outcome and reloads', async () => {
    const { calls } = fakeApi(5);
    useFindings.getState().reload();
    await settle();
    useFindings.setState({ selection: new Set([2, 4]) });
    const before = calls.page.length;
    const outcome = await useFindings
      .getState()
      .decide({ action: 'accept', reason: 'compensating control', expiresOn: '2030-01-31' });
    expect(outcome).toEqual({ ok: true, updated: 12, skipped: 3 });
    expect(calls.decide).toEqual([
      {
        action: 'accept',
        reason: 'compensating control',
        expiresOn: '2030-01-31',
        ids: [2, 4],
        confirm: true,
      },
    ]);
    expect(useFindings.getState().message).toBe('12 updated, 3 skipped');
    expect(useFindings.getState().selection.size).toBe(0);
    await settle();
    expect(calls.page.length).toBe(before + 1);
  });

  it('returns the core’s refusal as a message', async () => {
    const { api } = fakeApi(5);
    (api.findings as Record<string, unknown>)['decide'] = () =>
      fail('FORBIDDEN', 'Accepting risk needs the approver or admin role.');
    useFindings.getState().reload();
    await settle();
    expect(await useFindings.getState().decide({ action: 'accept' })).toEqual({
      ok: false,
      error: 'Accepting risk needs the approver or admin role.',
    });
    expect(await useFindings.getState().decide({ action: 'reopen' }, [])).toEqual({
      ok: false,
      error: 'Select at least one finding.',
    });
  });

  it('records a detail error', async () => {
    fakeApi(5);
    await useFindings.getState().openDetail(99);
    expect(useFindings.getState()).toMatchObject({ detailId: 99, detailError: 'No such finding.' });
    useFindings.getState().closeDetail();
    expect(useFindings.getState().detailId).toBeNull();
  });
});

describe('findings store: lock', () => {
  it('reset() forgets rows, selection and detail, and drops answers still in flight', async () => {
    const { api } = fakeApi(5);
    useFindings.getState().reload();
    await settle();
    useFindings.setState({ selection: new Set([1]), detailId: 1, filter: { kev: true } });
    let release: (() => void) | null = null;
    const real = api.findings.page;
    api.findings.page = (input) =>
      new Promise((resolve) => {
        release = () => void real(input).then(resolve);
      });
    useFindings.getState().reload();
    useFindings.getState().reset();
    (release as unknown as () => void)();
    await settle();
    const s = useFindings.getState();
    expect(s.loadedRows()).toBe(0);
    expect(s).toMatchObject({ reached: 0, detailId: null, filter: DEFAULT_FILTER, total: null });
    expect(s.selection.size).toBe(0);
  });
});

describe('findings store: views and navigation', () => {
  it('saves the filter, sort, columns and grouping under a name, and applies a view', async () => {
    const { calls } = fakeApi(5);
    useFindings.setState({ columns: ['risk', 'title'], groupBy: 'asset' });
    useFindings.getState().setSort('title');
    expect(await useFindings.getState().saveView('  my view ')).toBe(true);
    expect(calls.saveView).toEqual([
      {
        name: 'my view',
        filter: DEFAULT_FILTER,
        sort: { column: 'title', dir: 'asc' },
        columns: ['risk', 'title'],
        groupBy: 'asset',
      },
    ]);
    expect(useFindings.getState().views).toHaveLength(1);
    useFindings.getState().applyView({
      name: 'kev',
      filter: { kev: true },
      sort: { column: 'epss', dir: 'desc' },
      columns: ['title', 'epss'],
      groupBy: null,
    });
    expect(useFindings.getState()).toMatchObject({
      filter: { kev: true },
      sort: { column: 'epss', dir: 'desc' },
      columns: ['title', 'epss'],
      groupBy: null,
    });
  });

  it('navigate() carries a filter to Findings and a finding to Drafts', async () => {
    const { calls } = fakeApi(5);
    useUi.getState().navigate('findings', { filter: { status: ['open'], kev: true } });
    await settle();
    expect(useUi.getState().screen).toBe('findings');
    expect(useFindings.getState().filter).toEqual({ status: ['open'], kev: true });
    expect(calls.page.at(-1)?.filter).toEqual({ status: ['open'], kev: true });
    useUi.getState().navigate('drafts', { findingId: 42 });
    expect(useUi.getState()).toMatchObject({ screen: 'drafts', draftFindingId: 42 });
  });
});
