/**
 * Imports one scanner file into the vault in one transaction: a file lands whole or not
 * at all. Runs in the writer thread on its own connection.
 *
 * Re-import rules (docs/importers.md):
 * - a finding is asset × vulnerability key × port/protocol × component; repeats inside
 *   one file merge and count occurrences (the count of the latest file that saw it);
 * - a finding seen again gets a newer lastSeen; one closed as fixed (or "not seen")
 *   reopens; risk decisions (accepted, false positive) are kept;
 * - nothing is closed because a file lacks it. A finding becomes "not seen in latest
 *   scan" only when a newer scan by the same scanner covered its asset and did not
 *   report it; that is a candidate fix, confirmed by a push's verify or an operator;
 * - the same bytes imported twice are detected (sha256) and reported.
 */
import { setImmediate } from 'node:timers/promises';
import { VzError } from '../../core/errors';
import { throwIfCancelled, type JobControls } from '../../core/jobs';
import { appendAudit, type AuditActor } from '../../vault/audit';
import type { Db } from '../../vault/sqlcipher';
import { openImportInWorker } from '../pipeline/parse-in-worker';
import { openImport, type ImportSource } from '../read-file';
import type { ScanInfo } from '../types';
import { refreshPriorities } from '../../triage/priorities';
import { forgetAsset, refreshSearchIndex } from '../../triage/search-index';
import { AssetResolver, type ResolvedAsset } from './asset-identity';
import { FindingWriter } from './finding-writer';
import { VulnerabilityWriter } from './vulnerability-writer';

export { findingIdentity } from './finding-writer';

export interface ImportSummary {
  file: string;
  format: string;
  sha256: string;
  assets: number;
  /** Of `assets`, the software ones (projects, repositories); absent when none. */
  softwareAssets?: number;
  findings: { new: number; updated: number; unchanged: number; notSeen: number };
  /** Findings the file carried that could not be kept, counted by reason. */
  skipped?: { count: number; reasons: { reason: string; count: number }[] };
  durationMs: number;
  scanId?: number;
  duplicateOf?: number;
  notes?: string[];
  error?: { code: string; message: string };
}

const MAX_NOTES = 50;
const NO_IDENTIFIER =
  'no usable asset identifier (only generic names such as localhost, 127.0.0.1 or "ubuntu")';

/** Which assets a scan covered, for the scans table and the "not seen" rule. */
class Coverage {
  readonly assets = new Map<number, ResolvedAsset>();
  private readonly stmt;

  constructor(
    db: Db,
    private readonly scanId: number,
  ) {
    this.stmt = db.prepare('INSERT OR IGNORE INTO scan_assets(scan_id, asset_id) VALUES (?, ?)');
  }

  add(asset: ResolvedAsset): void {
    if (this.assets.has(asset.id)) return;
    this.assets.set(asset.id, asset);
    this.stmt.run(this.scanId, asset.id);
  }
}

/**
 * Open findings of covered assets, from this scanner, that this newer scan did not report.
 * Assets this import created have no older findings, so only known ones are looked at.
 */
function markNotSeen(
  db: Db,
  coverage: Coverage,
  scanId: number,
  scanner: string,
  scanTime: string,
): number {
  const candidates = db
    .prepare(
      `SELECT id FROM findings WHERE asset_id = ? AND scanner = ? AND status = 'open' AND last_seen <= ? AND last_scan_id IS NOT ?`,
    )
    .pluck();
  const mark = db.prepare(
    `UPDATE findings SET status = 'not_seen', status_reason = ?, status_changed_at = ? WHERE id = ?`,
  );
  const reason = `not reported by the ${scanner} scan ${scanId} that covered this asset`;
  let count = 0;
  for (const asset of coverage.assets.values()) {
    if (asset.isNew) continue;
    for (const id of candidates.all(asset.id, scanner, scanTime, scanId) as number[]) {
      mark.run(reason, scanTime, id);
      count += 1;
    }
  }
  return count;
}

