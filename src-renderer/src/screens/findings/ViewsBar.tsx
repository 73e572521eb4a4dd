import { useState } from 'react';
import { GROUP_BY } from '../../../../src-preload/triage-schemas';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { useFindings, type GroupBy } from '../../stores/findings';
import { COLUMNS } from './columns';

/** Group-by, the column chooser and saved views (filter, sort, columns, grouping by name). */
export function ViewsBar() {
  const views = useFindings((s) => s.views);
  const columns = useFindings((s) => s.columns);
  const setColumns = useFindings((s) => s.setColumns);
  const groupBy = useFindings((s) => s.groupBy);
  const setGroupBy = useFindings((s) => s.setGroupBy);
  const saveView = useFindings((s) => s.saveView);
  const applyView = useFindings((s) => s.applyView);
  const deleteView = useFindings((s) => s.deleteView);
  const [name, setName] = useState('');
  const [deleting, setDeleting] = useState<string | null>(null);

  const toggleColumn = (id: string) =>
    setColumns(
      columns.includes(id)
        ? columns.filter((c) => c !== id)
        : COLUMNS.filter((c) => c.id === id || columns.includes(c.id)).map((c) => c.id),
    );

  return (
    <div className="views-bar">
      <label className="field compact">
        Group by
        <select
          aria-label="Group by"
          value={groupBy ?? ''}
          onChange={(e) => setGroupBy((e.target.value || null) as GroupBy | null)}
        >
          <option value="">no grouping</option>
          {GROUP_BY.map((g) => (
            <option key={g}>{g}</option>
          ))}
        </select>
      </label>
      <details className="column-chooser">
        <summary>Columns</summary>
        <fieldset aria-label="Visible columns">
          {COLUMNS.map((c) => (
            <label key={c.id} className="check">
              <input
                type="checkbox"
                checked={columns.includes(c.id)}
                onChange={() => toggleColumn(c.id)}
              />{' '}
              {c.label}
            </label>
          ))}
        </fieldset>
      </details>
      <div className="saved-views" aria-label="Saved views" role="group">
        {views.map((v) => (
          <span key={v.name} className="chip">
            <button
              type="button"
              className="link"
              onClick={() => applyView(v)}
              aria-label={`Apply view ${v.name}`}
            >
              {v.name}
            </button>
            <button
              type="button"
              className="chip-remove"
              aria-label={`Delete view ${v.name}`}
              onClick={() => setDeleting(v.name)}
            >
              ×
            </button>
          </span>
        ))}
        <form
          className="inline"
          onSubmit={(e) => {
            e.preventDefault();
            if (name.trim()) void saveView(name).then((ok) => ok && setName(''));
          }}
        >
          <input
            aria-label="View name"
            placeholder="name this view"
            maxLength={60}
            value={name}
            onChange={(e) => setName(e.target.value)}
          />
          <button type="submit" disabled={!name.trim()}>
            Save view
          </button>
        </form>
      </div>
      {deleting && (
        <ConfirmDialog
          title={`Delete the view “${deleting}”?`}
          confirmLabel="Delete view"
          danger
          onCancel={() => setDeleting(null)}
          onConfirm={() => {
            const n = deleting;
            setDeleting(null);
            void deleteView(n);
          }}
        >
          <p>The findings stay as they are; only the saved filter, sort and columns go.</p>
        </ConfirmDialog>
      )}
    </div>
  );
}
