/**
 * Approvals bind the SHA-256 of (the four step scripts and metadata of one draft
 * version, the target hosts with their address/port/user/sudo mode, the run options).
 * Approver or admin role; the author of the version may not approve it when the vault
 * has more than one operator (admin setting `approvals.separateApprover`, default on).
 * They expire (default 24 h), can be revoked, and are voided by any change to the draft
 * or a target host. The push recomputes the hash from the stored rows right before each
 * host runs and refuses a mismatch.
 */
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { STEPS, type DraftContent, type PatchContent } from '../../src-preload/drafts-schemas';
import { patchSha256 } from '../patches/patch-check';
import { VzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';

export const runOptionsSchema = z
  .object({
    /** Percentage of the remaining hosts in the second wave (after the canary). */
    wavePercent: z.number().int().min(1).max(100).default(25),
    /** Most hosts running at once (a run may ask for fewer). */
    concurrency: z.number().int().min(1).max(100).default(10),
    stepTimeoutSec: z
      .number()
      .int()
      .min(5)
      .max(6 * 3600)
      .default(600),
    /** A wave stops when more than this percentage of its hosts fail (the canary: any failure). */
    maxFailPercent: z.number().int().min(0).max(100).default(10),
  })
  .strict();
export type RunOptions = z.infer<typeof runOptionsSchema>;

export const SEPARATE_APPROVER_SETTING = 'approvals.separateApprover';
export const DEFAULT_EXPIRY_HOURS = 24;

export interface ApprovalTarget {
  id: number;
  name: string;
  address: string;
  port: number;
  username: string;
  sudoMode: string;
}

export interface ApprovalInfo {
  id: number;
  draftId: number;
  draftKind: 'script' | 'patch';
  draftVersionId: number;
  version: number;
  sha256: string;
  targets: ApprovalTarget[];
  options: RunOptions;
  state: 'approved' | 'rejected' | 'revoked' | 'voided' | 'expired';
  stateReason: string | null;
  approver: string;
  comment: string | null;
  approvedAt: string;
  expiresAt: string;
}

function versionContent(
  db: Db,
  versionId: number,
): {
  draftId: number;
  version: number;
  createdBy: string;
  content: DraftContent;
  /** The manifest patch of a patch draft (its script columns are empty). */
  patch: PatchContent | null;
  blocked: boolean;
} {
  const v = db
    .prepare(
      'SELECT draft_id, version, precheck, apply, verify, rollback, metadata, created_by, policy, patch FROM draft_versions WHERE id = ?',
    )
    .get(versionId) as
    | {
        draft_id: number;
        version: number;
        precheck: string;
        apply: string;
        verify: string;
        rollback: string;
        metadata: string;
        created_by: string;
        policy: string;
        patch: string | null;
      }
    | undefined;
  if (!v) throw new VzError('NOT_FOUND', `No draft version #${versionId}.`);
  return {
    draftId: v.draft_id,
    version: v.version,
    createdBy: v.created_by,
    content: {
      precheck: v.precheck,
      apply: v.apply,
      verify: v.verify,
      rollback: v.rollback,
      metadata: JSON.parse(v.metadata) as DraftContent['metadata'],
    },
    patch: v.patch ? (JSON.parse(v.patch) as PatchContent) : null,
    blocked: (JSON.parse(v.policy) as { blocked?: boolean }).blocked === true,
  };
}

function targetsOf(db: Db, hostIds: readonly number[]): ApprovalTarget[] {
  const rows = db
    .prepare(
      `SELECT id, name, address, port, username, sudo_mode AS sudoMode FROM hosts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .all(JSON.stringify(hostIds)) as ApprovalTarget[];
  const missing = hostIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new VzError('NOT_FOUND', `No host #${missing.join(', #')}.`);
  return rows;
}

/** The hash an approval binds, from what is stored now. */
export function approvalHash(
  content: DraftContent,
  targets: readonly ApprovalTarget[],
  options: RunOptions,
): string {
  const canonical = JSON.stringify({
    steps: STEPS.map((s) => [s, createHash('sha256').update(content[s]).digest('hex')]),
    metadata: content.metadata,
    targets: [...targets]
      .sort((a, b) => a.id - b.id)
      .map((t) => [t.id, t.name, t.address, t.port, t.username, t.sudoMode]),
    options: [
      options.wavePercent,
      options.concurrency,
      options.stepTimeoutSec,
      options.maxFailPercent,
    ],
  });
  return createHash('sha256').update(canonical).digest('hex');
}

/**
 * The hash for a stored version: a script version binds scripts, targets and options; a
 * patch version binds its manifest and diff alone (it has no targets: it is exported).
 */
function versionHash(
  version: { content: DraftContent; patch: PatchContent | null },
  targets: readonly ApprovalTarget[],
  options: RunOptions,
): string {
  if (!version.patch) return approvalHash(version.content, targets, options);
  return createHash('sha256')
    .update(JSON.stringify({ patch: patchSha256(version.patch) }))
    .digest('hex');
}

export function approve(
  session: VaultSession,
  input: {
    draftVersionId: number;
    hostIds: number[];
    options?: Partial<RunOptions>;
    comment?: string;
    expiresInHours?: number;
  },
  now = new Date(),
): number {
  session.requireRole('admin', 'approver');
  const db = session.db;
  const version = versionContent(db, input.draftVersionId);
  const draft = db
    .prepare(
      'SELECT state, (SELECT max(version) FROM draft_versions WHERE draft_id = drafts.id) AS latest FROM drafts WHERE id = ?',
    )
    .get(version.draftId) as { state: string; latest: number };
  if (version.blocked || draft.state === 'blocked')
    throw new VzError(
      'DRAFT_BLOCKED',
      `Draft #${version.draftId} is blocked by policy and cannot be approved.`,
    );
  if (version.version !== draft.latest)
    throw new VzError(
      'APPROVAL_STALE',
      `Version ${version.version} is not the latest (${draft.latest}) of draft #${version.draftId}.`,
    );
  if (draft.state !== 'ready')
    throw new VzError(
      'DRAFT_STATE',
      `Draft #${version.draftId} is ${draft.state}; mark it ready for approval first.`,
    );
  const operators = db
    .prepare('SELECT count(*) FROM operators WHERE removed_at IS NULL')
    .pluck()
    .get() as number;
  if (
    operators > 1 &&
    session.setting(SEPARATE_APPROVER_SETTING, true) &&
    version.createdBy === session.operator.name
  )
    throw new VzError(
      'APPROVAL_SELF',
      `${session.operator.name} wrote this version; another approver must approve it.`,
    );
  if (version.patch && input.hostIds.length)
    throw new VzError(
      'INVALID_INPUT',
      `Draft #${version.draftId} is a manifest patch: it is exported, not pushed. Approve it without target hosts.`,
    );
  if (!version.patch && !input.hostIds.length)
    throw new VzError('INVALID_INPUT', 'Choose at least one target host.');
  const parsed = runOptionsSchema.safeParse(input.options ?? {});
  if (!parsed.success)
    throw new VzError(
      'INVALID_INPUT',
      `Run options: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  const options = parsed.data;
  const targets = targetsOf(db, [...new Set(input.hostIds)]);
  const hours = input.expiresInHours ?? DEFAULT_EXPIRY_HOURS;
  if (!(hours > 0 && hours <= 24 * 7))
    throw new VzError('INVALID_INPUT', 'An approval lasts from 1 hour to 7 days.');
  const sha256 = versionHash(version, targets, options);
  return session.transact(
    (tx) =>
      Number(
        tx
          .prepare(
            `INSERT INTO approvals(draft_version_id, sha256, targets, options, approver_id, approver_name, comment, approved_at, expires_at, state)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'approved')`,
          )
          .run(
            input.draftVersionId,
            sha256,
            JSON.stringify(targets.map((t) => t.id)),
            JSON.stringify(options),
            session.operator.id,
            session.operator.name,
            input.comment ?? null,
            now.toISOString(),
            new Date(now.getTime() + hours * 3_600_000).toISOString(),
          ).lastInsertRowid,
      ),
    (id) => ({
      action: 'approval.approve',
      objectType: 'approval',
      objectId: id,
      summary: {
        after: {
          draftVersionId: input.draftVersionId,
          sha256,
          targets: targets.map((t) => t.name),
          options,
          comment: input.comment ?? null,
        },
      },
    }),
  );
}

export function reject(session: VaultSession, draftVersionId: number, comment: string): void {
  session.requireRole('admin', 'approver');
  if (!comment.trim()) throw new VzError('INVALID_INPUT', 'A rejection needs a comment.');
  const version = versionContent(session.db, draftVersionId);
  session.transact(
    (db) => {
      db.prepare(
        `INSERT INTO approvals(draft_version_id, sha256, targets, options, approver_id, approver_name, comment, approved_at, expires_at, state)
         VALUES (?, '', '[]', '{}', ?, ?, ?, ?, ?, 'rejected')`,
      ).run(
        draftVersionId,
        session.operator.id,
        session.operator.name,
        comment,
        new Date().toISOString(),
        new Date().toISOString(),
      );
      const moved = db
        .prepare(`UPDATE drafts SET state = 'draft' WHERE id = ? AND state = 'ready'`)
        .run(version.draftId).changes;
      // Back to draft: like any move out of ready, it voids the draft's live approvals.
      return moved
        ? voidApprovals(db, { draftId: version.draftId }, `draft #${version.draftId} rejected`)
        : 0;
    },
    (voided) => ({
      action: 'approval.reject',
      objectType: 'draft',
      objectId: version.draftId,
      summary: {
        after: {
          version: version.version,
          comment,
          ...(voided ? { approvalsVoided: voided } : {}),
        },
      },
    }),
  );
}