/** Counts skipped findings by reason (the summary, the Import screen and the audit entry show them). */
class SkipCounter {
  private readonly reasons = new Map<string, number>();
  count = 0;

  add(reason: string): void {
    this.count += 1;
    this.reasons.set(reason, (this.reasons.get(reason) ?? 0) + 1);
  }

  summary(): ImportSummary['skipped'] {
    if (this.count === 0) return undefined;
    return {
      count: this.count,
      reasons: [...this.reasons].map(([reason, count]) => ({ reason, count })),
    };
  }
}

export interface ImportOptions {
  format?: string | undefined;
  actor: AuditActor;
  controls: JobControls;
  /**
   * Parse in this thread instead of a parse thread (tests of the writer alone; the app
   * and the CLI always overlap parsing and writing).
   */
  inThread?: boolean;
  /**
   * Keep findings of hosts with only generic identifiers (an asset per scan and name)
   * instead of skipping and counting them.
   */
  keepGenericHosts?: boolean | undefined;
}

/** Imports one file; throws on failure after rolling back (the vault is unchanged). */
export async function importFile(
  db: Db,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const { controls } = options;
  const open = options.inThread ? openImport : openImportInWorker;
  const opened: ImportSource = await open(path, {
    format: options.format,
    signal: controls.signal,
  });
  const now = new Date().toISOString();
  const notes: string[] = [];
  const skipped = new SkipCounter();
  let scan: ScanInfo | null = null;
  let findings = 0;

  db.exec('BEGIN IMMEDIATE');
  try {
    const scanId = Number(
      db
        .prepare(
          `INSERT INTO scans(file_name, sha256, size, format, scanner, imported_at, imported_by) VALUES (?, '', ?, ?, ?, ?, ?)`,
        )
        .run(opened.fileName, opened.size, opened.format, opened.label, now, options.actor.name)
        .lastInsertRowid,
    );
    const seenAt = () => scan?.finishedAt ?? scan?.startedAt ?? now;
    const assets = new AssetResolver(db, now, options.keepGenericHosts ? scanId : undefined);
    const coverage = new Coverage(db, scanId);
    const vulns = new VulnerabilityWriter(db);
    const writer = new FindingWriter(db, scanId, vulns, options.actor, opened.fileName, now);
    let sinceCheck = 0;
    for await (const record of opened.records) {
      switch (record.kind) {
        case 'scan':
          scan = record.scan;
          break;
        case 'asset': {
          const asset = assets.resolve(record.asset);
          if (asset) coverage.add(asset);
          break;
        }
        case 'finding': {
          const asset = assets.resolve(record.finding.asset);
          if (!asset) {
            skipped.add(NO_IDENTIFIER);
            break;
          }
          coverage.add(asset);
          writer.write(asset, record.finding, record.finding.lastSeen ?? seenAt());
          findings += 1;
          break;
        }
        case 'note':
          if (notes.length < MAX_NOTES) notes.push(record.message);
          break;
      }
      if (++sinceCheck >= 500) {
        sinceCheck = 0;
        throwIfCancelled(controls.signal);
        controls.progress('import', opened.bytesRead(), opened.size, `${findings} findings`);
      }
    }
    // A cancel sent while the last records were written is a message this thread has not
    // read yet: let it in before deciding to finish the file.
    await setImmediate();
    throwIfCancelled(controls.signal);
    writer.cells.finish();
    const sha256 = opened.sha256();
    const duplicateOf = db
      .prepare('SELECT id FROM scans WHERE sha256 = ? AND id <> ? ORDER BY id LIMIT 1')
      .pluck()
      .get(sha256, scanId) as number | undefined;
    const scanner = scan?.scanner ?? opened.label;
    const scanTime = seenAt();
    writer.linkNewFindings();
    let notSeen = 0;
    for (const name of writer.scanners.size ? writer.scanners : [scanner])
      notSeen += markNotSeen(db, coverage, scanId, name, scanTime);
    const counts = { ...writer.counts(), notSeen };
    refreshDerived(db, vulns, assets, coverage, writer.componentNames);
    if (assets.merged.length)
      notes.push(
        `${assets.merged.length} asset(s) merged because records carried identifiers of both.`,
      );
    if (skipped.count)
      notes.push(
        `${skipped.count} finding(s) skipped: ${skipped
          .summary()
          ?.reasons.map((r) => `${r.count} with ${r.reason}`)
          .join('; ')}.`,
      );
    if (writer.vexFalsePositives.length)
      notes.push(
        `${writer.vexFalsePositives.length} finding(s) recorded as false positives by the file's VEX statements.`,
      );
    db.prepare(
      `UPDATE scans SET sha256 = ?, scanner = ?, scanner_version = ?, started_at = ?, finished_at = ?, counts = ?, duplicate_of = ?, notes = ? WHERE id = ?`,
    ).run(
      sha256,
      scanner,
      scan?.scannerVersion ?? null,
      scan?.startedAt ?? null,
      scan?.finishedAt ?? null,
      JSON.stringify({
        assets: coverage.assets.size,
        findings: counts,
        ...(skipped.count ? { skipped: skipped.summary() } : {}),
      }),
      duplicateOf ?? null,
      JSON.stringify(notes),
      scanId,
    );
    appendAudit(db, options.actor, {
      action: 'import.file',
      objectType: 'scan',
      objectId: scanId,
      summary: {
        after: {
          file: opened.fileName,
          format: opened.format,
          sha256,
          assets: coverage.assets.size,
          findings: counts,
          ...(skipped.count ? { skipped: skipped.summary() } : {}),
          ...(writer.vexFalsePositives.length
            ? { vexFalsePositives: writer.vexFalsePositives }
            : {}),
          duplicateOf: duplicateOf ?? null,
        },
      },
    });
    const softwareAssets = db
      .prepare(
        `SELECT count(*) FROM scan_assets sa JOIN assets a ON a.id = sa.asset_id WHERE sa.scan_id = ? AND a.kind = 'software'`,
      )
      .pluck()
      .get(scanId) as number;
    db.exec('COMMIT');
    controls.progress('import', opened.size, opened.size, `${findings} findings`);
    const skippedSummary = skipped.summary();
    return {
      file: opened.fileName,
      format: opened.format,
      sha256,
      assets: coverage.assets.size,
      ...(softwareAssets ? { softwareAssets } : {}),
      findings: counts,
      ...(skippedSummary ? { skipped: skippedSummary } : {}),
      durationMs: Math.round(performance.now() - started),
      scanId,
      ...(duplicateOf !== undefined ? { duplicateOf } : {}),
      ...(notes.length ? { notes } : {}),
    };
  } catch (error) {
    if (db.inTransaction) db.exec('ROLLBACK');
    if (error instanceof VzError) throw error;
    throw new VzError(
      'IMPORT_FAILED',
      `${opened.fileName}: import failed: ${(error as Error).message}`,
    );
  }
}

/**
 * Derived triage data after the findings are in: new findings already carry their
 * priority, so only findings this file did not write are refreshed (those of
 * vulnerabilities whose inputs changed, and of assets that merged), then the free-text
 * index gains the file's vulnerabilities, assets and components.
 */
function refreshDerived(
  db: Db,
  vulns: VulnerabilityWriter,
  assets: AssetResolver,
  coverage: Coverage,
  componentNames: ReadonlySet<string>,
): void {
  const changed = vulns.changedIds();
  if (changed.length) refreshPriorities(db, { vulnerabilityIds: changed });
  const mergedInto = [...new Set(assets.merged.map((m) => m.into))];
  if (mergedInto.length) refreshPriorities(db, { assetIds: mergedInto });
  for (const m of assets.merged) forgetAsset(db, m.from);
  refreshSearchIndex(db, {
    vulnerabilityIds: vulns.ids(),
    assetIds: [...coverage.assets.keys()],
    componentNames: [...componentNames],
  });
  // Keeps the planner's statistics current as the vault grows (cheap when nothing changed much).
  db.pragma('optimize');
}
