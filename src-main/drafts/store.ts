/**
 * Drafts and their versions in the vault. A version is immutable: editing writes a new
 * one (author, time, engine, model SHA-256, note), linted and policy-checked before it
 * is stored, with both results kept beside it. Its SHA-256 covers the four scripts and
 * the metadata (what an approval will bind). States: draft → ready (for approval) →
 * archived; a version the policy blocks makes the draft `blocked`; any edit returns a
 * ready draft to `draft`. Every change is audited.
 */
import { createHash } from 'node:crypto';
import type { z } from 'zod';
import {
  draftContent,
  patchContent,
  type DraftContent,
  type draftDetail,
  type draftSummary,
  type PatchContent,
} from '../../src-preload/drafts-schemas';
import { VzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';
import { lintDraft, lintPassed, type LintResult } from './lint';
import { evaluatePolicy, readPolicy, type PolicyResult } from './policy';
import { voidApprovals } from '../push/approvals';
import { lintPatch, patchSha256, policyPatch } from '../patches/patch-check';

export type DraftSummary = z.infer<typeof draftSummary>;
export type DraftDetail = z.infer<typeof draftDetail>;
export type Engine = 'rules' | 'llm' | 'manual';

/** Canonical hash of a draft's content: what an approval binds. */
export function contentSha256(content: DraftContent): string {
  const canonical = JSON.stringify({
    precheck: content.precheck,
    apply: content.apply,
    verify: content.verify,
    rollback: content.rollback,
    metadata: {
      risk: content.metadata.risk,
      rebootNeeded: content.metadata.rebootNeeded,
      servicesToRestart: content.metadata.servicesToRestart,
      notes: content.metadata.notes,
    },
  });
  return createHash('sha256').update(canonical).digest('hex');
}

interface VersionMeta {
  engine: Engine;
  modelSha256?: string | null;
  modelId?: number | null;
  note?: string | null;
}

/** A version is the four scripts of a script draft, or the manifest patch of a patch draft. */
export type VersionInput = VersionMeta &
  ({ content: DraftContent; patch?: undefined } | { content?: undefined; patch: PatchContent });

/** The hash an approval binds, whichever kind the version is. */
export const versionSha256 = (input: VersionInput) =>
  input.patch ? patchSha256(input.patch) : contentSha256(input.content);

interface Checked {
  lint: LintResult[];
  policy: PolicyResult;
}

async function check(db: Db, input: VersionInput): Promise<Checked> {
  const parsed = input.patch
    ? patchContent.safeParse(input.patch)
    : draftContent.safeParse(input.content);
  if (!parsed.success)
    throw new VzError(
      'INVALID_INPUT',
      `The draft is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  if (input.patch)
    return {
      lint: await lintPatch(input.patch),
      policy: policyPatch(input.patch, readPolicy(db).airGapped),
    };
  return {
    lint: await lintDraft(input.content),
    policy: evaluatePolicy(input.content, readPolicy(db)),
  };
}

/** A patch version's metadata: nothing restarts or reboots; the notes are the patch's. */
const patchMetadata = (p: PatchContent): DraftContent['metadata'] => ({
  risk: 'low',
  rebootNeeded: false,
  servicesToRestart: [],
  notes: p.notes,
});

function insertVersion(
  db: Db,
  draftId: number,
  version: number,
  input: VersionInput,
  checked: Checked,
  who: string,
): number {
  const c = input.content ?? { precheck: '', apply: '', verify: '', rollback: '' };
  const metadata = input.patch ? patchMetadata(input.patch) : input.content.metadata;
  return Number(
    db
      .prepare(
        `INSERT INTO draft_versions(draft_id, version, precheck, apply, verify, rollback, metadata, engine, model_sha256,
           model_id, lint, policy, sha256, created_by, created_at, note, patch)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(
        draftId,
        version,
        c.precheck,
        c.apply,
        c.verify,
        c.rollback,
        JSON.stringify(metadata),
        input.engine,
        input.modelSha256 ?? null,
        input.modelId ?? null,
        JSON.stringify(checked.lint),
        JSON.stringify(checked.policy),
        versionSha256(input),
        who,
        new Date().toISOString(),
        input.note ?? null,
        input.patch ? JSON.stringify(input.patch) : null,
      ).lastInsertRowid,
  );
}

export async function createDraft(
  session: VaultSession,
  draft: { title: string; groupKey: string | null; findingIds: number[] },
  input: VersionInput,
): Promise<number> {
  session.requireRole('admin', 'approver', 'analyst');
  const checked = await check(session.db, input);
  const who = session.operator.name;
  return session.transact(
    (db) => {
      const id = Number(
        db
          .prepare(
            'INSERT INTO drafts(title, kind, state, group_key, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
          )
          .run(
            draft.title.slice(0, 300),
            input.patch ? 'patch' : 'script',
            checked.policy.blocked ? 'blocked' : 'draft',
            draft.groupKey,
            who,
            new Date().toISOString(),
          ).lastInsertRowid,
      );
      const link = db.prepare(
        'INSERT OR IGNORE INTO draft_findings(draft_id, finding_id) VALUES (?, ?)',
      );
      for (const f of draft.findingIds) link.run(id, f);
      insertVersion(db, id, 1, input, checked, who);
      return id;
    },
    (id) => ({
      action: 'draft.create',
      objectType: 'draft',
      objectId: id,
      summary: {
        after: {
          engine: input.engine,
          kind: input.patch ? 'patch' : 'script',
          findings: draft.findingIds.length,
          sha256: versionSha256(input),
          blocked: checked.policy.blocked,
          ...(input.modelSha256 ? { model: input.modelSha256 } : {}),
        },
      },
    }),
  );
}

export async function editDraft(
  session: VaultSession,
  draftId: number,
  input: VersionInput,
): Promise<number> {
  session.requireRole('admin', 'approver', 'analyst');
  const current = draftRow(session.db, draftId);
  if (current.state === 'archived')
    throw new VzError('DRAFT_STATE', `Draft #${draftId} is archived; it cannot be edited.`);
  if ((current.kind === 'patch') !== Boolean(input.patch))
    throw new VzError(
      'DRAFT_KIND',
      `Draft #${draftId} is a ${current.kind} draft; a new version must be a ${current.kind === 'patch' ? 'manifest patch' : 'set of scripts'} too.`,
    );
  const checked = await check(session.db, input);
  return session.transact(
    (db) => {
      const version =
        (db
          .prepare('SELECT max(version) FROM draft_versions WHERE draft_id = ?')
          .pluck()
          .get(draftId) as number) + 1;
      insertVersion(db, draftId, version, input, checked, session.operator.name);
      // Any change to the scripts voids the approvals of earlier versions.
      voidApprovals(db, { draftId }, `draft #${draftId} edited (version ${version})`);
      db.prepare('UPDATE drafts SET state = ? WHERE id = ?').run(
        checked.policy.blocked ? 'blocked' : 'draft',
        draftId,
      );
      return version;
    },
    (version) => ({
      action: 'draft.edit',
      objectType: 'draft',
      objectId: draftId,
      summary: {
        before: { state: current.state },
        after: {
          version,
          engine: input.engine,
          sha256: versionSha256(input),
          blocked: checked.policy.blocked,
          ...(input.note ? { note: input.note } : {}),
        },
      },
    }),
  );
}

/** Re-runs lint and policy on the latest version (after a policy change or a new shellcheck). */
export async function recheckDraft(session: VaultSession, draftId: number): Promise<DraftDetail> {
  const detail = getDraft(session.db, draftId);
  const latest = detail.versions.at(-1);
  if (!latest) throw new VzError('NOT_FOUND', `Draft #${draftId} has no version.`);
  const checked = await check(
    session.db,
    latest.patch
      ? { engine: latest.engine, patch: latest.patch }
      : { engine: latest.engine, content: latest.content as DraftContent },
  );
  session.transact(
    (db) => {
      db.prepare('UPDATE draft_versions SET lint = ?, policy = ? WHERE id = ?').run(
        JSON.stringify(checked.lint),
        JSON.stringify(checked.policy),
        latest.id,
      );
      if (checked.policy.blocked && detail.state !== 'archived')
        db.prepare(`UPDATE drafts SET state = 'blocked' WHERE id = ?`).run(draftId);
      else if (!checked.policy.blocked && detail.state === 'blocked')
        db.prepare(`UPDATE drafts SET state = 'draft' WHERE id = ?`).run(draftId);
    },
    {
      action: 'draft.lint',
      objectType: 'draft',
      objectId: draftId,
      summary: {
        after: {
          version: latest.version,
          blocked: checked.policy.blocked,
          lintPassed: lintPassed(checked.lint),
        },
      },
    },
  );
  return getDraft(session.db, draftId);
}

export function setDraftState(
  session: VaultSession,
  draftId: number,
  state: 'draft' | 'ready' | 'archived',
): DraftDetail {
  session.requireRole('admin', 'approver', 'analyst');
  const detail = getDraft(session.db, draftId);
  const latest = detail.versions.at(-1);
  if (state === 'ready') {
    if (detail.state === 'blocked' || latest?.policy.blocked)
      throw new VzError(
        'DRAFT_BLOCKED',
        `Draft #${draftId} is blocked by policy: ${latest?.policy.findings.map((f) => `${f.step} line ${f.line}: ${f.reason}`).join('; ')}`,
      );
    const failed = latest?.lint.filter((l) => !l.ok) ?? [];
    if (failed.length)
      throw new VzError(
        'DRAFT_LINT_FAILED',
        `Draft #${draftId} does not pass lint: ${failed.map((l) => `${l.step} (${l.tool})`).join(', ')}.`,
      );
  }
  if (detail.state === 'archived' && state !== 'archived')
    throw new VzError('DRAFT_STATE', `Draft #${draftId} is archived.`);
  if (detail.state === 'blocked' && state === 'draft')
    throw new VzError(
      'DRAFT_BLOCKED',
      `Draft #${draftId} is blocked by policy; edit it to clear the block.`,
    );
  session.transact(
    (db) => {
      db.prepare('UPDATE drafts SET state = ? WHERE id = ?').run(state, draftId);
      // Leaving `ready` (back to draft, archived) voids the draft's live approvals.
      return detail.state === 'ready' && state !== 'ready'
        ? voidApprovals(db, { draftId }, `draft #${draftId} moved from ready to ${state}`)
        : 0;
    },
    (voided) => ({
      action: 'draft.state',
      objectType: 'draft',
      objectId: draftId,
      summary: {
        before: { state: detail.state },
        after: { state, version: latest?.version, ...(voided ? { approvalsVoided: voided } : {}) },
      },
    }),
  );
  return getDraft(session.db, draftId);
}

interface DraftRow {
  id: number;
  title: string;
  kind: DraftSummary['kind'];
  state: DraftSummary['state'];
  group_key: string | null;
  created_by: string;
  created_at: string;
  latest: number;
  engine: Engine;
  findings: number;
}

const SUMMARY_SQL = `SELECT d.id, d.title, d.kind, d.state, d.group_key, d.created_by, d.created_at,
  (SELECT max(version) FROM draft_versions WHERE draft_id = d.id) AS latest,
  (SELECT engine FROM draft_versions WHERE draft_id = d.id ORDER BY version DESC LIMIT 1) AS engine,
  (SELECT count(*) FROM draft_findings WHERE draft_id = d.id) AS findings
  FROM drafts d`;

function summary(r: DraftRow): DraftSummary {
  return {
    id: r.id,
    title: r.title,
    kind: r.kind,
    state: r.state,
    groupKey: r.group_key,
    latestVersion: r.latest,
    engine: r.engine,
    findings: r.findings,
    createdBy: r.created_by,
    createdAt: r.created_at,
  };
}

function draftRow(db: Db, id: number): DraftRow {
  const row = db.prepare(`${SUMMARY_SQL} WHERE d.id = ?`).get(id) as DraftRow | undefined;
  if (!row) throw new VzError('NOT_FOUND', `No draft #${id}.`);
  return row;
}

export function listDrafts(db: Db, state?: DraftSummary['state']): DraftSummary[] {
  return (
    db
      .prepare(`${SUMMARY_SQL} WHERE ? IS NULL OR d.state = ? ORDER BY d.id DESC LIMIT 1000`)
      .all(state ?? null, state ?? null) as DraftRow[]
  ).map(summary);
}

interface VersionRow {
  id: number;
  draft_id: number;
  version: number;
  precheck: string;
  apply: string;
  verify: string;
  rollback: string;
  metadata: string;
  engine: Engine;
  model_sha256: string | null;
  sha256: string;
  lint: string;
  policy: string;
  created_by: string;
  created_at: string;
  note: string | null;
  patch: string | null;
}

export function getDraft(db: Db, id: number): DraftDetail {
  const row = draftRow(db, id);
  const versions = (
    db
      .prepare('SELECT * FROM draft_versions WHERE draft_id = ? ORDER BY version')
      .all(id) as VersionRow[]
  ).map((v) => ({
    id: v.id,
    draftId: v.draft_id,
    version: v.version,
    content: v.patch
      ? null
      : {
          precheck: v.precheck,
          apply: v.apply,
          verify: v.verify,
          rollback: v.rollback,
          metadata: JSON.parse(v.metadata) as DraftContent['metadata'],
        },
    patch: v.patch ? (JSON.parse(v.patch) as PatchContent) : null,
    engine: v.engine,
    modelSha256: v.model_sha256,
    sha256: v.sha256,
    lint: JSON.parse(v.lint) as LintResult[],
    policy: JSON.parse(v.policy) as PolicyResult,
    createdBy: v.created_by,
    createdAt: v.created_at,
    note: v.note,
  }));
  const findingIds = db
    .prepare('SELECT finding_id FROM draft_findings WHERE draft_id = ? ORDER BY finding_id')
    .pluck()
    .all(id) as number[];
  const hosts = db
    .prepare(
      `SELECT DISTINCT a.id AS assetId, a.display_name AS name, a.os FROM draft_findings df
       JOIN findings f ON f.id = df.finding_id JOIN assets a ON a.id = f.asset_id WHERE df.draft_id = ? ORDER BY a.display_name`,
    )
    .all(id) as DraftDetail['hosts'];
  return { ...summary(row), versions, findingIds, hosts };
}

/** The scripts of a script version; a patch version has none (DRAFT_KIND). */
export function scriptsOf(version: DraftDetail['versions'][number]): DraftContent {
  if (!version.content)
    throw new VzError(
      'DRAFT_KIND',
      `Draft #${version.draftId} is a manifest patch: it has a diff, not scripts to edit or compare.`,
    );
  return version.content;
}
