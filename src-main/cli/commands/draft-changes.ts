/**
 * The Drafts screen's state changes in the CLI: list, edit a step (a new version, linted
 * and policy-checked), mark ready, back to draft, archive, the admin policy. Each calls
 * the core function the drafts.* channel calls; the core checks roles and writes the
 * audit entry (draft.edit, draft.state, settings.set).
 */
import { contract } from '../../../src-preload/contract';
import {
  DRAFT_STATES,
  STEPS,
  type DraftContent,
  type Step,
} from '../../../src-preload/drafts-schemas';
import { ruleGroups } from '../../drafts/create';
import { policyView, setPolicy } from '../../drafts/policy';
import {
  contentSha256,
  editDraft,
  getDraft,
  listDrafts,
  scriptsOf,
  setDraftState,
  type DraftDetail,
} from '../../drafts/store';
import { VzError } from '../../core/errors';
import { UNLOCK_OPTIONS, YES_OPTION, choice, int, positional, str } from '../args';
import { UsageError, type Command, type CommandRun } from '../command';
import { contractInput } from '../contract-input';
import { printResult, requireYes, withSession } from '../vault-access';
import { describeDraft, latestPasses, lintMessages } from './draft-text';

function draftId(run: CommandRun, command: string): number {
  return int(positional(run, 0, 'a draft ID', command), 'ID');
}

/** Prints the draft after a state change and returns 0. */
function stateCommand(
  name: string,
  state: 'ready' | 'draft' | 'archived',
  summary: string,
  confirm?: string,
): Command {
  return {
    name,
    summary,
    usage: confirm ? 'ID --yes' : 'ID',
    options: confirm ? { ...UNLOCK_OPTIONS, ...YES_OPTION } : UNLOCK_OPTIONS,
    run: (run) => {
      const id = draftId(run, name);
      if (confirm) requireYes(run, confirm);
      return withSession(run, (session) => {
        const draft = setDraftState(session, id, state);
        printResult(run, draft, describeDraft(draft));
        return 0;
      });
    },
  };
}

/** `yes`/`no` (also true/false) for --reboot. */
function yesNo(value: unknown, what: string): boolean | undefined {
  if (value === undefined) return undefined;
  if (value === 'yes' || value === 'true') return true;
  if (value === 'no' || value === 'false') return false;
  throw new UsageError(`${what} must be yes or no`);
}

/** The latest version's content with the flags' changes applied. */
async function editedContent(run: CommandRun, latest: DraftContent): Promise<DraftContent> {
  const steps = ((run.values['step'] as string[] | undefined) ?? []).map(
    (s) => choice(s, '--step', STEPS) as Step,
  );
  const files = (run.values['file'] as string[] | undefined) ?? [];
  if (steps.length !== files.length)
    throw new UsageError('--step NAME and --file F go together, one --file per --step');
  if (new Set(steps).size !== steps.length) throw new UsageError('each --step may appear once');
  const scripts: Partial<Record<Step, string>> = {};
  for (const [i, step] of steps.entries())
    scripts[step] = await run.io.readFile(files[i] as string);
  const risk = choice(run.values['risk'], '--risk', ['low', 'medium', 'high'] as const);
  const reboot = yesNo(run.values['reboot'], '--reboot');
  const services = str(run.values['services']);
  const notesFile = str(run.values['notes-file']);
  return {
    ...latest,
    ...scripts,
    metadata: {
      ...latest.metadata,
      ...(risk ? { risk } : {}),
      ...(reboot !== undefined ? { rebootNeeded: reboot } : {}),
      ...(services !== undefined
        ? {
            servicesToRestart: services
              .split(',')
              .map((s) => s.trim())
              .filter(Boolean),
          }
        : {}),
      ...(notesFile ? { notes: (await run.io.readFile(notesFile)).replace(/\r?\n$/, '') } : {}),
    },
  };
}

const EDIT_FLAGS = ['step', 'file', 'risk', 'reboot', 'services', 'notes-file'] as const;

