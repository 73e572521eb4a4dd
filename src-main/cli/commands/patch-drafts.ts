/**
 * Patch drafts from the CLI: `drafts patch` writes a manifest patch for a dependency
 * finding, `drafts export-patch` writes an approved one to a .patch file. They are
 * reviewed, marked ready and approved like any draft (`drafts ready`, `approve VERSION`
 * with no --targets: a patch has no hosts).
 */
import { getDraft } from '../../drafts/store';
import { createPatchDraftFor } from '../../patches/patch-draft';
import { exportPatch } from '../../patches/patch-export';
import { UNLOCK_OPTIONS, int, positional, str } from '../args';
import { UsageError, type Command } from '../command';
import { printResult, withSession } from '../vault-access';
import { describeDraft, versionText } from './draft-text';

export const patchDraftCommands: Command[] = [
  {
    name: 'drafts patch',
    summary:
      'Draft a manifest patch (unified diff) that bumps dependencies to their fixed versions.',
    usage: '--finding ID --manifest FILE [--repo-path PATH]',
    options: {
      ...UNLOCK_OPTIONS,
      finding: { type: 'string' },
      manifest: { type: 'string' },
      'repo-path': { type: 'string' },
    },
    run: (run) => {
      const findingId = int(run.values['finding'], '--finding');
      const manifestPath = str(run.values['manifest']);
      if (!manifestPath)
        throw new UsageError(
          'drafts patch needs --manifest FILE (package.json, requirements*.txt or pom.xml)',
        );
      const repoPath = str(run.values['repo-path']);
      return withSession(run, async (session) => {
        const id = await createPatchDraftFor(session, {
          findingId,
          manifestPath,
          ...(repoPath ? { repoPath } : {}),
        });
        const draft = getDraft(session.db, id);
        const latest = draft.versions.at(-1);
        printResult(run, draft, `${describeDraft(draft)}\n${latest ? versionText(latest) : ''}`);
        return 0;
      });
    },
  },
  {
    name: 'drafts export-patch',
    summary: 'Write the approved patch of a patch draft to a file (never over one unless --force).',
    usage: 'ID --out FILE [--force]',
    options: {
      ...UNLOCK_OPTIONS,
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    run: (run) => {
      const draftId = int(positional(run, 0, 'ID', 'drafts export-patch'), 'ID');
      const out = str(run.values['out']);
      if (!out) throw new UsageError('drafts export-patch needs --out FILE');
      return withSession(run, (session) => {
        const result = exportPatch(session, {
          draftId,
          path: out,
          force: run.values['force'] === true,
        });
        printResult(
          run,
          result,
          `Wrote ${result.path} (${result.bytes} bytes): draft #${result.draftId} version ${result.version}, approval #${result.approvalId}, sha256 ${result.sha256}.\nApply it in the repository root: git apply ${result.path}`,
        );
        return 0;
      });
    },
  },
];