export function revoke(session: VaultSession, approvalId: number, reason: string): void {
  session.requireRole('admin', 'approver');
  const approval = getApproval(session.db, approvalId);
  if (approval.state !== 'approved')
    throw new VzError('APPROVAL_INVALID', `Approval #${approvalId} is already ${approval.state}.`);
  session.transact(
    (db) =>
      db
        .prepare(
          `UPDATE approvals SET state = 'revoked', state_reason = ?, revoked_at = ? WHERE id = ?`,
        )
        .run(reason, new Date().toISOString(), approvalId),
    {
      action: 'approval.revoke',
      objectType: 'approval',
      objectId: approvalId,
      summary: { after: { reason } },
    },
  );
}

/** Voids live approvals of a draft (it was edited) or of a target host (it changed). */
export function voidApprovals(
  db: Db,
  scope: { draftId: number } | { hostId: number },
  reason: string,
): number {
  const where =
    'draftId' in scope
      ? 'draft_version_id IN (SELECT id FROM draft_versions WHERE draft_id = ?)'
      : 'EXISTS (SELECT 1 FROM json_each(approvals.targets) WHERE value = ?)';
  return db
    .prepare(
      `UPDATE approvals SET state = 'voided', state_reason = ? WHERE state = 'approved' AND ${where}`,
    )
    .run(reason, 'draftId' in scope ? scope.draftId : scope.hostId).changes;
}

