/**
 * Exporting an approved patch draft as a .patch file: the only way a patch leaves the
 * vault. The latest version must carry a live approval whose hash still matches the
 * stored manifest and diff (the same check a push makes before each host); the file is
 * written owner-only, never over an existing one unless asked, and the export is audited
 * with the approval and the hash.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { VzError } from '../core/errors';
import { getDraft } from '../drafts/store';
import { verifiedApprovalOf } from '../push/approvals';
import type { VaultSession } from '../vault/session';
import { patchSha256 } from './patch-check';

export interface PatchExport {
  draftId: number;
  version: number;
  approvalId: number;
  path: string;
  file: string;
  sha256: string;
  bytes: number;
}

export function exportPatch(
  session: VaultSession,
  input: { draftId: number; path: string; force?: boolean },
): PatchExport {
  session.requireRole('admin', 'approver', 'analyst');
  const draft = getDraft(session.db, input.draftId);
  const latest = draft.versions.at(-1);
  if (draft.kind !== 'patch' || !latest?.patch)
    throw new VzError(
      'DRAFT_KIND',
      `Draft #${draft.id} is a script draft: it reaches hosts through an approved push, not an export.`,
    );
  const live = session.db
    .prepare(
      `SELECT id FROM approvals WHERE draft_version_id = ? AND state = 'approved' AND expires_at > ?
       ORDER BY id DESC LIMIT 1`,
    )
    .pluck()
    .get(latest.id, new Date().toISOString()) as number | undefined;
  if (live === undefined)
    throw new VzError(
      'APPROVAL_INVALID',
      `Draft #${draft.id} version ${latest.version} has no live approval: mark it ready and approve it first.`,
    );
  const { patch } = verifiedApprovalOf(session.db, live);
  if (!patch) throw new VzError('DRAFT_KIND', `Approval #${live} is not for a patch.`);
  if (existsSync(input.path) && input.force !== true)
    throw new VzError(
      'EXPORT_EXISTS',
      `${input.path} exists; choose another file or replace it explicitly.`,
    );
  try {
    writeFileSync(input.path, patch.diff, { mode: 0o600 });
  } catch (error) {
    throw new VzError(
      'EXPORT_WRITE_FAILED',
      `Could not write ${input.path}: ${(error as Error).message}`,
    );
  }
  const result: PatchExport = {
    draftId: draft.id,
    version: latest.version,
    approvalId: live,
    path: input.path,
    file: patch.file,
    sha256: patchSha256(patch),
    bytes: Buffer.byteLength(patch.diff),
  };
  session.audit({
    action: 'draft.exportPatch',
    objectType: 'draft',
    objectId: draft.id,
    summary: {
      after: {
        version: result.version,
        approvalId: live,
        file: patch.file,
        out: input.path,
        sha256: result.sha256,
      },
    },
  });
  return result;
}
