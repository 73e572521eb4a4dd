/**
 * Findings of one import, written in the import's transaction (see import-file.ts for the
 * re-import rules). Two paths keep a large first import cheap:
 * - an asset this import created has no earlier findings, so its findings are inserted
 *   without looking anything up (a repeat inside the file hits the identity's UNIQUE
 *   index and becomes one more occurrence);
 * - each new finding is inserted with its stored priority already computed, and the
 *   finding↔scan links of new findings are written by one statement at the end.
 */
import type { AuditActor } from '../../vault/audit';
import type { Db } from '../../vault/sqlcipher';
import type { NormalizedFinding } from '../types';
import type { ResolvedAsset } from './asset-identity';
import { CellTally, type Cell } from './cell-tally';
import type { VulnerabilityWriter } from './vulnerability-writer';

/** asset × vulnerability × port/protocol × component (× location, for source findings). */
export function findingIdentity(assetId: number, f: NormalizedFinding): string {
  const port = f.port === undefined ? '' : `${f.port}/${f.protocol ?? ''}`;
  const component = f.component ? `${f.component.name}@${f.component.path ?? ''}` : '';
  // A SARIF result keyed by its fingerprint stays one finding when the code around it moves:
  // its line and column are where it is now, not what it is.
  const location = f.location
    ? fingerprinted(f)
      ? `|${f.location.path}`
      : `|${f.location.path}:${f.location.line ?? ''}:${f.location.column ?? ''}`
    : '';
  return `${assetId}|${f.vulnerability.key}|${port}|${component}${location}`;
}

/** SARIF keys a result by `<tool>:<rule>@<file>#<fingerprint>` when it has one. */
export function fingerprinted(f: NormalizedFinding): boolean {
  return f.format === 'sarif' && f.vulnerability.key.includes('#');
}

interface ExistingFinding {
  id: number;
  status: string;
  status_changed_at: string;
  evidence: string | null;
  component_version: string | null;
  component_fixed_version: string | null;
  last_scan_id: number | null;
}

/** VEX states that say the product is not affected: recorded as a false-positive decision. */
const VEX_NOT_AFFECTED = new Set(['not_affected', 'false_positive']);

