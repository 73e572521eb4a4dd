/**
 * Free-text search (SQLite FTS5). The index holds one row per vulnerability (title, key,
 * CVE ids), per live asset (names, IPs, MACs, image) and per component name, rather than
 * one per finding: a million findings share a few thousand titles, so the index stays
 * small and a match is turned into findings through the findings' own indexes.
 */
import type { Db } from '../vault/sqlcipher';

export type SearchScope =
  | { all: true }
  | {
      vulnerabilityIds: readonly number[];
      assetIds: readonly number[];
      /** Component names to add when new (an import knows the names it wrote). */
      componentNames?: readonly string[];
    };

function idList(db: Db, ids: readonly number[]): string {
  return `(SELECT value FROM json_each(${db.prepare('SELECT quote(?)').pluck().get(JSON.stringify(ids)) as string}))`;
}

export function refreshSearchIndex(db: Db, scope: SearchScope): void {
  const all = 'all' in scope;
  const vulns = all ? '1' : `id IN ${idList(db, scope.vulnerabilityIds)}`;
  const assets = all ? '1' : `id IN ${idList(db, scope.assetIds)}`;
  if (all) db.exec(`DELETE FROM search_fts`);
  else {
    db.exec(`DELETE FROM search_fts WHERE kind = 'v' AND ref IN ${idList(db, scope.vulnerabilityIds)};
             DELETE FROM search_fts WHERE kind = 'a' AND ref IN ${idList(db, scope.assetIds)};`);
  }
  db.exec(`
    INSERT INTO search_fts(kind, ref, text)
      SELECT 'v', id, title || ' ' || key || ' ' || (SELECT coalesce(group_concat(value, ' '), '') FROM json_each(cves))
      FROM vulnerabilities WHERE ${vulns};
    INSERT INTO search_fts(kind, ref, text)
      SELECT 'a', a.id, a.display_name || ' ' ||
             (SELECT coalesce(group_concat(i.value, ' '), '') FROM asset_identifiers i WHERE i.asset_id = a.id)
      FROM assets a WHERE a.merged_into IS NULL AND ${assets};
  `);
  // Component names are few and never change: add the new ones.
  if (all) db.exec('DELETE FROM components');
  let candidates: string;
  if (all)
    candidates =
      'SELECT DISTINCT component_name AS name FROM findings WHERE component_name IS NOT NULL';
  else if (scope.componentNames)
    candidates = `SELECT DISTINCT value AS name FROM json_each(${db.prepare('SELECT quote(?)').pluck().get(JSON.stringify(scope.componentNames)) as string})`;
  else
    candidates = `SELECT DISTINCT component_name AS name FROM findings WHERE component_name IS NOT NULL
      AND (vulnerability_id IN ${idList(db, scope.vulnerabilityIds)} OR asset_id IN ${idList(db, scope.assetIds)})`;
  db.exec(`
    CREATE TEMP TABLE new_components AS
      SELECT name FROM (${candidates}) WHERE name NOT IN (SELECT name FROM components);
    INSERT INTO components(name) SELECT name FROM temp.new_components;
    INSERT INTO search_fts(kind, ref, text)
      SELECT 'c', c.id, c.name FROM components c JOIN temp.new_components n ON n.name = c.name;
    DROP TABLE temp.new_components;
  `);
}

/** Removes an asset that stopped being live (merged) from the index. */
export function forgetAsset(db: Db, assetId: number): void {
  db.prepare(`DELETE FROM search_fts WHERE kind = 'a' AND ref = ?`).run(assetId);
}

/**
 * The operator's text as an FTS5 query: each whitespace-separated term becomes a quoted
 * prefix phrase (so "CVE-2024-3094", "openss" and "10.0.0.5" all work and no FTS5
 * syntax can be injected). Null when the text has no searchable character.
 */
export function ftsTerms(text: string): string[] {
  return text
    .split(/\s+/)
    .map((t) => t.replace(/["*^:(){}[\]]/g, ' ').trim())
    .filter((t) => /[\p{L}\p{N}]/u.test(t))
    .slice(0, 8)
    .map((t) => `"${t.replace(/"/g, '""')}"*`);
}