export const draftChangeCommands: Command[] = [
  {
    name: 'drafts list',
    summary: 'Drafts, newest first, optionally by state.',
    usage: `[--state ${DRAFT_STATES.join('|')}]`,
    options: { ...UNLOCK_OPTIONS, state: { type: 'string' } },
    run: (run) => {
      const state = choice(run.values['state'], '--state', DRAFT_STATES);
      return withSession(run, (session) => {
        const drafts = listDrafts(session.db, state);
        printResult(
          run,
          drafts,
          drafts
            .map(
              (d) =>
                `${d.id}\t${d.state}\tv${d.latestVersion}\t${d.engine}\t${d.findings} finding(s)\t${d.title}`,
            )
            .join('\n') || 'No drafts.',
        );
        return 0;
      });
    },
  },
  {
    name: 'drafts groups',
    summary: 'Groups of open findings a rule can fix (the KEY for drafts create --group).',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const groups = ruleGroups(session.db).map((g) => ({
          groupKey: g.groupKey,
          title: g.title,
          findings: g.findingIds.length,
          hosts: g.hosts,
        }));
        printResult(
          run,
          groups,
          groups
            .map((g) => `${g.groupKey}\t${g.findings} finding(s)\t${g.hosts} host(s)\t${g.title}`)
            .join('\n') || 'No open findings a rule can fix.',
        );
        return 0;
      }),
  },
  {
    name: 'drafts edit',
    summary: 'Save a new version with steps and/or metadata replaced (linted and policy-checked).',
    details:
      "Each --step NAME --file F replaces that step's script (several pairs allowed); the other steps and the metadata are kept unless --risk, --reboot, --services or --notes-file change them. A ready draft goes back to draft and its live approvals are voided. Exit 1 when the new version is blocked by policy or fails lint (it is saved, but cannot be marked ready).",
    usage:
      'ID [--step precheck|apply|verify|rollback --file F]... [--risk low|medium|high] [--reboot yes|no] [--services A,B] [--notes-file F] [--note TEXT]',
    options: {
      ...UNLOCK_OPTIONS,
      step: { type: 'string', multiple: true },
      file: { type: 'string', multiple: true },
      risk: { type: 'string' },
      reboot: { type: 'string' },
      services: { type: 'string' },
      'notes-file': { type: 'string' },
      note: { type: 'string' },
    },
    run: (run) => {
      const id = draftId(run, 'drafts edit');
      if (!EDIT_FLAGS.some((f) => run.values[f] !== undefined))
        throw new UsageError(
          'drafts edit needs a change: --step NAME --file F, --risk, --reboot, --services or --notes-file',
        );
      const note = str(run.values['note']);
      return withSession(run, async (session) => {
        const before = getDraft(session.db, id);
        const latest = before.versions.at(-1);
        if (!latest) throw new VzError('NOT_FOUND', `Draft #${id} has no version.`);
        const input = contractInput(contract.drafts.edit.input, {
          id,
          content: await editedContent(run, scriptsOf(latest)),
          ...(note ? { note } : {}),
        });
        if (contentSha256(input.content) === latest.sha256)
          throw new VzError(
            'INVALID_INPUT',
            `Draft #${id} version ${latest.version} already has this content; nothing saved.`,
          );
        await editDraft(session, id, {
          content: input.content,
          engine: 'manual',
          ...(input.note ? { note: input.note } : {}),
        });
        const draft: DraftDetail = getDraft(session.db, id);
        printResult(run, draft, [describeDraft(draft), ...lintMessages(draft)].join('\n'));
        if (latestPasses(draft)) return 0;
        run.io.stderr(
          `Saved as version ${draft.latestVersion}, but it ${draft.state === 'blocked' ? 'is blocked by policy' : 'fails lint'}: it cannot be marked ready.\n`,
        );
        return 1;
      });
    },
  },
  stateCommand(
    'drafts ready',
    'ready',
    'Mark a draft ready for approval (refused when blocked by policy or failing lint).',
  ),
  stateCommand(
    'drafts unready',
    'draft',
    'Move a ready draft back to draft (voids its live approvals).',
  ),
  stateCommand(
    'drafts archive',
    'archived',
    'Archive a draft: no more edits, ready or approvals (voids its live approvals).',
    'Archiving a draft',
  ),
  {
    name: 'drafts policy show',
    summary: 'The draft policy: built-in rules, what the admin disabled or added, air-gapped mode.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const view = policyView(session.db);
        printResult(
          run,
          view,
          [
            `air-gapped mode: ${view.airGapped ? 'on' : 'off'}`,
            ...view.builtinRules.map(
              (r) =>
                `${view.disabledRules.includes(r.name) ? 'off' : 'on '}  ${r.name}${r.airGappedOnly ? ' (air-gapped)' : ''}: ${r.reason}`,
            ),
            ...view.extraRules.map((r) => `own  ${r.name} /${r.pattern}/: ${r.reason}`),
          ].join('\n'),
        );
        return 0;
      }),
  },
  {
    name: 'drafts policy set',
    summary: 'Change the draft policy (admin) from a JSON file.',
    details:
      'FILE holds { "airGapped": true, "disabledRules": ["NAME"...], "extraRules": [{ "name", "pattern", "reason" }...] } (names from drafts policy show). Drafts are checked against it when next edited or linted.',
    usage: 'FILE',
    options: UNLOCK_OPTIONS,
    run: async (run) => {
      const file = positional(run, 0, 'a JSON FILE', 'drafts policy set');
      let json: unknown;
      try {
        json = JSON.parse(await run.io.readFile(file));
      } catch {
        throw new UsageError(`${file} is not valid JSON`);
      }
      const input = contractInput(contract.drafts.setPolicy.input, json);
      return withSession(run, (session) => {
        const saved = setPolicy(session, input);
        printResult(
          run,
          saved,
          'Draft policy saved. Drafts are checked against it when next edited or linted (vulnzero drafts lint ID).',
        );
        return 0;
      });
    },
  },
];
