/**
 * `vulnzero findings decide`: the Findings screen's decision dialog in the CLI. The
 * action, ids and options become exactly the findings.decide channel's input (validated
 * with its schema) and go to the same core `decide()`, which checks the role, the reason,
 * the expiry (future, at most 732 days) and which statuses each action applies to, and
 * writes one audit entry for the whole call.
 */
import { contract, triageFilter, type TriageFilter } from '../../../src-preload/contract';
import { decide, type DecideInput } from '../../triage/decisions';
import { findingIdsMatching } from '../../triage/matching-ids';
import { UNLOCK_OPTIONS, YES_OPTION, idList, str } from '../args';
import { UsageError, type Command } from '../command';
import { contractInput } from '../contract-input';
import { printResult, requireYes, withSession } from '../vault-access';

/** CLI action words → the channel's actions. */
const ACTIONS = {
  accept: 'accept',
  'false-positive': 'false_positive',
  reopen: 'reopen',
  assign: 'assign',
  tag: 'tag',
  untag: 'untag',
} as const satisfies Record<string, DecideInput['action']>;
type CliAction = keyof typeof ACTIONS;

/** The channel's limit on ids per call. */
const MAX_IDS = 10_000;

/** A findings filter given as JSON on the command line, checked with the contract schema. */
export function parseFilter(text: string): TriageFilter {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new UsageError('--filter must be a JSON object, e.g. {"cve":"CVE-2024-3094"}');
  }
  return contractInput(triageFilter, json);
}

export const findingsDecideCommand: Command = {
  name: 'findings decide',
  summary:
    'Risk decision on findings by id and/or filter: accept, false-positive, reopen, assign, tag.',
  details: [
    'The same rules as the Findings screen (docs/triage.md):',
    '  accept          approver or admin; --reason and --expires YYYY-MM-DD (future, at most 732 days; lasts to the end of that day, UTC); applies to open, not seen, accepted',
    '  false-positive  --reason; applies to open, not seen, accepted',
    '  reopen          applies to accepted, false positive, fixed, fixed (verified), not seen',
    '  assign          --owner NAME (--owner "" clears); all findings',
    '  tag, untag      --tag TAG (letters, digits, . : _ -); all findings',
    'Findings an action does not apply to are skipped and counted. IDs and --filter (a findings filter as JSON, e.g. {"cve":"CVE-2024-3094","status":["open"]}; at most 10,000 matches) combine. One audit entry per call.',
  ].join('\n'),
  usage:
    'accept|false-positive|reopen|assign|tag|untag [ID...] [--filter JSON] [--reason TEXT] [--expires YYYY-MM-DD] [--owner NAME] [--tag TAG] --yes',
  options: {
    ...UNLOCK_OPTIONS,
    ...YES_OPTION,
    filter: { type: 'string' },
    reason: { type: 'string' },
    expires: { type: 'string' },
    owner: { type: 'string' },
    tag: { type: 'string' },
  },
  run: (run) => {
    const [word, ...rest] = run.positionals;
    if (!word || !(word in ACTIONS))
      throw new UsageError(
        `findings decide needs an action: ${Object.keys(ACTIONS).join(', ')} (see vulnzero findings decide --help)`,
      );
    const action = ACTIONS[word as CliAction];
    const ids = idList(rest, 'a finding ID');
    const filterText = str(run.values['filter']);
    const filter = filterText === undefined ? undefined : parseFilter(filterText);
    if (!ids.length && !filter)
      throw new UsageError('findings decide needs finding IDs and/or --filter JSON');
    const reason = str(run.values['reason']);
    const expiresOn = str(run.values['expires']);
    const owner = str(run.values['owner']);
    const tag = str(run.values['tag']);
    requireYes(run, `A risk decision (${word})`);
    return withSession(run, (session) => {
      const matched = filter ? findingIdsMatching(session.db, filter, MAX_IDS) : [];
      const all = [...new Set([...ids, ...matched])];
      if (!all.length) {
        printResult(
          run,
          { action, updated: 0, skipped: 0, changes: [] },
          'No finding matches the filter; nothing decided.',
        );
        return 0;
      }
      const input = contractInput(contract.findings.decide.input, {
        ids: all,
        action,
        ...(reason !== undefined ? { reason } : {}),
        ...(expiresOn !== undefined ? { expiresOn } : {}),
        ...(owner !== undefined ? { owner } : {}),
        ...(tag !== undefined ? { tag } : {}),
        confirm: true,
      });
      const { updated, skipped, changes } = decide(session, input);
      printResult(
        run,
        { action, updated, skipped, changes },
        [
          `${word}: ${updated} updated, ${skipped} skipped`,
          ...changes.map((c) => `  #${c.id}\t${c.before ?? '-'} → ${c.after ?? '-'}`),
        ].join('\n'),
      );
      return 0;
    });
  },
};
