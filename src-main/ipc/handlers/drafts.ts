import { policyView, setPolicy } from '../../drafts/policy';
import { createDraftFor, ruleGroups } from '../../drafts/create';
import { diffDrafts } from '../../drafts/diff';
import {
  editDraft,
  getDraft,
  listDrafts,
  recheckDraft,
  scriptsOf,
  setDraftState,
} from '../../drafts/store';
import { addModel, listModels, removeModel } from '../../drafts/models';
import { llmGeneratorFor } from '../../drafts/llm-draft';
import { VzError } from '../../core/errors';
import { createPatchDraftFor } from '../../patches/patch-draft';
import { exportPatch } from '../../patches/patch-export';
import type { Handlers } from '../router';

export const draftsHandlers: Handlers['drafts'] = {
  list: ({ state }, { vault }) => listDrafts(vault.session().db, state),
  get: ({ id }, { vault }) => getDraft(vault.session().db, id),
  groups: (_input, { vault }) =>
    ruleGroups(vault.session().db).map((g) => ({
      groupKey: g.groupKey,
      title: g.title,
      findings: g.findingIds.length,
      hosts: g.hosts,
    })),
  create: (input, ctx) => {
    const session = ctx.vault.session();
    const { jobId, done } = ctx.jobs.start(
      'drafts.create',
      (controls) =>
        createDraftFor(
          session,
          {
            ...(input.findingId !== undefined ? { findingId: input.findingId } : {}),
            ...(input.groupKey !== undefined ? { groupKey: input.groupKey } : {}),
            engine: input.engine,
          },
          input.engine === 'llm'
            ? llmGeneratorFor(ctx, session, input.modelId, controls)
            : undefined,
        ),
      (draftId) => draftId,
    );
    done.catch(() => undefined);
    return { jobId };
  },
  createPatch: async ({ findingId, manifestPath, repoPath }, { vault }) => {
    const session = vault.session();
    const id = await createPatchDraftFor(session, {
      findingId,
      manifestPath,
      ...(repoPath ? { repoPath } : {}),
    });
    return getDraft(session.db, id);
  },
  exportPatch: ({ id, path, replace }, { vault }) =>
    exportPatch(vault.session(), { draftId: id, path, force: replace === true }),
  chooseExportPath: async ({ id }, { runtime }) =>
    runtime.chooseSavePath
      ? { available: true, path: await runtime.chooseSavePath(`draft-${id}.patch`) }
      : { available: false, path: null },
  edit: async ({ id, content, note }, { vault }) => {
    const session = vault.session();
    await editDraft(session, id, { content, engine: 'manual', ...(note ? { note } : {}) });
    return getDraft(session.db, id);
  },
  setState: ({ id, state }, { vault }) => setDraftState(vault.session(), id, state),
  recheck: ({ id }, { vault }) => recheckDraft(vault.session(), id),
  diff: ({ id, from, to }, { vault }) => {
    const draft = getDraft(vault.session().db, id);
    const a = draft.versions.find((v) => v.version === from);
    const b = draft.versions.find((v) => v.version === to);
    if (!a || !b) throw new VzError('NOT_FOUND', `Draft #${id} has no version ${a ? to : from}.`);
    return diffDrafts(scriptsOf(a), scriptsOf(b));
  },
  policy: (_input, { vault }) => policyView(vault.session().db),
  setPolicy: (input, { vault }) => {
    setPolicy(vault.session(), input);
    return { saved: true as const };
  },
};

export const modelsHandlers: Handlers['models'] = {
  list: (_input, { vault }) => listModels(vault.session().db),
  add: ({ path, name }, { vault }) => addModel(vault.session(), path, name),
  remove: ({ id }, { vault }) => {
    removeModel(vault.session(), id);
    return { removed: true as const };
  },
};
