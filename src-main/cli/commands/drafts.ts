import { createDraftFor } from '../../drafts/create';
import { llmGenerator } from '../../drafts/llm-draft';
import { addModel, listModels, removeModel } from '../../drafts/models';
import { getDraft, recheckDraft } from '../../drafts/store';
import { LlmRuntime } from '../../drafts/llm/runtime';
import { UsageError, type Command } from '../command';
import { describeDraft, latestPasses, lintMessages, versionText } from './draft-text';
import { UNLOCK_OPTIONS, YES_OPTION, int } from '../args';
import { printResult, requireYes, withSession } from '../vault-access';

const positiveInt = (value: unknown, what: string) => int(value, what);

/** `--max-chars N`: caps every text the model writes (each script, the notes, service names). */
function textLimits(n: number) {
  return { scriptChars: n, notesChars: n, serviceChars: Math.min(n, 64), services: 5 };
}

export const draftCommands: Command[] = [
  {
    name: 'models add',
    summary: 'Register a local GGUF model file (hash and metadata are recorded).',
    usage: 'PATH [--name NAME]',
    options: { ...UNLOCK_OPTIONS, name: { type: 'string' } },
    run: (run) => {
      const path = run.positionals[0];
      if (!path) throw new UsageError('models add needs the PATH of a .gguf file');
      const name = run.values['name'];
      return withSession(run, async (session) => {
        const model = await addModel(session, path, typeof name === 'string' ? name : undefined);
        printResult(
          run,
          model,
          [
            `Added model #${model.id} ${model.name} (${model.metadata.architecture ?? 'unknown architecture'}, ${model.size} bytes)`,
            `sha256 ${model.sha256}`,
            ...model.warnings.map((w) => `warning: ${w}`),
          ].join('\n'),
        );
        return 0;
      });
    },
  },
  {
    name: 'models list',
    summary: 'Registered local models.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const models = listModels(session.db);
        printResult(
          run,
          models,
          models.length
            ? models
                .map(
                  (m) =>
                    `${m.id}\t${m.name}\t${m.metadata.architecture ?? '?'}\t${m.sha256.slice(0, 16)}`,
                )
                .join('\n')
            : 'No models. Add one with: vulnzero models add PATH',
        );
        return 0;
      }),
  },
  {
    name: 'models remove',
    summary: 'Remove a model from the registry (the file stays where it is).',
    usage: 'ID --yes',
    options: { ...UNLOCK_OPTIONS, ...YES_OPTION },
    run: (run) => {
      const id = positiveInt(run.positionals[0], 'ID');
      requireYes(run, 'Removing a model');
      return withSession(run, (session) => {
        removeModel(session, id);
        printResult(run, { removed: id }, `Removed model #${id} from the registry.`);
        return 0;
      });
    },
  },
  {
    name: 'drafts create',
    summary: 'Draft a fix for a finding or a group (rules first; --engine llm uses a local model).',
    usage:
      '--finding ID | --group KEY [--engine rules|llm] [--model ID] [--threads N] [--max-tokens N] [--max-chars N]',
    options: {
      ...UNLOCK_OPTIONS,
      finding: { type: 'string' },
      group: { type: 'string' },
      engine: { type: 'string', default: 'rules' },
      model: { type: 'string' },
      threads: { type: 'string' },
      'max-tokens': { type: 'string' },
      'max-chars': { type: 'string' },
    },
    run: (run) => {
      const { finding, group, engine, model, threads } = run.values;
      const maxTokens = run.values['max-tokens'];
      const maxChars = run.values['max-chars'];
      if ((finding === undefined) === (group === undefined))
        throw new UsageError('drafts create needs exactly one of --finding ID or --group KEY');
      if (engine !== 'rules' && engine !== 'llm')
        throw new UsageError('--engine must be rules or llm');
      const modelId = model === undefined ? undefined : positiveInt(model, '--model');
      const runtime =
        engine === 'llm'
          ? new LlmRuntime(
              threads === undefined ? {} : { threads: positiveInt(threads, '--threads') },
            )
          : null;
      return withSession(run, async (session) => {
        try {
          const id = await createDraftFor(
            session,
            {
              ...(finding !== undefined ? { findingId: positiveInt(finding, '--finding') } : {}),
              ...(typeof group === 'string' ? { groupKey: group } : {}),
              engine,
            },
            runtime
              ? llmGenerator(runtime, session.db, modelId, {
                  ...(maxTokens === undefined
                    ? {}
                    : { maxTokens: positiveInt(maxTokens, '--max-tokens') }),
                  ...(maxChars === undefined
                    ? {}
                    : { limits: textLimits(positiveInt(maxChars, '--max-chars')) }),
                })
              : undefined,
          );
          const draft = getDraft(session.db, id);
          printResult(run, draft, describeDraft(draft));
          return 0;
        } finally {
          await runtime?.unload();
        }
      });
    },
  },
  {
    name: 'drafts show',
    summary: 'A draft with every version, its lint and policy results.',
    usage: 'ID',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const id = positiveInt(run.positionals[0], 'ID');
      return withSession(run, (session) => {
        const draft = getDraft(session.db, id);
        const latest = draft.versions.at(-1);
        printResult(run, draft, `${describeDraft(draft)}\n${latest ? versionText(latest) : ''}`);
        return 0;
      });
    },
  },
  {
    name: 'drafts lint',
    summary:
      'Run sh -n, shellcheck and the policy on the latest version; exit 1 when blocked or failing.',
    usage: 'ID',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const id = positiveInt(run.positionals[0], 'ID');
      return withSession(run, async (session) => {
        const draft = await recheckDraft(session, id);
        const latest = draft.versions.at(-1);
        printResult(
          run,
          { id, version: latest?.version, lint: latest?.lint, policy: latest?.policy },
          [describeDraft(draft), ...lintMessages(draft)].join('\n'),
        );
        return latestPasses(draft) ? 0 : 1;
      });
    },
  },
];
