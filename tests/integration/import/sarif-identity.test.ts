/**
 * A SARIF result with a fingerprint (ShellCheck's bash-report.sarif gives each one) stays
 * the same finding when the code around it moves: the next scan, with every line shifted,
 * updates the stored location instead of opening new findings and closing the old ones.
 * Vaults written before this rule get their identities rewritten by migration 012.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/importers/import-files';
import { migration012 } from '../../../src-main/vault/migrations/012-sarif-fingerprint-identity';
import { fixture, quietControls } from '../../helpers/import';
import { newVault } from '../../helpers/vault';

const SARIF = fixture('sarif', 'bash-report.sarif');

/** The same report after 7 lines were added at the top of every file. */
function shifted(dir: string): string {
  const out = join(dir, 'bash-report-later.sarif');
  writeFileSync(
    out,
    readFileSync(SARIF, 'utf8').replace(
      /"startLine": (\d+)/g,
      (_, n: string) => `"startLine": ${Number(n) + 7}`,
    ),
  );
  return out;
}

describe('SARIF identity', () => {
  it('keeps a fingerprinted result one finding when its line moves, and records the new line', async () => {
    const { session, dir } = await newVault();
    const [first] = await importFiles(session, [SARIF], { controls: quietControls() });
    expect(first?.findings.new).toBe(12);
    const lines = () =>
      session.db.prepare('SELECT id, location_line FROM findings ORDER BY id').all() as {
        id: number;
        location_line: number;
      }[];
    const before = lines();
    const [later] = await importFiles(session, [shifted(dir)], { controls: quietControls() });
    if (!later) throw new Error('no summary');
    expect(later.findings).toMatchObject({ new: 0, notSeen: 0 });
    expect(later.findings.updated + later.findings.unchanged).toBe(12);
    expect(lines()).toEqual(before.map((r) => ({ id: r.id, location_line: r.location_line + 7 })));
    expect(
      session.db.prepare(`SELECT count(*) FROM findings WHERE status = 'open'`).pluck().get(),
    ).toBe(12);
  });

  it('migration 012 rewrites identities written with the line and column', async () => {
    const { session } = await newVault();
    await importFiles(session, [SARIF], { controls: quietControls() });
    const current = session.db.prepare('SELECT id, identity FROM findings ORDER BY id').all() as {
      id: number;
      identity: string;
    }[];
    // As a vault before this change stored them.
    const old = session.db.prepare(
      `UPDATE findings SET identity = identity || ':' || coalesce(location_line, '') || ':' || coalesce(location_column, '') WHERE id = ?`,
    );
    for (const r of current) old.run(r.id);
    expect(
      session.db.prepare(`SELECT count(*) FROM findings WHERE identity LIKE '%:'`).pluck().get(),
    ).toBe(12);
    migration012.up(session.db);
    expect(session.db.prepare('SELECT id, identity FROM findings ORDER BY id').all()).toEqual(
      current,
    );
  });
});
