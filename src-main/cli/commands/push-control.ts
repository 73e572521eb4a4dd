/**
 * The Push screen's run controls in the CLI: history, resume a paused or interrupted
 * run, roll one host back, abandon a run, and — because the CLI has no single-instance
 * lock — declare a run whose process died interrupted. Each calls the core function the
 * push.* channel calls (same roles, rules and audit entries: push.requeue, push.done|
 * failed|paused…, push.rollback_host, push.abandon, push.interrupted).
 */
import { contract } from '../../../src-preload/contract';
import { sshConnector } from '../../push/connector';
import { abandonRun, continuePush, pushStatus, rollbackHost } from '../../push/engine';
import { hostByName } from '../../push/hosts';
import { markRunInterrupted, prepareResume } from '../../push/resume';
import { listRuns } from '../../push/runs';
import { UNLOCK_OPTIONS, YES_OPTION, int, positional, str } from '../args';
import { UsageError, type Command, type CommandRun } from '../command';
import { contractInput } from '../contract-input';
import { printResult, requireYes, withSession } from '../vault-access';
import { progressPrinter, runText, withSigint } from './push-output';

function runId(run: CommandRun, command: string): number {
  return int(positional(run, 0, 'a RUN id (vulnzero push list)', command), 'RUN');
}

export const pushControlCommands: Command[] = [
  {
    name: 'push list',
    summary: 'Push runs, newest first.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const runs = listRuns(session.db);
        printResult(
          run,
          runs,
          runs
            .map(
              (r) =>
                `${r.id}\t${r.state}\tapproval #${r.approvalId}\t${r.startedBy}\t${r.startedAt}`,
            )
            .join('\n') || 'No push runs.',
        );
        return 0;
      }),
  },
  {
    name: 'push resume',
    summary: 'Resume a paused or interrupted run; exit 1 unless it ends done.',
    details:
      'Interrupted and cancelled hosts start again from precheck (which tells whether apply completed), then the remaining waves run. Refused while the run is running, after it was abandoned, or when its approval no longer verifies.',
    usage: 'RUN',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const id = runId(run, 'push resume');
      return withSession(run, (session) => {
        const hosts = prepareResume(session, id);
        if (!run.global.json) run.io.stderr(`Resuming run #${id}: ${hosts} host(s) to run.\n`);
        return withSigint(async (signal) => {
          const result = await continuePush(
            session,
            id,
            sshConnector(session.db),
            { signal, progress: () => undefined },
            progressPrinter(run),
          );
          const status = pushStatus(session.db, id);
          printResult(run, status, runText(status));
          return result.state === 'done' ? 0 : 1;
        });
      });
    },
  },
  {
    name: 'push rollback',
    summary: 'Roll one host of a run back (approver/admin); exit 1 unless it ends rolled_back.',
    details:
      'Runs the approved rollback script on the host, then the precheck to verify it. Only for a host that is verified, already_fixed, failed, interrupted, rollback_failed or cancelled, in a run that is not running, whose approval still verifies.',
    usage: 'RUN --host NAME',
    options: { ...UNLOCK_OPTIONS, host: { type: 'string' } },
    run: (run) => {
      const id = runId(run, 'push rollback');
      const name = str(run.values['host']);
      if (!name) throw new UsageError('push rollback needs --host NAME');
      return withSession(run, (session) => {
        const host = hostByName(session.db, name);
        const input = contractInput(contract.push.rollbackHost.input, {
          runId: id,
          hostId: host.id,
          confirm: true,
        });
        return withSigint(async (signal) => {
          const state = await rollbackHost(
            session,
            input.runId,
            input.hostId,
            sshConnector(session.db),
            signal,
            progressPrinter(run),
          );
          const status = pushStatus(session.db, id);
          printResult(run, status, runText(status));
          return state === 'rolled_back' ? 0 : 1;
        });
      });
    },
  },
  {
    name: 'push abandon',
    summary: 'Close a paused or interrupted run; its pending hosts are cancelled.',
    usage: 'RUN --reason TEXT --yes',
    options: { ...UNLOCK_OPTIONS, ...YES_OPTION, reason: { type: 'string' } },
    run: (run) => {
      const id = runId(run, 'push abandon');
      const reason = str(run.values['reason']);
      if (!reason?.trim()) throw new UsageError('push abandon needs --reason TEXT');
      const input = contractInput(contract.push.abandon.input, {
        runId: id,
        reason,
        confirm: true,
      });
      requireYes(run, 'Abandoning a run');
      return withSession(run, (session) => {
        abandonRun(session, input.runId, input.reason);
        const status = pushStatus(session.db, id);
        printResult(run, status, runText(status));
        return 0;
      });
    },
  },
  {
    name: 'push mark-interrupted',
    summary: 'Declare a run whose process died interrupted, so it can be resumed or abandoned.',
    details:
      'For a run that still says running after the process running it was killed or the machine restarted: the run and its running hosts and steps become interrupted, as the app does at unlock. The CLI cannot tell a dead run from one another process is running: never use it on a live run.',
    usage: 'RUN --yes',
    options: { ...UNLOCK_OPTIONS, ...YES_OPTION },
    run: (run) => {
      const id = runId(run, 'push mark-interrupted');
      requireYes(run, 'Declaring a run interrupted');
      return withSession(run, (session) => {
        markRunInterrupted(session, id);
        const status = pushStatus(session.db, id);
        printResult(run, status, runText(status));
        return 0;
      });
    },
  },
];
