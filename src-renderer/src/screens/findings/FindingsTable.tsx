import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, type RefObject } from 'react';
import { useFindings } from '../../stores/findings';
import { track, visibleColumns } from './columns';

const ROW_HEIGHT = 34;
const HEADER_HEIGHT = 34;
const SELECT_WIDTH = 34;

interface Props {
  gridRef: RefObject<HTMLDivElement | null>;
  onOpen: (id: number) => void;
}

/**
 * The findings grid: virtualized rows over the store's page window. Only the rows on screen
 * are in the DOM; pages are fetched as they scroll into view.
 */
export function FindingsTable({ gridRef, onOpen }: Props) {
  const columnIds = useFindings((s) => s.columns);
  const sort = useFindings((s) => s.sort);
  const setSort = useFindings((s) => s.setSort);
  const pages = useFindings((s) => s.pages);
  const reached = useFindings((s) => s.reached);
  const more = useFindings((s) => s.more);
  const total = useFindings((s) => s.total);
  const focus = useFindings((s) => s.focus);
  const selection = useFindings((s) => s.selection);
  const rowAt = useFindings((s) => s.rowAt);
  const setFocus = useFindings((s) => s.setFocus);
  const toggleSelect = useFindings((s) => s.toggleSelect);
  const ensureRange = useFindings((s) => s.ensureRange);
  const selectLoaded = useFindings((s) => s.selectLoaded);
  const clearSelection = useFindings((s) => s.clearSelection);

  const columns = visibleColumns(columnIds);
  const template = [`${SELECT_WIDTH}px`, ...columns.map(track)].join(' ');
  // Rows never squeeze below their columns' minimum: the grid scrolls sideways instead.
  const minWidth = SELECT_WIDTH + columns.reduce((sum, c) => sum + c.min, 0);
  const count = reached + (more ? 1 : 0);

  // The app does not use the React Compiler; the virtualizer re-renders the grid itself.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => gridRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    scrollMargin: HEADER_HEIGHT,
    scrollPaddingStart: HEADER_HEIGHT,
  });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;

  useEffect(() => {
    if (count > 0) ensureRange(first, last);
  }, [first, last, count, pages, ensureRange]);

  // Follow the focus when it moves (keys), not when pages arrive while the operator scrolls.
  const followed = useRef(-1);
  useEffect(() => {
    if (focus === followed.current || focus >= count) return;
    followed.current = focus;
    virtualizer.scrollToIndex(focus, { align: 'auto' });
  }, [focus, count, virtualizer]);

  const allSelected = selection.size > 0;

  return (
    <div
      ref={gridRef}
      role="grid"
      aria-label="Findings"
      aria-rowcount={(total ?? reached) + 1}
      aria-multiselectable="true"
      aria-activedescendant={rowAt(focus) ? `finding-row-${focus}` : undefined}
      tabIndex={0}
      className="grid"
    >
      <div role="rowgroup" className="grid-head" style={{ minWidth }}>
        <div
          role="row"
          aria-rowindex={1}
          className="grid-row"
          style={{ gridTemplateColumns: template }}
        >
          <div role="columnheader" className="grid-cell select-cell">
            <input
              type="checkbox"
              aria-label={allSelected ? 'Clear selection' : 'Select loaded rows'}
              checked={allSelected}
              onChange={() => (allSelected ? clearSelection() : selectLoaded())}
            />
          </div>
          {columns.map((c) => {
            const active = sort.column === c.sort;
            return (
              <div
                key={c.id}
                role="columnheader"
                className="grid-cell"
                aria-sort={
                  active && c.sort ? (sort.dir === 'asc' ? 'ascending' : 'descending') : undefined
                }
              >
                {c.sort ? (
                  <button
                    type="button"
                    className="sort-button"
                    onClick={() => c.sort && setSort(c.sort)}
                  >
                    {c.label}
                    {active ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
                  </button>
                ) : (
                  <span>{c.label}</span>
                )}
              </div>
            );
          })}
        </div>
      </div>
      <div role="rowgroup" className="grid-body" style={{ height: virtualizer.getTotalSize() }}>
        {items.map((item) => {
          const row = rowAt(item.index);
          const top = item.start - HEADER_HEIGHT;
          if (!row)
            return (
              <div
                key={item.key}
                role="row"
                aria-rowindex={item.index + 2}
                className="grid-row placeholder"
                style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template }}
              >
                <div role="gridcell" className="grid-cell muted">
                  …
                </div>
                <div role="gridcell" className="grid-cell muted">
                  Loading…
                </div>
              </div>
            );
          const selected = selection.has(row.id);
          const focused = item.index === focus;
          return (
            <div
              key={item.key}
              id={`finding-row-${item.index}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={selected}
              data-finding-id={row.id}
              data-focused={focused || undefined}
              className={`grid-row${focused ? ' focused' : ''}${selected ? ' selected' : ''}`}
              style={{ transform: `translateY(${top}px)`, gridTemplateColumns: template }}
              onClick={() => {
                setFocus(item.index);
                gridRef.current?.focus({ preventScroll: true });
              }}
              onDoubleClick={() => onOpen(row.id)}
            >
              <div role="gridcell" className="grid-cell select-cell">
                <input
                  type="checkbox"
                  tabIndex={-1}
                  aria-label={`Select finding ${row.id}`}
                  checked={selected}
                  onClick={(e) => e.stopPropagation()}
                  onChange={() => toggleSelect(row.id)}
                />
              </div>
              {columns.map((c) => (
                <div key={c.id} role="gridcell" className={`grid-cell col-${c.id}`}>
                  {c.id === 'title' ? (
                    <button
                      type="button"
                      tabIndex={-1}
                      className="link cell-link"
                      title={row.title}
                      onClick={(e) => {
                        e.stopPropagation();
                        setFocus(item.index);
                        gridRef.current?.focus({ preventScroll: true });
                        onOpen(row.id);
                      }}
                    >
                      {row.title}
                    </button>
                  ) : (
                    c.render(row)
                  )}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
