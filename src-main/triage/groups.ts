/**
 * Grouped counts for the findings table: by vulnerability, asset or component, the
 * largest groups first. Each group carries the filter that lists its findings.
 */
import type { TriageFilter } from '../../src-preload/triage-schemas';
import type { Db } from '../vault/sqlcipher';
import { filterWhere } from './filter';

export type GroupBy = 'vulnerability' | 'asset' | 'component';

export interface GroupRow {
  filter: TriageFilter;
  label: string;
  count: number;
  maxRisk: number;
}

const GROUP_COLUMN: Record<GroupBy, string> = {
  vulnerability: 'f.vulnerability_id',
  asset: 'f.asset_id',
  component: 'f.component_name',
};

export function findingGroups(
  db: Db,
  filter: TriageFilter,
  by: GroupBy,
  limit: number,
  now = new Date(),
): GroupRow[] {
  const where = filterWhere(db, filter, now);
  const column = GROUP_COLUMN[by];
  const rows = db
    .prepare(
      `SELECT ${column} AS key, count(*) AS n, max(f.risk_score) AS max_risk FROM findings f
       WHERE ${where.sql}${by === 'component' ? ' AND f.component_name IS NOT NULL' : ''}
       GROUP BY ${column} ORDER BY n DESC, max_risk DESC LIMIT ?`,
    )
    .all(...where.params, limit) as { key: number | string; n: number; max_risk: number }[];
  const label = labeler(db, by);
  return rows.map((r) => ({
    filter: {
      ...filter,
      ...(by === 'vulnerability'
        ? { vulnerabilityId: r.key as number }
        : by === 'asset'
          ? { assetId: r.key as number }
          : { component: r.key as string }),
    },
    label: label(r.key),
    count: r.n,
    maxRisk: r.max_risk,
  }));
}

function labeler(db: Db, by: GroupBy): (key: number | string) => string {
  if (by === 'component') return (key) => String(key);
  const stmt = db
    .prepare(
      by === 'vulnerability'
        ? 'SELECT title FROM vulnerabilities WHERE id = ?'
        : 'SELECT display_name FROM assets WHERE id = ?',
    )
    .pluck();
  return (key) => (stmt.get(key) as string | undefined) ?? `#${key}`;
}
