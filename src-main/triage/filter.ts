/**
 * A triage filter as SQL: the WHERE clause over `findings f` (joined to nothing), with
 * its parameters. Every condition has an index behind it (migration 005); free text
 * goes through the FTS5 index: each term must match the finding's vulnerability, its
 * asset or its component.
 */
import type { TriageFilter } from '../../src-preload/triage-schemas';
import type { Db } from '../vault/sqlcipher';
import { DECISION_RANK, SEVERITY_RANK } from './priorities';
import { ftsTerms } from './search-index';

export interface SqlWhere {
  sql: string;
  params: (string | number)[];
  /**
   * True when a condition narrows the findings to a few through its own index (one
   * asset, one CVE, a tag, a rare search term...): the query planner then starts from
   * that index. Otherwise the page walks the sort column's index (page.ts).
   */
  narrow: boolean;
}

/** Below this many matches a free-text search counts as narrow. */
export const NARROW_TEXT_MATCHES = 5000;

function placeholders(n: number): string {
  return Array.from({ length: n }, () => '?').join(', ');
}

function likePattern(text: string): string {
  return `%${text.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%`;
}

/** The day after a YYYY-MM-DD day, as YYYY-MM-DD. */
export function nextDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}

export function filterWhere(db: Db, filter: TriageFilter, now: Date): SqlWhere {
  const where: string[] = [];
  const params: (string | number)[] = [];
  const add = (sql: string, ...values: (string | number)[]) => {
    where.push(sql);
    params.push(...values);
  };
  if (filter.status?.length)
    add(`f.status IN (${placeholders(filter.status.length)})`, ...filter.status);
  if (filter.decision?.length)
    add(
      `f.decision_rank IN (${placeholders(filter.decision.length)})`,
      ...filter.decision.map((d) => DECISION_RANK[d]),
    );
  if (filter.severity?.length)
    add(
      `f.severity_rank IN (${placeholders(filter.severity.length)})`,
      ...filter.severity.map((s) => SEVERITY_RANK[s]),
    );
  if (filter.kind?.length) add(`f.kind IN (${placeholders(filter.kind.length)})`, ...filter.kind);
  if (filter.assetKind)
    add('f.asset_id IN (SELECT id FROM assets WHERE kind = ?)', filter.assetKind);
  // A literal, so the planner can use the partial KEV indexes (migration 005).
  if (filter.kev !== undefined) add(filter.kev ? 'f.kev = 1' : 'f.kev = 0');
  if (filter.epssMin !== undefined) add('f.epss >= ?', filter.epssMin);
  if (filter.overdue !== undefined)
    add(
      filter.overdue
        ? `(f.status = 'open' AND f.due_at < ?)`
        : `NOT (f.status = 'open' AND f.due_at < ?)`,
      now.toISOString(),
    );
  if (filter.assetId !== undefined) add('f.asset_id = ?', filter.assetId);
  if (filter.asset)
    add(
      `f.asset_id IN (SELECT asset_id FROM asset_identifiers WHERE value LIKE ? ESCAPE '\\'
                      UNION SELECT id FROM assets WHERE lower(display_name) LIKE ? ESCAPE '\\')`,
      likePattern(filter.asset),
      likePattern(filter.asset),
    );
  if (filter.cve)
    add(
      'f.vulnerability_id IN (SELECT vulnerability_id FROM vulnerability_cves WHERE cve = ?)',
      filter.cve.toUpperCase(),
    );
  if (filter.vulnerabilityId !== undefined) add('f.vulnerability_id = ?', filter.vulnerabilityId);
  if (filter.component) add('f.component_name = ?', filter.component);
  if (filter.scanner) add('f.scanner = ?', filter.scanner);
  if (filter.tag) add('f.id IN (SELECT finding_id FROM finding_tags WHERE tag = ?)', filter.tag);
  if (filter.owner) add('f.owner = ?', filter.owner);
  // Days are UTC; "to" includes its whole day. Timestamps are ISO strings, so they compare as text.
  if (filter.firstSeenFrom) add('f.first_seen >= ?', filter.firstSeenFrom);
  if (filter.firstSeenTo) add('f.first_seen < ?', nextDay(filter.firstSeenTo));
  if (filter.changedFrom) add('f.status_changed_at >= ?', filter.changedFrom);
  if (filter.changedTo) add('f.status_changed_at < ?', nextDay(filter.changedTo));
  if (filter.expiredSince)
    add(
      `f.id IN (SELECT finding_id FROM risk_decisions WHERE kind = 'reopened' AND decided_by = 'system' AND decided_at >= ?)`,
      filter.expiredSince,
    );
  let textCondition: { sql: string; params: string[] } | null = null;
  if (filter.q) {
    const terms = ftsTerms(filter.q);
    if (!terms.length) add('0');
    for (const term of terms) {
      const match = searchMatches(db, term);
      const any: string[] = [];
      const values: string[] = [];
      if (match.v.length) {
        any.push('f.vulnerability_id IN (SELECT value FROM json_each(?))');
        values.push(JSON.stringify(match.v));
      }
      if (match.a.length) {
        any.push('f.asset_id IN (SELECT value FROM json_each(?))');
        values.push(JSON.stringify(match.a));
      }
      if (match.c.length) {
        any.push('f.component_name IN (SELECT value FROM json_each(?))');
        values.push(JSON.stringify(match.c));
      }
      textCondition = { sql: any.length ? `(${any.join(' OR ')})` : '0', params: values };
      add(textCondition.sql, ...values);
    }
  }
  const narrow =
    filter.assetId !== undefined ||
    filter.asset !== undefined ||
    filter.cve !== undefined ||
    filter.vulnerabilityId !== undefined ||
    filter.component !== undefined ||
    filter.tag !== undefined ||
    filter.owner !== undefined ||
    filter.expiredSince !== undefined ||
    // Kinds other than vulnerability are few, behind the partial index findings_kind.
    (filter.kind !== undefined &&
      filter.kind.length > 0 &&
      !filter.kind.includes('vulnerability')) ||
    filter.assetKind === 'software' ||
    (textCondition !== null && textMatches(db, textCondition) < NARROW_TEXT_MATCHES);
  return { sql: where.length ? where.join(' AND ') : '1', params, narrow };
}

/** What one search term matches: vulnerability ids, asset ids, component names. */
function searchMatches(db: Db, term: string): { v: number[]; a: number[]; c: string[] } {
  const rows = db
    .prepare(
      `SELECT s.kind, s.ref, c.name FROM search_fts s LEFT JOIN components c ON s.kind = 'c' AND c.id = s.ref
       WHERE search_fts MATCH ?`,
    )
    .all(term) as { kind: string; ref: number; name: string | null }[];
  return {
    v: rows.filter((r) => r.kind === 'v').map((r) => r.ref),
    a: rows.filter((r) => r.kind === 'a').map((r) => r.ref),
    c: rows.filter((r) => r.kind === 'c' && r.name !== null).map((r) => r.name as string),
  };
}

/** How many findings a text term matches, counted up to the narrow limit only. */
function textMatches(db: Db, condition: { sql: string; params: string[] }): number {
  return db
    .prepare(`SELECT count(*) FROM (SELECT 1 FROM findings f WHERE ${condition.sql} LIMIT ?)`)
    .pluck()
    .get(...condition.params, NARROW_TEXT_MATCHES) as number;
}
