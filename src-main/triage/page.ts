/**
 * One page of the findings table: filter, sort by any sortable column, keyset pagination.
 * The cursor is the last row's (sort value, id): the next page starts strictly after it,
 * so pages stay stable while imports add rows and cost the same at row 1 or row 900,000.
 * The query walks the sort column's index and stops after `limit` matching rows.
 */
import { z } from 'zod';
import type { TriageFilter, TriageRow, TriageSort } from '../../src-preload/triage-schemas';
import { VzError } from '../core/errors';
import type { Db } from '../vault/sqlcipher';
import { filterWhere } from './filter';
import { ROW_COLUMNS, ROW_JOINS, toTriageRows, type RawRow } from './rows';

/** The SQL expression of each sort column; each one has an index (migration 005). */
export const SORT_EXPRESSIONS: Record<TriageSort['column'], string> = {
  risk: 'f.risk_score',
  decision: 'f.decision_rank',
  severity: 'f.severity_rank',
  due: 'f.due_at',
  epss: 'f.epss',
  firstSeen: 'f.first_seen',
  lastSeen: 'f.last_seen',
  title: 'v.title',
  asset: 'a.display_name',
  id: 'f.id',
};

/** The index that walks each sort column in order (absent: rowid or a joined table). */
const SORT_INDEX: Partial<Record<TriageSort['column'], string>> = {
  risk: 'findings_risk',
  decision: 'findings_decision',
  severity: 'findings_severity',
  due: 'findings_due',
  epss: 'findings_epss',
  firstSeen: 'findings_first_seen',
  lastSeen: 'findings_last_seen',
};

/** Partial indexes over KEV findings only, for the common "KEV by due date / risk" view. */
const KEV_SORT_INDEX: Partial<Record<TriageSort['column'], string>> = {
  risk: 'findings_kev_risk',
  due: 'findings_kev_due',
};

const cursorSchema = z.tuple([z.union([z.string(), z.number()]), z.number().int()]);

export function encodeCursor(value: string | number, id: number): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

function decodeCursor(cursor: string): [string | number, number] {
  try {
    return cursorSchema.parse(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')));
  } catch {
    throw new VzError('BAD_CURSOR', 'The page cursor is not valid; reload the list from the top.');
  }
}

export interface PageRequest {
  filter: TriageFilter;
  sort: TriageSort;
  limit: number;
  cursor?: string;
}

/**
 * Broad filters walk the sort index and stop after `limit` rows; the planner is told so
 * (INDEXED BY), because with a keyset range it may otherwise prefer a covering index
 * that matches the range and then sort a large part of the table. Narrow filters leave
 * the choice to the planner, which starts from the narrowing index and sorts few rows.
 * For the asset sort the assets are walked by name and their findings looked up.
 */
function fromClause(column: TriageSort['column'], narrow: boolean, kev: boolean): string {
  const index = (kev && KEV_SORT_INDEX[column]) || SORT_INDEX[column];
  if (!narrow && index) return `findings f INDEXED BY ${index} ${ROW_JOINS}`;
  if (!narrow && column === 'asset')
    return `assets a INDEXED BY assets_display_name CROSS JOIN findings f ON a.id = f.asset_id
            JOIN vulnerabilities v ON v.id = f.vulnerability_id`;
  return `findings f ${ROW_JOINS}`;
}

export function pageSql(
  db: Db,
  request: PageRequest,
  now: Date,
): { sql: string; params: (string | number)[] } {
  const where = filterWhere(db, request.filter, now);
  // A narrow filter sorts its few rows: `+` keeps the planner off the sort column's index.
  const expr = `${where.narrow && request.sort.column !== 'id' ? '+' : ''}${SORT_EXPRESSIONS[request.sort.column]}`;
  const desc = request.sort.dir === 'desc';
  const params = [...where.params];
  let keyset = '';
  if (request.cursor) {
    const [value, id] = decodeCursor(request.cursor);
    keyset =
      request.sort.column === 'id'
        ? ` AND f.id ${desc ? '<' : '>'} ?`
        : ` AND (${expr}, f.id) ${desc ? '<' : '>'} (?, ?)`;
    params.push(...(request.sort.column === 'id' ? [id] : [value, id]));
  }
  const order =
    request.sort.column === 'id'
      ? `f.id ${desc ? 'DESC' : 'ASC'}`
      : `${expr} ${desc ? 'DESC' : 'ASC'}, f.id ${desc ? 'DESC' : 'ASC'}`;
  params.push(request.limit);
  return {
    sql: `SELECT ${ROW_COLUMNS}, ${expr} AS sort_value FROM ${fromClause(request.sort.column, where.narrow, request.filter.kev === true)}
          WHERE ${where.sql}${keyset} ORDER BY ${order} LIMIT ?`,
    params,
  };
}

export function findingsPage(
  db: Db,
  request: PageRequest,
  now = new Date(),
): { rows: TriageRow[]; next: string | null } {
  const { sql, params } = pageSql(db, request, now);
  const raw = db.prepare(sql).all(...params) as (RawRow & { sort_value: string | number })[];
  const last = raw.at(-1);
  return {
    rows: toTriageRows(db, raw, now),
    next: last && raw.length === request.limit ? encodeCursor(last.sort_value, last.id) : null,
  };
}

export function countFindings(db: Db, filter: TriageFilter, now = new Date()): number {
  const where = filterWhere(db, filter, now);
  return db
    .prepare(`SELECT count(*) FROM findings f WHERE ${where.sql}`)
    .pluck()
    .get(...where.params) as number;
}