interface ApprovalRow {
  id: number;
  draft_version_id: number;
  sha256: string;
  targets: string;
  options: string;
  state: ApprovalInfo['state'];
  state_reason: string | null;
  approver_name: string | null;
  approver_id: string;
  comment: string | null;
  approved_at: string;
  expires_at: string;
  draft_id: number;
  version: number;
  kind: 'script' | 'patch';
}

function toInfo(db: Db, r: ApprovalRow, now: Date): ApprovalInfo {
  const hostIds = JSON.parse(r.targets) as number[];
  const targets = db
    .prepare(
      `SELECT id, name, address, port, username, sudo_mode AS sudoMode FROM hosts WHERE id IN (SELECT value FROM json_each(?)) ORDER BY id`,
    )
    .all(JSON.stringify(hostIds)) as ApprovalTarget[];
  const expired = r.state === 'approved' && r.expires_at <= now.toISOString();
  return {
    id: r.id,
    draftId: r.draft_id,
    draftKind: r.kind,
    draftVersionId: r.draft_version_id,
    version: r.version,
    sha256: r.sha256,
    targets,
    options: runOptionsSchema.parse(r.state === 'rejected' ? {} : JSON.parse(r.options)),
    state: expired ? 'expired' : r.state,
    stateReason: expired ? `expired at ${r.expires_at}` : r.state_reason,
    approver: r.approver_name ?? r.approver_id,
    comment: r.comment,
    approvedAt: r.approved_at,
    expiresAt: r.expires_at,
  };
}

