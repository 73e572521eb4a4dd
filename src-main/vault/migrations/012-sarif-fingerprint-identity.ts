import type { Migration } from './types';

/**
 * A SARIF result with a fingerprint is identified by it, not by its line: identities
 * written before ended with `|path:line:column`, so a result whose code moved became a
 * new finding on the next import. They now end with `|path`. An identity that would
 * collide with another (not expected: fingerprints are unique per result) is left as it is.
 */
export const migration012: Migration = {
  version: 12,
  name: 'sarif fingerprint identity',
  up: (db) => {
    const rows = db
      .prepare(
        `SELECT f.id, f.identity FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id
         WHERE f.location_path IS NOT NULL AND v.key LIKE '%#%'`,
      )
      .all() as { id: number; identity: string }[];
    const taken = db.prepare('SELECT 1 FROM findings WHERE identity = ?').pluck();
    const update = db.prepare('UPDATE findings SET identity = ? WHERE id = ?');
    for (const r of rows) {
      const next = r.identity.replace(/:\d*:\d*$/, '');
      if (next !== r.identity && !taken.get(next)) update.run(next, r.id);
    }
  },
};
