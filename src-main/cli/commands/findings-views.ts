/**
 * The Findings screen's saved views from the CLI: `findings views` lists them,
 * `findings views save NAME …` saves or replaces one, `findings views remove NAME --yes`
 * deletes one. Same core functions and schema as the screen (triage/views.ts); an empty
 * column list means the screen's default columns.
 */
import { contract } from '../../../src-preload/contract';
import { GROUP_BY, SORT_COLUMNS, type SavedView } from '../../../src-preload/triage-schemas';
import { deleteView, listViews, saveView } from '../../triage/views';
import { UNLOCK_OPTIONS, YES_OPTION, choice, positional, str } from '../args';
import { UsageError, type Command } from '../command';
import { contractInput } from '../contract-input';
import { printResult, requireYes, withSession } from '../vault-access';
import { parseFilter } from './findings-decide';

const describe = (views: SavedView[]) =>
  views.length
    ? views
        .map(
          (v) =>
            `${v.name}\tfilter ${JSON.stringify(v.filter)}\tsort ${v.sort.column} ${v.sort.dir}${v.groupBy ? `\tgrouped by ${v.groupBy}` : ''}${v.columns.length ? `\tcolumns ${v.columns.join(',')}` : ''}`,
        )
        .join('\n')
    : 'No saved views.';

function parseSort(text: string | undefined): SavedView['sort'] {
  if (text === undefined) return { column: 'risk', dir: 'desc' };
  const [column, dir = 'desc'] = text.split(':');
  if (
    !(SORT_COLUMNS as readonly string[]).includes(column ?? '') ||
    (dir !== 'asc' && dir !== 'desc')
  )
    throw new UsageError(
      `--sort must be COLUMN[:asc|desc], COLUMN one of ${SORT_COLUMNS.join(', ')}`,
    );
  return { column: column as SavedView['sort']['column'], dir };
}

export const findingsViewCommands: Command[] = [
  {
    name: 'findings views',
    summary: 'Saved views of the findings table (filter, sort, columns, grouping).',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const views = listViews(session);
        printResult(run, views, describe(views));
        return 0;
      }),
  },
  {
    name: 'findings views save',
    summary: 'Save (or replace) a named view of the findings table.',
    usage:
      'NAME [--filter JSON] [--sort COLUMN[:asc|desc]] [--columns a,b,...] [--group-by vulnerability|asset|component]',
    options: {
      ...UNLOCK_OPTIONS,
      filter: { type: 'string' },
      sort: { type: 'string' },
      columns: { type: 'string' },
      'group-by': { type: 'string' },
    },
    run: (run) => {
      const name = positional(run, 0, 'NAME', 'findings views save');
      const filter = str(run.values['filter']);
      const columns = str(run.values['columns']);
      const view = contractInput(contract.findings.saveView.input, {
        name,
        filter: filter === undefined ? {} : parseFilter(filter),
        sort: parseSort(str(run.values['sort'])),
        columns: columns
          ? columns
              .split(',')
              .map((c) => c.trim())
              .filter(Boolean)
          : [],
        groupBy: choice(run.values['group-by'], '--group-by', GROUP_BY) ?? null,
      });
      return withSession(run, (session) => {
        const views = saveView(session, view);
        printResult(run, views, `Saved view "${view.name}".\n${describe(views)}`);
        return 0;
      });
    },
  },
  {
    name: 'findings views remove',
    summary: 'Delete a saved view of the findings table.',
    usage: 'NAME --yes',
    options: { ...UNLOCK_OPTIONS, ...YES_OPTION },
    run: (run) => {
      const name = positional(run, 0, 'NAME', 'findings views remove');
      requireYes(run, 'Deleting a saved view');
      return withSession(run, (session) => {
        const views = deleteView(session, name);
        printResult(run, views, `Deleted view "${name}".\n${describe(views)}`);
        return 0;
      });
    },
  },
];
