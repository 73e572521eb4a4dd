/**
 * The ids of every finding a filter matches, for bulk decisions by filter (`vulnzero
 * findings decide … --filter`). Refuses more than `max` matches rather than deciding on
 * a silent subset; walks keyset pages by id like the findings table does.
 */
import type { TriageFilter } from '../../src-preload/triage-schemas';
import { VzError } from '../core/errors';
import type { Db } from '../vault/sqlcipher';
import { countFindings, findingsPage } from './page';

const PAGE = 500;

export function findingIdsMatching(
  db: Db,
  filter: TriageFilter,
  max: number,
  now = new Date(),
): number[] {
  const total = countFindings(db, filter, now);
  if (total > max)
    throw new VzError(
      'INVALID_INPUT',
      `${total} findings match the filter; at most ${max} can be decided at once. Narrow the filter.`,
    );
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page = findingsPage(
      db,
      { filter, sort: { column: 'id', dir: 'asc' }, limit: PAGE, ...(cursor ? { cursor } : {}) },
      now,
    );
    ids.push(...page.rows.map((r) => r.id));
    cursor = page.next;
  } while (cursor && ids.length < max);
  return ids;
}
