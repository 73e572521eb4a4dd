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
import { VzError } from '../../core/errors';
import { throwIfCancelled, type JobControls } from '../../core/jobs';
import { appendAudit, type AuditActor } from '../../vault/audit';
import type { Db } from '../../vault/sqlcipher';
import { openImport } from '../read-file';
import type { NormalizedFinding, ScanInfo } from '../types';
import { refreshEnrichment } from '../../feeds/store/load-feed';
import { refreshTriage } from '../../triage/refresh';
import { AssetResolver } from './asset-identity';

export interface ImportSummary {
  file: string;
  format: string;
  sha256: string;
  assets: number;
  findings: { new: number; updated: number; unchanged: number; notSeen: number };
  durationMs: number;
  scanId?: number;
  duplicateOf?: number;
  notes?: string[];
  error?: { code: string; message: string };
}

const MAX_NOTES = 50;

function findingIdentity(assetId: number, f: NormalizedFinding): string {
  const port = f.port === undefined ? '' : `${f.port}/${f.protocol ?? ''}`;
  const component = f.component ? `${f.component.name}@${f.component.path ?? ''}` : '';
  return `${assetId}|${f.vulnerability.key}|${port}|${component}`;
}

class ImportWriter {
  private readonly assets: AssetResolver;
  private readonly vulnIds = new Map<string, number>();
  /** Counts only: which findings this import touched is read back from last_scan_id, so memory stays flat. */
  private readonly tally = { new: 0, updated: 0, unchanged: 0 };
  /** Scanner names as findings carry them (the "not seen" rule compares like with like). */
  readonly scanners = new Set<string>();
  readonly coveredAssets = new Set<number>();
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly scanId: number,
    private readonly seenAt: () => string,
    now: string,
  ) {
    this.assets = new AssetResolver(db, now);
    this.stmt = {
      vulnByKey: db.prepare('SELECT id FROM vulnerabilities WHERE key = ?').pluck(),
      insertVuln: db.prepare(
        `INSERT INTO vulnerabilities(key, title, severity, cvss3, cvss3_vector, cvss2, cves, cwes, refs, solution, description)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
      updateVuln: db.prepare(
        `UPDATE vulnerabilities SET title = ?, severity = ?, cvss3 = coalesce(?, cvss3), cvss3_vector = coalesce(?, cvss3_vector),
           cvss2 = coalesce(?, cvss2), cves = ?, cwes = ?, refs = ?, solution = coalesce(?, solution),
           description = coalesce(?, description) WHERE id = ?`,
      ),
      insertCve: db.prepare(
        'INSERT OR IGNORE INTO vulnerability_cves(vulnerability_id, cve) VALUES (?, ?)',
      ),
      findingByIdentity: db.prepare(
        `SELECT id, status, status_changed_at, evidence, component_version, component_fixed_version, last_scan_id FROM findings WHERE identity = ?`,
      ),
      insertFinding: db.prepare(
        `INSERT INTO findings(identity, asset_id, vulnerability_id, scanner, port, protocol, service, component_name,
           component_version, component_fixed_version, component_path, component_purl, status, first_seen, last_seen,
           occurrences, evidence, last_scan_id, status_changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, 1, ?, ?, ?)`,
      ),
      refreshFinding: db.prepare(
        `UPDATE findings SET last_seen = max(last_seen, ?), evidence = ?, occurrences = 1, service = coalesce(?, service),
           component_version = coalesce(?, component_version), component_fixed_version = coalesce(?, component_fixed_version),
           last_scan_id = ?,
           status = CASE WHEN ? THEN 'open' ELSE status END,
           status_reason = CASE WHEN ? THEN 'seen again by a scan' ELSE status_reason END,
           status_changed_at = CASE WHEN ? THEN ? ELSE status_changed_at END
         WHERE id = ?`,
      ),
      bumpOccurrences: db.prepare('UPDATE findings SET occurrences = occurrences + 1 WHERE id = ?'),
      linkScan: db.prepare(
        'INSERT OR IGNORE INTO finding_scans(finding_id, scan_id) VALUES (?, ?)',
      ),
      coverAsset: db.prepare('INSERT OR IGNORE INTO scan_assets(scan_id, asset_id) VALUES (?, ?)'),
    };
  }

  asset(asset: Parameters<AssetResolver['resolve']>[0]): number | null {
    const id = this.assets.resolve(asset);
    if (id !== null && !this.coveredAssets.has(id)) {
      this.coveredAssets.add(id);
      this.stmt.coverAsset.run(this.scanId, id);
    }
    return id;
  }

  private vulnerability(f: NormalizedFinding): number {
    const v = f.vulnerability;
    const cached = this.vulnIds.get(v.key);
    if (cached !== undefined) return cached;
    const args = [
      v.title,
      v.severity,
      v.cvss3 ?? null,
      v.cvss3Vector ?? null,
      v.cvss2 ?? null,
      JSON.stringify(v.cves),
      JSON.stringify(v.cwes),
      JSON.stringify(v.references),
      f.solution ?? null,
      f.description ?? null,
    ] as const;
    let id = this.stmt.vulnByKey.get(v.key) as number | undefined;
    if (id === undefined) id = Number(this.stmt.insertVuln.run(v.key, ...args).lastInsertRowid);
    else this.stmt.updateVuln.run(...args, id);
    for (const cve of v.cves) this.stmt.insertCve.run(id, cve);
    this.vulnIds.set(v.key, id);
    return id;
  }

  finding(f: NormalizedFinding): boolean {
    const assetId = this.asset(f.asset);
    if (assetId === null) return false;
    const vulnId = this.vulnerability(f);
    this.scanners.add(f.scanner.name);
    const identity = findingIdentity(assetId, f);
    const existing = this.stmt.findingByIdentity.get(identity) as
      | {
          id: number;
          status: string;
          status_changed_at: string;
          evidence: string | null;
          component_version: string | null;
          component_fixed_version: string | null;
          last_scan_id: number | null;
        }
      | undefined;
    const seen = f.lastSeen ?? this.seenAt();
    const evidence = f.evidence ?? null;
    if (!existing) {
      const id = Number(
        this.stmt.insertFinding.run(
          identity,
          assetId,
          vulnId,
          f.scanner.name,
          f.port ?? null,
          f.protocol ?? null,
          f.service ?? null,
          f.component?.name ?? null,
          f.component?.version ?? null,
          f.component?.fixedVersion ?? null,
          f.component?.path ?? null,
          f.component?.purl ?? null,
          f.firstSeen ?? seen,
          seen,
          evidence,
          this.scanId,
          seen,
        ).lastInsertRowid,
      );
      this.tally.new += 1;
      this.stmt.linkScan.run(id, this.scanId);
      return true;
    }
    if (existing.last_scan_id === this.scanId) {
      // Seen before in this same file: one finding, one more occurrence.
      this.stmt.bumpOccurrences.run(existing.id);
      return true;
    }
    // Only a sighting at or after the time it was closed reopens it: importing an older
    // file later must not undo a newer "not seen" or a fix.
    const reopened =
      ['fixed', 'fixed_verified', 'not_seen'].includes(existing.status) &&
      seen >= existing.status_changed_at;
    const changed =
      reopened ||
      (existing.evidence ?? null) !== evidence ||
      (f.component?.version !== undefined && existing.component_version !== f.component.version) ||
      (f.component?.fixedVersion !== undefined &&
        existing.component_fixed_version !== f.component.fixedVersion);
    const flag = reopened ? 1 : 0;
    this.stmt.refreshFinding.run(
      seen,
      evidence,
      f.service ?? null,
      f.component?.version ?? null,
      f.component?.fixedVersion ?? null,
      this.scanId,
      flag,
      flag,
      flag,
      seen,
      existing.id,
    );
    this.stmt.linkScan.run(existing.id, this.scanId);
    this.tally[changed ? 'updated' : 'unchanged'] += 1;
    return true;
  }

  /** Open findings of covered assets, from this scanner, that this newer scan did not report. */
  markNotSeen(scanner: string, scanTime: string): number {
    const candidates = this.db.prepare(
      `SELECT id FROM findings WHERE asset_id = ? AND scanner = ? AND status = 'open' AND last_seen <= ? AND last_scan_id IS NOT ?`,
    );
    const mark = this.db.prepare(
      `UPDATE findings SET status = 'not_seen', status_reason = ?, status_changed_at = ? WHERE id = ?`,
    );
    let count = 0;
    for (const assetId of this.coveredAssets) {
      for (const id of candidates
        .pluck()
        .all(assetId, scanner, scanTime, this.scanId) as number[]) {
        mark.run(
          `not reported by the ${scanner} scan ${this.scanId} that covered this asset`,
          scanTime,
          id,
        );
        count += 1;
      }
    }
    return count;
  }

  /** Vulnerabilities this import created or updated (for feed enrichment). */
  vulnerabilityIds(): number[] {
    return [...this.vulnIds.values()];
  }

  counts(): ImportSummary['findings'] {
    return { ...this.tally, notSeen: 0 };
  }

  get mergedAssets(): { from: number; into: number }[] {
    return this.assets.merged;
  }
}

export interface ImportOptions {
  format?: string | undefined;
  actor: AuditActor;
  controls: JobControls;
}

/** Imports one file; throws on failure after rolling back (the vault is unchanged). */
export async function importFile(
  db: Db,
  path: string,
  options: ImportOptions,
): Promise<ImportSummary> {
  const started = performance.now();
  const { controls } = options;
  const opened = await openImport(path, { format: options.format, signal: controls.signal });
  const now = new Date().toISOString();
  const notes: string[] = [];
  let scan: ScanInfo | null = null;
  let findings = 0;

  db.exec('BEGIN IMMEDIATE');
  try {
    const scanId = Number(
      db
        .prepare(
          `INSERT INTO scans(file_name, sha256, size, format, scanner, imported_at, imported_by) VALUES (?, '', ?, ?, ?, ?, ?)`,
        )
        .run(
          opened.fileName,
          opened.size,
          opened.importer.format,
          opened.importer.label,
          now,
          options.actor.name,
        ).lastInsertRowid,
    );
    const seenAt = () => scan?.finishedAt ?? scan?.startedAt ?? now;
    const writer = new ImportWriter(db, scanId, seenAt, now);
    let sinceCheck = 0;
    for await (const record of opened.records) {
      switch (record.kind) {
        case 'scan':
          scan = record.scan;
          break;
        case 'asset':
          writer.asset(record.asset);
          break;
        case 'finding':
          if (writer.finding(record.finding)) findings += 1;
          else if (notes.length < MAX_NOTES)
            notes.push(
              `A finding without any asset identifier was skipped (${record.finding.vulnerability.key}).`,
            );
          break;
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
    throwIfCancelled(controls.signal);
    const sha256 = opened.sha256();
    const duplicateOf = db
      .prepare('SELECT id FROM scans WHERE sha256 = ? AND id <> ? ORDER BY id LIMIT 1')
      .pluck()
      .get(sha256, scanId) as number | undefined;
    const scanner = scan?.scanner ?? opened.importer.label;
    const scanTime = seenAt();
    let notSeen = 0;
    for (const name of writer.scanners.size ? writer.scanners : [scanner])
      notSeen += writer.markNotSeen(name, scanTime);
    const counts = { ...writer.counts(), notSeen };
    // Feeds loaded earlier apply to what this file brought in.
    refreshEnrichment(db, writer.vulnerabilityIds());
    refreshTriage(db, scanId, writer.vulnerabilityIds(), writer.mergedAssets);
    if (writer.mergedAssets.length)
      notes.push(
        `${writer.mergedAssets.length} asset(s) merged because records carried identifiers of both.`,
      );
    db.prepare(
      `UPDATE scans SET sha256 = ?, scanner = ?, scanner_version = ?, started_at = ?, finished_at = ?, counts = ?, duplicate_of = ?, notes = ? WHERE id = ?`,
    ).run(
      sha256,
      scanner,
      scan?.scannerVersion ?? null,
      scan?.startedAt ?? null,
      scan?.finishedAt ?? null,
      JSON.stringify({ assets: writer.coveredAssets.size, findings: counts }),
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
          format: opened.importer.format,
          sha256,
          assets: writer.coveredAssets.size,
          findings: counts,
          duplicateOf: duplicateOf ?? null,
        },
      },
    });
    db.exec('COMMIT');
    controls.progress('import', opened.size, opened.size, `${findings} findings`);
    return {
      file: opened.fileName,
      format: opened.importer.format,
      sha256,
      assets: writer.coveredAssets.size,
      findings: counts,
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
