/**
 * The Approvals screen's list and decisions in the CLI: list (by state or draft), show
 * one, revoke (confirmed, with a reason), reject a draft version (with a comment; the
 * draft goes back to draft). `vulnzero approve` (push.ts) grants them. The core checks
 * the approver/admin role and writes approval.revoke / approval.reject.
 */
import { contract } from '../../../src-preload/contract';
import {
  getApproval,
  listApprovals,
  reject,
  revoke,
  type ApprovalInfo,
} from '../../push/approvals';
import { UNLOCK_OPTIONS, YES_OPTION, choice, int, optionalInt, positional, str } from '../args';
import { UsageError, type Command } from '../command';
import { contractInput } from '../contract-input';
import { printResult, requireYes, withSession } from '../vault-access';

const APPROVAL_STATES = ['approved', 'rejected', 'revoked', 'voided', 'expired'] as const;

function line(a: ApprovalInfo): string {
  return `${a.id}\t${a.state}\tdraft #${a.draftId} v${a.version}\t${a.targets.map((t) => t.name).join(',') || '-'}\t${a.approver}\texpires ${a.expiresAt}${a.stateReason ? `\t${a.stateReason}` : ''}`;
}

function details(a: ApprovalInfo): string {
  return [
    `Approval #${a.id}: ${a.state}${a.stateReason ? ` (${a.stateReason})` : ''}`,
    `draft #${a.draftId} version ${a.version} (version id ${a.draftVersionId})`,
    `sha256 ${a.sha256 || '-'}`,
    `targets: ${a.targets.map((t) => `${t.name} ${t.username}@${t.address}:${t.port} ${t.sudoMode}`).join(', ') || '-'}`,
    `options: wave ${a.options.wavePercent} %, concurrency ${a.options.concurrency}, step timeout ${a.options.stepTimeoutSec} s, max fail ${a.options.maxFailPercent} %`,
    `by ${a.approver} at ${a.approvedAt}, expires ${a.expiresAt}${a.comment ? `\ncomment: ${a.comment}` : ''}`,
  ].join('\n');
}

export const approvalCommands: Command[] = [
  {
    name: 'approvals list',
    summary: 'Approvals and rejections, newest first (expired ones show as expired).',
    usage: `[--state ${APPROVAL_STATES.join('|')}] [--draft ID]`,
    options: { ...UNLOCK_OPTIONS, state: { type: 'string' }, draft: { type: 'string' } },
    run: (run) => {
      const state = choice(run.values['state'], '--state', APPROVAL_STATES);
      const draft = optionalInt(run.values['draft'], '--draft');
      return withSession(run, (session) => {
        const approvals = listApprovals(session.db).filter(
          (a) => (!state || a.state === state) && (draft === undefined || a.draftId === draft),
        );
        printResult(run, approvals, approvals.map(line).join('\n') || 'No approvals.');
        return 0;
      });
    },
  },
  {
    name: 'approvals show',
    summary: 'One approval: what it binds (hash, version, targets, options) and its state.',
    usage: 'ID',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const id = int(positional(run, 0, 'an approval ID', 'approvals show'), 'ID');
      return withSession(run, (session) => {
        const approval = getApproval(session.db, id);
        printResult(run, approval, details(approval));
        return 0;
      });
    },
  },
  {
    name: 'approvals revoke',
    summary: 'Revoke a live approval (approver/admin): it can no longer be pushed.',
    usage: 'ID --reason TEXT --yes',
    options: { ...UNLOCK_OPTIONS, ...YES_OPTION, reason: { type: 'string' } },
    run: (run) => {
      const id = int(positional(run, 0, 'an approval ID', 'approvals revoke'), 'ID');
      const reason = str(run.values['reason']);
      if (!reason?.trim()) throw new UsageError('approvals revoke needs --reason TEXT');
      const input = contractInput(contract.approvals.revoke.input, {
        id,
        reason,
        confirm: true,
      });
      requireYes(run, 'Revoking an approval');
      return withSession(run, (session) => {
        revoke(session, input.id, input.reason);
        const approval = getApproval(session.db, id);
        printResult(run, approval, `Revoked approval #${id}: ${input.reason}`);
        return 0;
      });
    },
  },
  {
    name: 'approvals reject',
    summary:
      'Reject a draft version with a comment (approver/admin); the draft goes back to draft.',
    usage: 'DRAFT_VERSION --comment TEXT',
    options: { ...UNLOCK_OPTIONS, comment: { type: 'string' } },
    run: (run) => {
      const version = int(
        positional(
          run,
          0,
          'a DRAFT_VERSION id (drafts show ID --json → versions[].id)',
          'approvals reject',
        ),
        'DRAFT_VERSION',
      );
      const comment = str(run.values['comment']);
      if (!comment?.trim()) throw new UsageError('approvals reject needs --comment TEXT');
      const input = contractInput(contract.approvals.reject.input, {
        draftVersionId: version,
        comment,
      });
      return withSession(run, (session) => {
        reject(session, input.draftVersionId, input.comment);
        printResult(
          run,
          { rejected: true, draftVersionId: version, comment: input.comment },
          `Rejected draft version #${version}: ${input.comment}`,
        );
        return 0;
      });
    },
  },
];
