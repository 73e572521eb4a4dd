import { useCallback, useEffect, useRef, useState } from 'react';
import { Feedback } from '../components/Feedback';
import { MAX_PAGES, PAGE_SIZE, useFindings } from '../stores/findings';
import { useUi } from '../stores/ui';
import { DecisionDialog, type DialogAction } from './findings/DecisionDialog';
import { FilterBar } from './findings/FilterBar';
import { FindingDetailPanel } from './findings/FindingDetail';
import { FindingsTable } from './findings/FindingsTable';
import { GroupList } from './findings/GroupList';
import { ShortcutHelp } from './findings/ShortcutHelp';
import { ViewsBar } from './findings/ViewsBar';

const ACTIONS: [DialogAction, string][] = [
  ['accept', 'Accept risk…'],
  ['false_positive', 'False positive…'],
  ['reopen', 'Reopen…'],
  ['assign', 'Assign…'],
  ['tag', 'Tag…'],
];

/** Keys typed into a field belong to the field. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement)
    return !['checkbox', 'radio', 'button', 'submit'].includes(target.type);
  return false;
}

/** Triage: filter, sort, group and decide on findings, mostly from the keyboard. */
export function Findings() {
  const ensureLoaded = useFindings((s) => s.ensureLoaded);
  const reload = useFindings((s) => s.reload);
  const total = useFindings((s) => s.total);
  const counting = useFindings((s) => s.counting);
  const reached = useFindings((s) => s.reached);
  const more = useFindings((s) => s.more);
  const loadingPages = useFindings((s) => s.loadingPages);
  const selection = useFindings((s) => s.selection);
  const clearSelection = useFindings((s) => s.clearSelection);
  const groupBy = useFindings((s) => s.groupBy);
  const error = useFindings((s) => s.error);
  const message = useFindings((s) => s.message);
  const detailId = useFindings((s) => s.detailId);
  const focusedRow = useFindings((s) => s.rowAt(s.focus));
  const navigate = useUi((s) => s.navigate);

  const [dialog, setDialog] = useState<{ action: DialogAction; ids: number[] } | null>(null);
  const [help, setHelp] = useState(false);
  const searchRef = useRef<HTMLInputElement>(null);
  const gridRef = useRef<HTMLDivElement>(null);

  useEffect(() => ensureLoaded(), [ensureLoaded]);

  const openDialog = useCallback((action: DialogAction) => {
    const ids = useFindings.getState().targetIds();
    if (ids.length > 0) setDialog({ action, ids });
  }, []);
  const open = useCallback((id: number) => void useFindings.getState().openDetail(id), []);
  const closeHelp = useCallback(() => {
    setHelp(false);
    gridRef.current?.focus({ preventScroll: true });
  }, []);
  const closeDialog = useCallback(() => {
    setDialog(null);
    gridRef.current?.focus({ preventScroll: true });
  }, []);

  useEffect(() => {
    if (dialog || help) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target)) return;
      // Another dialog (delete a view) owns the keyboard while it is open.
      if (document.querySelector('[role="dialog"]')) return;
      const onControl =
        e.target instanceof HTMLButtonElement ||
        e.target instanceof HTMLAnchorElement ||
        e.target instanceof HTMLInputElement ||
        (e.target instanceof HTMLElement && e.target.tagName === 'SUMMARY');
      const s = useFindings.getState();
      switch (e.key) {
        case 'j':
        case 'ArrowDown':
          s.moveFocus(1);
          break;
        case 'k':
        case 'ArrowUp':
          s.moveFocus(-1);
          break;
        case 'J':
          s.extendSelection(1);
          break;
        case 'K':
          s.extendSelection(-1);
          break;
        case ' ':
          if (onControl) return; // Space presses the focused button or checkbox.
          s.toggleFocused();
          break;
        case 'Enter': {
          if (onControl) return;
          const row = s.rowAt(s.focus);
          if (row) void s.openDetail(row.id);
          break;
        }
        case '/':
          searchRef.current?.focus();
          searchRef.current?.select();
          break;
        case 'a':
          openDialog('accept');
          break;
        case 'f':
          openDialog('false_positive');
          break;
        case 'r':
          openDialog('reopen');
          break;
        case '?':
          setHelp(true);
          break;
        case 'Escape':
          if (s.detailId === null) return;
          s.closeDetail();
          break;
        default:
          return;
      }
      e.preventDefault();
      if (e.key !== '/' && e.key !== '?' && document.activeElement !== gridRef.current)
        gridRef.current?.focus({ preventScroll: true });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [dialog, help, openDialog]);

  const targets = selection.size > 0 ? selection.size : focusedRow ? 1 : 0;
  const loading = loadingPages.length > 0;
  const empty = reached === 0 && !more && !loading && !error;

  return (
    <section className="screen findings-screen" aria-labelledby="screen-title">
      <h1 id="screen-title">Findings</h1>
      <FilterBar searchRef={searchRef} />
      <ViewsBar />
      <div className="toolbar wrap-toolbar">
        <span data-testid="findings-count" aria-live="polite">
          {total === null
            ? counting
              ? 'Counting…'
              : ''
            : `${total.toLocaleString('en')} finding${total === 1 ? '' : 's'}`}
          {total !== null && counting ? ' (updating…)' : ''}
        </span>
        {selection.size > 0 && (
          <span>
            {selection.size} selected{' '}
            <button type="button" className="link" onClick={clearSelection}>
              Clear selection
            </button>
          </span>
        )}
        <span className="spacer" />
        {ACTIONS.map(([action, label]) => (
          <button
            key={action}
            type="button"
            disabled={targets === 0}
            title={
              selection.size > 0
                ? `Applies to the ${selection.size} selected finding(s)`
                : 'Applies to the focused finding'
            }
            onClick={() => openDialog(action)}
          >
            {label}
          </button>
        ))}
        <button type="button" onClick={() => reload({ keepFocus: true })}>
          Refresh
        </button>
        <button type="button" onClick={() => setHelp(true)} aria-keyshortcuts="?">
          Shortcuts
        </button>
      </div>
      <Feedback error={error} message={message} />
      {reached > MAX_PAGES * PAGE_SIZE && (
        <p className="muted small">
          At most {(MAX_PAGES * PAGE_SIZE).toLocaleString('en')} rows are kept in memory: rows far
          from view are dropped and read again when you scroll back.
        </p>
      )}
      <div className={detailId === null ? 'findings-body' : 'findings-body with-detail'}>
        <div className="findings-main">
          {groupBy ? (
            <GroupList />
          ) : empty ? (
            <div className="card empty-state">
              <p>No findings match this filter.</p>
              <p className="muted">
                Widen the filter (Reset filters above), or bring in more data: findings come from
                scanner exports.
              </p>
              <button type="button" onClick={() => navigate('import')}>
                Import a scan file
              </button>
            </div>
          ) : (
            <FindingsTable gridRef={gridRef} onOpen={open} />
          )}
          {loading && !groupBy && (
            <p className="muted small" aria-live="polite">
              Loading findings…
            </p>
          )}
        </div>
        <FindingDetailPanel />
      </div>
      {dialog && <DecisionDialog action={dialog.action} ids={dialog.ids} onClose={closeDialog} />}
      {help && <ShortcutHelp onClose={closeHelp} />}
    </section>
  );
}