export class FindingWriter {
  /** Counts only: memory stays flat whatever the file's size. */
  private readonly tally = { new: 0, updated: 0, unchanged: 0 };
  /** Scanner names as findings carry them (the "not seen" rule compares like with like). */
  readonly scanners = new Set<string>();
  /** Component names this import wrote (for the free-text index). */
  readonly componentNames = new Set<string>();
  /** Findings a VEX statement of this file marked as false positives. */
  readonly vexFalsePositives: number[] = [];
  /** Findings created by this import have ids above this one. */
  readonly lastIdBefore: number;
  /** Dashboard counts of the findings this import inserts (see cell-tally.ts). */
  readonly cells: CellTally;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly scanId: number,
    private readonly vulns: VulnerabilityWriter,
    private readonly actor: AuditActor,
    private readonly fileName: string,
    private readonly now: string,
  ) {
    this.lastIdBefore = db
      .prepare('SELECT coalesce(max(id), 0) FROM findings')
      .pluck()
      .get() as number;
    this.cells = new CellTally(db);
    const insert = `INTO findings(identity, asset_id, vulnerability_id, scanner, port, protocol, service, component_name,
           component_version, component_fixed_version, component_path, component_purl, first_seen, last_seen,
           evidence, status_changed_at, risk_score, decision_rank, severity_rank, due_at, kev, epss,
           kind, location_path, location_line, location_column, status, occurrences, last_scan_id)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, coalesce(?, 'vulnerability'), ?, ?, ?,
           'open', 1, ${Number(scanId)})`;
    this.stmt = {
      insert: db.prepare(`INSERT ${insert}`),
      insertOrIgnore: db.prepare(`INSERT OR IGNORE ${insert}`),
      bumpByIdentity: db.prepare(
        'UPDATE findings SET occurrences = occurrences + 1 WHERE identity = ?',
      ),
      byIdentity: db.prepare(
        `SELECT id, status, status_changed_at, evidence, component_version, component_fixed_version, last_scan_id
         FROM findings WHERE identity = ?`,
      ),
      refresh: db.prepare(
        `UPDATE findings SET last_seen = max(last_seen, ?), evidence = ?, occurrences = 1, service = coalesce(?, service),
           component_version = coalesce(?, component_version), component_fixed_version = coalesce(?, component_fixed_version),
           location_line = coalesce(?, location_line), location_column = coalesce(?, location_column),
           last_scan_id = ?,
           status = CASE WHEN ? THEN 'open' ELSE status END,
           status_reason = CASE WHEN ? THEN 'seen again by a scan' ELSE status_reason END,
           status_changed_at = CASE WHEN ? THEN ? ELSE status_changed_at END
         WHERE id = ?`,
      ),
      bump: db.prepare('UPDATE findings SET occurrences = occurrences + 1 WHERE id = ?'),
      link: db.prepare('INSERT OR IGNORE INTO finding_scans(finding_id, scan_id) VALUES (?, ?)'),
      idByIdentity: db.prepare('SELECT id, status FROM findings WHERE identity = ?'),
      markFalsePositive: db.prepare(
        `UPDATE findings SET status = 'false_positive', status_reason = ?, status_changed_at = ? WHERE id = ?`,
      ),
      revokeDecisions: db.prepare(
        'UPDATE risk_decisions SET revoked_at = ? WHERE finding_id = ? AND revoked_at IS NULL',
      ),
      recordDecision: db.prepare(
        `INSERT INTO risk_decisions(finding_id, kind, reason, decided_by, decided_at) VALUES (?, 'false_positive', ?, ?, ?)`,
      ),
    };
  }

  /** Writes one finding on its resolved asset. */
  write(asset: ResolvedAsset, f: NormalizedFinding, seen: string): void {
    const vuln = this.vulns.upsert(f);
    this.scanners.add(f.scanner.name);
    if (f.component) this.componentNames.add(f.component.name);
    const identity = findingIdentity(asset.id, f);
    const evidence = f.evidence ?? null;
    if (asset.isNew) this.insertNew(asset, f, identity, vuln, seen, evidence);
    else this.writeKnown(asset, f, identity, vuln, seen, evidence);
    if (f.vex && VEX_NOT_AFFECTED.has(f.vex.state)) this.recordVex(identity, f.vex);
  }

  private insertArgs(
    asset: ResolvedAsset,
    f: NormalizedFinding,
    identity: string,
    vuln: ReturnType<VulnerabilityWriter['upsert']>,
    seen: string,
    evidence: string | null,
  ) {
    const firstSeen = f.firstSeen ?? seen;
    const c = f.component;
    const l = f.location;
    const priority = this.vulns.priority(vuln, asset.criticality, asset.exposure, firstSeen);
    const [, decisionRank, severityRank, , kev] = priority;
    const args = [
      identity,
      asset.id,
      vuln.id,
      f.scanner.name,
      f.port ?? null,
      f.protocol ?? null,
      f.service ?? null,
      c?.name ?? null,
      c?.version ?? null,
      c?.fixedVersion ?? null,
      c?.path ?? null,
      c?.purl ?? null,
      firstSeen,
      seen,
      evidence,
      seen,
      ...priority,
      f.kind ?? null,
      l?.path ?? null,
      l?.line ?? null,
      l?.column ?? null,
    ];
    const cell: Cell = [decisionRank, severityRank, kev];
    return { args, cell };
  }

  /** A finding this import inserted: counted for the summary and the dashboard cells. */
  private countNew(cell: Cell): void {
    this.tally.new += 1;
    this.cells.add(cell);
  }

  private insertNew(
    asset: ResolvedAsset,
    f: NormalizedFinding,
    identity: string,
    vuln: ReturnType<VulnerabilityWriter['upsert']>,
    seen: string,
    evidence: string | null,
  ): void {
    const { args, cell } = this.insertArgs(asset, f, identity, vuln, seen, evidence);
    if (this.stmt.insertOrIgnore.run(...args).changes) this.countNew(cell);
    // Seen before in this same file: one finding, one more occurrence.
    else this.stmt.bumpByIdentity.run(identity);
  }

  private writeKnown(
    asset: ResolvedAsset,
    f: NormalizedFinding,
    identity: string,
    vuln: ReturnType<VulnerabilityWriter['upsert']>,
    seen: string,
    evidence: string | null,
  ): void {
    const existing = this.stmt.byIdentity.get(identity) as ExistingFinding | undefined;
    if (!existing) {
      const { args, cell } = this.insertArgs(asset, f, identity, vuln, seen, evidence);
      this.stmt.insert.run(...args);
      this.countNew(cell);
      return;
    }
    if (existing.last_scan_id === this.scanId) {
      this.stmt.bump.run(existing.id);
      return;
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
    this.stmt.refresh.run(
      seen,
      evidence,
      f.service ?? null,
      f.component?.version ?? null,
      f.component?.fixedVersion ?? null,
      f.location?.line ?? null,
      f.location?.column ?? null,
      this.scanId,
      flag,
      flag,
      flag,
      seen,
      existing.id,
    );
    this.stmt.link.run(existing.id, this.scanId);
    this.tally[changed ? 'updated' : 'unchanged'] += 1;
  }

  /**
   * A VEX "not affected" statement is the file's author deciding the finding is a false
   * positive: recorded as a decision with the justification (never a silent drop). A
   * finding an operator already decided on keeps the operator's decision.
   */
  private recordVex(identity: string, vex: NonNullable<NormalizedFinding['vex']>): void {
    const row = this.stmt.idByIdentity.get(identity) as { id: number; status: string } | undefined;
    if (!row || !['open', 'not_seen'].includes(row.status)) return;
    const reason = [
      `VEX ${vex.state} in ${this.fileName}`,
      vex.justification ? `justification: ${vex.justification}` : '',
      vex.detail ?? '',
    ]
      .filter(Boolean)
      .join('; ');
    // The status change below is counted by the update trigger against the stored counts.
    this.cells.flush();
    this.stmt.revokeDecisions.run(this.now, row.id);
    this.stmt.recordDecision.run(row.id, reason, this.actor.name, this.now);
    this.stmt.markFalsePositive.run(reason, this.now, row.id);
    this.vexFalsePositives.push(row.id);
  }

  /** Links the findings this import created to its scan (one statement instead of one per row). */
  linkNewFindings(): void {
    this.db
      .prepare(
        'INSERT OR IGNORE INTO finding_scans(finding_id, scan_id) SELECT id, ? FROM findings WHERE id > ?',
      )
      .run(this.scanId, this.lastIdBefore);
  }

  counts(): { new: number; updated: number; unchanged: number } {
    return { ...this.tally };
  }
}
