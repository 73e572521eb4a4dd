/**
 * Work the writer thread can do on its own connection. Each task is a plain function of
 * (db, args, controls) so it is unit-tested in-process too; the worker only dispatches.
 */
import { dashboardFigures, type DashboardSummary } from '../../triage/dashboard';
import { findingGroups, type GroupBy, type GroupRow } from '../../triage/groups';
import { countFindings } from '../../triage/page';
import {
  remediationFigures,
  type RemediationReport,
  type ReportScope,
} from '../../reports/figures';
import type { TriageFilter } from '../../../src-preload/triage-schemas';
import { throwIfCancelled, type JobControls } from '../../core/jobs';
import {
  importFeeds,
  type FeedImportArgs,
  type FeedImportResult,
} from '../../feeds/store/import-feeds';
import { importFile, type ImportSummary } from '../../importers/store/import-file';
import { setAssets, type AssetSelector, type Criticality, type Exposure } from '../../assets/set';
import { mergeAssets } from '../../assets/merges';
import { decide, type DecideInput, type DecisionChange } from '../../triage/decisions';
import type { AuditActor } from '../audit';
import type { SessionOperator } from '../session';
import { writerSession, type WriteProgress } from '../write-session';
import { writeBackup } from '../backup';
import { integrityCheck, rekey, type Db } from '../sqlcipher';

export interface WriterTaskMap {
  /** Re-encrypts the database with a new key (rotation). */
  rekey: { args: { newKeyHex: string }; result: { pages: number } };
  /**
   * Inserts `rows` synthetic assets in one transaction: the encrypted write benchmark and
   * the crash-safety test use it (it is not reachable from the UI).
   */
  'insert-synthetic': {
    args: { rows: number; marker: string; batch?: number };
    result: { inserted: number };
  };
  /** Imports one scanner file in one transaction. */
  import: {
    args: { path: string; format?: string; actor: AuditActor; keepGenericHosts?: boolean };
    result: ImportSummary;
  };
  /** PRAGMA integrity_check and foreign_key_check (live vault or a backup, read-only). */
  integrity: { args: Record<string, never>; result: { problems: string[] } };
  /** Writes a consistent encrypted backup (VACUUM INTO) and a copy of the key file. */
  backup: { args: { out: string }; result: { path: string; size: number } };
  /** The dashboard's figures (read-only: they scan every finding). */
  dashboard: { args: Record<string, never>; result: DashboardSummary };
  /** Grouped counts of the findings table (a broad filter reads every match). */
  groups: {
    args: { filter: TriageFilter; by: GroupBy; limit: number; now: string };
    result: GroupRow[];
  };
  /** How many findings a filter matches (a broad filter counts every match). */
  count: { args: { filter: TriageFilter; now: string }; result: number };
  /** The remediation report's figures for a scope. */
  reportFigures: { args: { scope: ReportScope; now: string }; result: RemediationReport };
  /** Loads feed files or a verified signed bundle in one transaction. */
  feeds: { args: FeedImportArgs; result: FeedImportResult };
  /**
   * Operator edits that can touch every finding (a criticality change by CIDR recomputes
   * their priorities): run here so the Electron main thread never waits on them. The
   * operator is the one the main thread unlocked as (role check and audit entry).
   */
  'assets.set': {
    args: {
      operator: SessionOperator;
      selector: AssetSelector;
      change: { criticality?: Criticality; exposure?: Exposure };
    };
    result: { updated: number; ids: number[] };
  };
  'assets.merge': {
    args: { operator: SessionOperator; fromId: number; intoId: number };
    result: { mergeId: number };
  };
  'findings.decide': {
    /** `now`: when the operator asked (ISO), so the expiry check uses the caller's clock. */
    args: { operator: SessionOperator; input: DecideInput; now: string };
    result: { updated: number; skipped: number; changedIds: number[]; changes: DecisionChange[] };
  };
}

export type WriterTask = keyof WriterTaskMap;
export type TaskFn<K extends WriterTask> = (
  db: Db,
  args: WriterTaskMap[K]['args'],
  controls: JobControls,
) => WriterTaskMap[K]['result'] | Promise<WriterTaskMap[K]['result']>;

/** A long write's phase reports, forwarded as the job's progress. */
function progressOf(controls: JobControls): WriteProgress {
  return (phase, done, total) => controls.progress(phase, done, total);
}

export const writerTasks: { [K in WriterTask]: TaskFn<K> } = {
  import: (db, { path, format, actor, keepGenericHosts }, controls) =>
    importFile(db, path, { format, actor, controls, keepGenericHosts }),
  feeds: (db, args, controls) => importFeeds(db, args, controls),
  'assets.set': (db, { operator, selector, change }, controls) =>
    setAssets(writerSession(db, operator), selector, change, progressOf(controls)),
  'assets.merge': (db, { operator, fromId, intoId }, controls) => ({
    mergeId: mergeAssets(writerSession(db, operator), fromId, intoId, progressOf(controls)),
  }),
  'findings.decide': (db, { operator, input, now }, controls) =>
    decide(writerSession(db, operator), input, new Date(now), progressOf(controls)),
  dashboard: (db) => dashboardFigures(db),
  groups: (db, { filter, by, limit, now }) => findingGroups(db, filter, by, limit, new Date(now)),
  count: (db, { filter, now }) => countFindings(db, filter, new Date(now)),
  reportFigures: (db, { scope, now }) => remediationFigures(db, scope, new Date(now)),
  integrity: (db, _args, controls) => {
    controls.progress('integrity check', 0, 1);
    const problems = integrityCheck(db);
    const fk = db.pragma('foreign_key_check') as unknown[];
    if (fk.length) problems.push(`${fk.length} foreign key violations`);
    controls.progress('integrity check', 1, 1);
    return { problems };
  },
  backup: (db, { out }, controls) => {
    controls.progress('backup', 0, 1);
    const written = writeBackup(db, db.name, out);
    controls.progress('backup', 1, 1);
    return written;
  },

  rekey: (db, { newKeyHex }, controls) => {
    controls.progress('rekey', 0, 1);
    const pages = db.pragma('page_count', { simple: true }) as number;
    const key = Buffer.from(newKeyHex, 'hex');
    rekey(db, key);
    key.fill(0);
    controls.progress('rekey', 1, 1);
    return { pages };
  },

  'insert-synthetic': (db, { rows, marker, batch = 5000 }, controls) => {
    const now = new Date().toISOString();
    const insert = db.prepare(
      `INSERT INTO assets(display_name, ip, hostname, os, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)`,
    );
    db.transaction(() => {
      for (let i = 0; i < rows; i += 1) {
        insert.run(
          `${marker}-${i}`,
          `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`,
          `host-${i}.${marker}`,
          'Linux',
          now,
          now,
        );
        if (i % batch === 0) {
          throwIfCancelled(controls.signal);
          controls.progress('insert', i, rows);
        }
      }
    })();
    controls.progress('insert', rows, rows);
    return { inserted: rows };
  },
};