const APPROVAL_SQL = `SELECT a.*, v.draft_id, v.version, d.kind FROM approvals a
  JOIN draft_versions v ON v.id = a.draft_version_id JOIN drafts d ON d.id = v.draft_id`;

export function getApproval(db: Db, id: number, now = new Date()): ApprovalInfo {
  const row = db.prepare(`${APPROVAL_SQL} WHERE a.id = ?`).get(id) as ApprovalRow | undefined;
  if (!row) throw new VzError('NOT_FOUND', `No approval #${id}.`);
  return toInfo(db, row, now);
}

export function listApprovals(db: Db, now = new Date()): ApprovalInfo[] {
  return (db.prepare(`${APPROVAL_SQL} ORDER BY a.id DESC LIMIT 500`).all() as ApprovalRow[]).map(
    (r) => toInfo(db, r, now),
  );
}

/**
 * What a push may run, checked right now: the approval is live and the hash of the
 * stored scripts, targets and options still equals the approved one.
 */
export function verifiedApproval(
  db: Db,
  id: number,
  now = new Date(),
): { approval: ApprovalInfo; content: DraftContent } {
  const { approval, content, patch } = verifiedApprovalOf(db, id, now);
  if (patch)
    throw new VzError(
      'DRAFT_KIND',
      `Approval #${id} is for draft #${approval.draftId}, a manifest patch: export it with \`vulnzero drafts export-patch ${approval.draftId}\`; a patch is never pushed over SSH.`,
    );
  return { approval, content };
}

/** As verifiedApproval, for either kind of draft (the patch export uses it). */
export function verifiedApprovalOf(
  db: Db,
  id: number,
  now = new Date(),
): { approval: ApprovalInfo; content: DraftContent; patch: PatchContent | null } {
  const approval = getApproval(db, id, now);
  if (approval.state !== 'approved')
    throw new VzError(
      'APPROVAL_INVALID',
      `Approval #${id} is ${approval.state}${approval.stateReason ? ` (${approval.stateReason})` : ''}.`,
    );
  const version = versionContent(db, approval.draftVersionId);
  const row = db.prepare('SELECT targets, options FROM approvals WHERE id = ?').get(id) as {
    targets: string;
    options: string;
  };
  const targets = targetsOf(db, JSON.parse(row.targets) as number[]);
  const actual = versionHash(version, targets, runOptionsSchema.parse(JSON.parse(row.options)));
  if (actual !== approval.sha256)
    throw new VzError(
      'APPROVAL_HASH_MISMATCH',
      `Approval #${id} no longer matches what is stored (approved ${approval.sha256.slice(0, 12)}…, now ${actual.slice(0, 12)}…): the scripts, targets or options changed. Approve again.`,
    );
  return { approval, content: version.content, patch: version.patch };
}

/** Whether a draft version belongs to a manifest patch draft (approved with no targets). */
export function isPatchVersion(db: Db, draftVersionId: number): boolean {
  return (
    db
      .prepare(
        `SELECT d.kind FROM draft_versions v JOIN drafts d ON d.id = v.draft_id WHERE v.id = ?`,
      )
      .pluck()
      .get(draftVersionId) === 'patch'
  );
}
