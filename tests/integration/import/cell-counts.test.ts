/**
 * The dashboard's finding counts (finding_cells) stay exact now that an import counts
 * its inserted rows itself instead of through the per-row insert trigger: after a first
 * import, a re-import, a file whose VEX statements turn new findings into false
 * positives, and an import that fails half-way (which must also leave the trigger in place).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/importers/import-files';
import type { Db } from '../../../src-main/vault/sqlcipher';
import { fixture, quietControls } from '../../helpers/import';
import { newVault } from '../../helpers/vault';

const NESSUS = fixture('nessus_xml', 'nessus_with_cvssv3.nessus');
const VEX = fixture('cyclonedx', 'valid-vulnerability-1.4.json');

function cells(db: Db) {
  return db
    .prepare(
      'SELECT status, decision_rank, severity_rank, kev, n FROM finding_cells WHERE n > 0 ORDER BY 1, 2, 3, 4',
    )
    .all();
}

function counted(db: Db) {
  return db
    .prepare(
      'SELECT status, decision_rank, severity_rank, kev, count(*) AS n FROM findings GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4',
    )
    .all();
}

function hasInsertTrigger(db: Db): boolean {
  return (
    db
      .prepare(
        `SELECT count(*) FROM sqlite_schema WHERE type = 'trigger' AND name = 'finding_cells_insert'`,
      )
      .pluck()
      .get() === 1
  );
}

describe('finding counts kept by imports', () => {
  it('equal a full count after imports, re-imports and VEX false positives', async () => {
    const { session } = await newVault();
    const db = session.db;
    const [first] = await importFiles(session, [NESSUS], { controls: quietControls() });
    expect(first?.findings.new).toBeGreaterThan(10);
    expect(cells(db)).toEqual(counted(db));
    expect(hasInsertTrigger(db)).toBe(true);

    await importFiles(session, [NESSUS], { controls: quietControls() });
    const [vex] = await importFiles(session, [VEX], { controls: quietControls() });
    expect(vex?.notes?.join(' ')).toMatch(/false positives by the file's VEX/);
    const falsePositives = db
      .prepare(`SELECT count(*) FROM findings WHERE status = 'false_positive'`)
      .pluck()
      .get() as number;
    expect(falsePositives).toBeGreaterThan(0);
    expect(cells(db)).toEqual(counted(db));
    expect(cells(db).some((c) => (c as { status: string }).status === 'false_positive')).toBe(true);

    // Findings written outside imports are still counted by the trigger.
    db.prepare(
      `UPDATE findings SET status = 'fixed' WHERE id = (SELECT min(id) FROM findings)`,
    ).run();
    expect(cells(db)).toEqual(counted(db));
  });

  it('a file that fails half-way leaves the counts and the trigger as they were', async () => {
    const { session, dir } = await newVault();
    const db = session.db;
    await importFiles(session, [VEX], { controls: quietControls() });
    const before = cells(db);
    const text = readFileSync(NESSUS, 'utf8');
    const broken = join(dir, 'cut.nessus');
    // Cut inside the last host: the first hosts' findings are inserted, then parsing fails.
    writeFileSync(broken, text.slice(0, text.lastIndexOf('<ReportItem ') + 40));
    const [summary] = await importFiles(session, [broken], { controls: quietControls() });
    expect(summary?.error?.code).toBeTruthy();
    expect(hasInsertTrigger(db)).toBe(true);
    expect(cells(db)).toEqual(before);
    expect(cells(db)).toEqual(counted(db));
  });
});
