import { approve, getApproval, isPatchVersion } from '../../push/approvals';
import { sshConnector, presentedHostKey } from '../../push/connector';
import { pushStatus, startPush } from '../../push/engine';
import {
  addHost,
  hostByName,
  importKnownHosts,
  listHosts,
  pinHostKey,
  setGroup,
  setHost,
} from '../../push/hosts';
import { exportApproval } from '../../push/export';
import { UNLOCK_OPTIONS, int, optionalInt, str } from '../args';
import { UsageError, type Command } from '../command';
import { printResult, withSession } from '../vault-access';
import { CREDENTIAL_OPTIONS, credentialFrom } from './host-credential';
import { progressPrinter, runText, withSigint } from './push-output';

const HOST_OPTIONS = {
  ...CREDENTIAL_OPTIONS,
  address: { type: 'string' },
  port: { type: 'string' },
  user: { type: 'string' },
  sudo: { type: 'string' },
  group: { type: 'string' },
  jump: { type: 'string' },
} as const;

export const pushCommands: Command[] = [
  {
    name: 'hosts list',
    summary: 'Push targets with their pinned host keys.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const hosts = listHosts(session.db);
        printResult(
          run,
          hosts,
          hosts.length
            ? hosts
                .map(
                  (h) =>
                    `${h.name}\t${h.username}@${h.address}:${h.port}\t${h.sudoMode}\t${h.hostKeys.map((k) => k.fingerprint).join(',') || 'NOT PINNED'}`,
                )
                .join('\n')
            : 'No hosts. Add one with: vulnzero hosts add NAME --address A --user U',
        );
        return 0;
      }),
  },
  {
    name: 'hosts add',
    summary: 'Add a push target.',
    usage:
      'NAME --address ADDR --user USER [--key FILE | --password-file FILE | --credential NAME] [--port N] [--sudo none|sudo-n] [--group G] [--jump HOST]',
    options: { ...UNLOCK_OPTIONS, ...HOST_OPTIONS },
    run: (run) => {
      const name = run.positionals[0];
      const address = str(run.values['address']);
      const user = str(run.values['user']);
      if (!name || !address || !user)
        throw new UsageError('hosts add needs NAME, --address and --user');
      const sudo = str(run.values['sudo']);
      if (sudo !== undefined && sudo !== 'none' && sudo !== 'sudo-n')
        throw new UsageError('--sudo must be none or sudo-n');
      return withSession(run, async (session) => {
        const jump = str(run.values['jump']);
        const port = optionalInt(run.values['port'], '--port', 1, 65535);
        const group = str(run.values['group']);
        const credentialId = await credentialFrom(run, session, name);
        const id = addHost(session, {
          ...(credentialId ? { credentialId } : {}),
          name,
          address,
          username: user,
          ...(port ? { port } : {}),
          ...(sudo ? { sudoMode: sudo } : {}),
          ...(group ? { groupName: group } : {}),
          ...(jump ? { jumpHostId: hostByName(session.db, jump).id } : {}),
        });
        const host = listHosts(session.db).find((h) => h.id === id);
        printResult(
          run,
          host,
          `Added host ${name} (#${id}). Pin its key: vulnzero hosts pin ${name}`,
        );
        return 0;
      });
    },
  },
  {
    name: 'hosts set',
    summary: 'Change a host (voids the approvals that target it).',
    usage:
      'NAME|@GROUP [--address A] [--user U] [--key FILE | --password-file FILE | --credential NAME] [--port N] [--sudo none|sudo-n] [--group G] [--jump HOST]',
    options: { ...UNLOCK_OPTIONS, ...HOST_OPTIONS },
    run: (run) => {
      const name = run.positionals[0];
      if (!name) throw new UsageError('hosts set needs NAME');
      return withSession(run, async (session) => {
        // `@GROUP` applies the change to every host of the group.
        const targetGroup = name.startsWith('@') ? name.slice(1) : null;
        const credentialId = await credentialFrom(run, session, name.replace(/^@/, 'group-'));
        if (targetGroup !== null) {
          const port = optionalInt(run.values['port'], '--port', 1, 65535);
          const user = str(run.values['user']);
          const sudo = str(run.values['sudo']);
          if (sudo !== undefined && sudo !== 'none' && sudo !== 'sudo-n')
            throw new UsageError('--sudo must be none or sudo-n');
          const jump = str(run.values['jump']);
          const ids = setGroup(session, targetGroup, {
            ...(credentialId ? { credentialId } : {}),
            ...(user ? { username: user } : {}),
            ...(port ? { port } : {}),
            ...(sudo ? { sudoMode: sudo } : {}),
            ...(jump ? { jumpHostId: hostByName(session.db, jump).id } : {}),
          });
          printResult(
            run,
            listHosts(session.db).filter((h) => ids.includes(h.id)),
            `Updated ${ids.length} host(s) of group ${targetGroup}.`,
          );
          return 0;
        }
        const host = hostByName(session.db, name);
        const sudo = str(run.values['sudo']);
        if (sudo !== undefined && sudo !== 'none' && sudo !== 'sudo-n')
          throw new UsageError('--sudo must be none or sudo-n');
        const jump = str(run.values['jump']);
        const port = optionalInt(run.values['port'], '--port', 1, 65535);
        const address = str(run.values['address']);
        const user = str(run.values['user']);
        const group = str(run.values['group']);
        setHost(session, host.id, {
          ...(credentialId ? { credentialId } : {}),
          ...(address ? { address } : {}),
          ...(user ? { username: user } : {}),
          ...(port ? { port } : {}),
          ...(sudo ? { sudoMode: sudo } : {}),
          ...(group ? { groupName: group } : {}),
          ...(jump ? { jumpHostId: hostByName(session.db, jump).id } : {}),
        });
        printResult(
          run,
          listHosts(session.db).find((h) => h.id === host.id),
          `Updated ${name}.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'hosts pin',
    summary: "Show a host's SSH key fingerprint; with --fingerprint (checked out of band) pin it.",
    usage: 'NAME [--fingerprint SHA256:...]',
    options: { ...UNLOCK_OPTIONS, fingerprint: { type: 'string' } },
    run: (run) => {
      const name = run.positionals[0];
      if (!name) throw new UsageError('hosts pin needs NAME');
      return withSession(run, async (session) => {
        const host = hostByName(session.db, name);
        const key = await presentedHostKey(session.db, host);
        const expected = str(run.values['fingerprint']);
        if (!expected) {
          printResult(
            run,
            { host: name, ...key, pinned: false },
            `${name} presents ${key.algorithm} ${key.fingerprint}\nCheck it out of band, then: vulnzero hosts pin ${name} --fingerprint ${key.fingerprint}`,
          );
          return 1;
        }
        if (expected !== key.fingerprint) {
          run.io.stderr(`${name} presents ${key.fingerprint}, not ${expected}: NOT pinned.\n`);
          return 1;
        }
        pinHostKey(session, host.id, key, 'operator');
        printResult(
          run,
          { host: name, ...key, pinned: true },
          `Pinned ${key.algorithm} ${key.fingerprint} for ${name}.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'hosts import-known-hosts',
    summary: 'Pin the keys an OpenSSH known_hosts file lists for registered hosts.',
    usage: 'FILE',
    options: UNLOCK_OPTIONS,
    run: async (run) => {
      const file = run.positionals[0];
      if (!file) throw new UsageError('hosts import-known-hosts needs FILE');
      const text = await run.io.readFile(file);
      return withSession(run, (session) => {
        const result = importKnownHosts(session, text);
        printResult(
          run,
          result,
          `Pinned ${result.pinned} key(s) for ${result.hosts.length} host(s); no entry for: ${result.skipped.join(', ') || 'none'}.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'approve',
    summary:
      'Approve a draft version (approver/admin): binds scripts, targets and options; a manifest patch takes no --targets.',
    usage:
      'DRAFT_VERSION [--targets HOST[,HOST...]] [--wave-percent N] [--concurrency N] [--step-timeout S] [--max-fail-percent N] [--expires-hours H] [--comment TEXT]',
    options: {
      ...UNLOCK_OPTIONS,
      targets: { type: 'string' },
      'wave-percent': { type: 'string' },
      concurrency: { type: 'string' },
      'step-timeout': { type: 'string' },
      'max-fail-percent': { type: 'string' },
      'expires-hours': { type: 'string' },
      comment: { type: 'string' },
    },
    run: (run) => {
      const version = int(run.positionals[0], 'DRAFT_VERSION');
      const targets = str(run.values['targets']);
      return withSession(run, (session) => {
        const patch = isPatchVersion(session.db, version);
        if (!targets && !patch) throw new UsageError('approve needs --targets HOST[,HOST...]');
        const hostIds = targets
          ? targets.split(',').map((n) => hostByName(session.db, n.trim()).id)
          : [];
        const wave = optionalInt(run.values['wave-percent'], '--wave-percent', 1, 100);
        const conc = optionalInt(run.values['concurrency'], '--concurrency', 1, 100);
        const timeout = optionalInt(run.values['step-timeout'], '--step-timeout', 5, 21_600);
        const fail = optionalInt(run.values['max-fail-percent'], '--max-fail-percent', 0, 100);
        const hours = optionalInt(run.values['expires-hours'], '--expires-hours', 1, 168);
        const comment = str(run.values['comment']);
        const id = approve(session, {
          draftVersionId: version,
          hostIds,
          options: {
            ...(wave ? { wavePercent: wave } : {}),
            ...(conc ? { concurrency: conc } : {}),
            ...(timeout ? { stepTimeoutSec: timeout } : {}),
            ...(fail !== undefined ? { maxFailPercent: fail } : {}),
          },
          ...(comment ? { comment } : {}),
          ...(hours ? { expiresInHours: hours } : {}),
        });
        const approval = getApproval(session.db, id);
        printResult(
          run,
          approval,
          patch
            ? `Approval #${id} for the patch of draft #${approval.draftId}, sha256 ${approval.sha256}, expires ${approval.expiresAt}. Export it with: vulnzero drafts export-patch ${approval.draftId} --out FILE`
            : `Approval #${id} for ${approval.targets.length} host(s), sha256 ${approval.sha256}, expires ${approval.expiresAt}.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'push run',
    summary: 'Push an approved draft over SSH in waves; exit 1 unless every host ends well.',
    usage: 'APPROVAL [--dry-run] [--concurrency N]',
    options: {
      ...UNLOCK_OPTIONS,
      'dry-run': { type: 'boolean', default: false },
      concurrency: { type: 'string' },
    },
    run: (run) => {
      const approvalId = int(run.positionals[0], 'APPROVAL');
      const concurrency = optionalInt(run.values['concurrency'], '--concurrency', 1, 100);
      return withSession(run, (session) =>
        withSigint(async (signal) => {
          const result = await startPush(
            session,
            approvalId,
            { dryRun: run.values['dry-run'] === true, ...(concurrency ? { concurrency } : {}) },
            sshConnector(session.db),
            { signal, progress: () => undefined },
            progressPrinter(run),
          );
          const status = pushStatus(session.db, result.runId);
          printResult(run, status, runText(status));
          return result.state === 'done' ? 0 : 1;
        }),
      );
    },
  },
  {
    name: 'push status',
    summary: 'A push run: hosts, steps, exit codes and transcripts.',
    usage: 'RUN',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const runId = int(run.positionals[0], 'RUN');
      return withSession(run, (session) => {
        const status = pushStatus(session.db, runId);
        printResult(run, status, runText(status));
        return 0;
      });
    },
  },
  {
    name: 'export ansible',
    summary: 'Export an approval as an Ansible playbook and inventory (block/rescue rollback).',
    usage: 'APPROVAL OUT_DIR',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const approvalId = int(run.positionals[0], 'APPROVAL');
      const out = run.positionals[1];
      if (!out) throw new UsageError('export ansible needs OUT_DIR');
      return withSession(run, async (session) => {
        const files = await exportApproval(session, approvalId, out);
        printResult(
          run,
          { approvalId, outDir: out, files },
          `Wrote ${files.length} file(s) to ${out}.`,
        );
        return 0;
      });
    },
  },
];
