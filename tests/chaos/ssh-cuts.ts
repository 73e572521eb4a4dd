/**
 * chaos.ssh_cut_trials: a push to a real OpenSSH server on loopback (tests/helpers/sshd.ts)
 * whose connection is cut (every session of the test user killed) at a random moment of
 * pre-check, apply or verify. The run must end and say what happened: "verified" only when
 * the host really holds the new version; otherwise interrupted, failed, rolled back or
 * "rollback failed" with its step and error. A host left running or pending, or reported
 * verified without the change, is a silent state (chaos.silent_states).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { DraftContent, Output } from '../../src-preload/contract';
import { createDraft, setDraftState } from '../../src-main/drafts/store';
import { rng } from '../fuzz/mutate';
import { testCore } from '../helpers/core';
import { runJob } from '../helpers/jobs';
import { startSshd } from '../helpers/sshd';
import { PASS } from '../helpers/vault';

const DIR = '/tmp/vz-chaos-ssh';

const CONTENT: DraftContent = {
  precheck: `#!/bin/sh
[ "$(cat ${DIR}/version)" = 2.0 ] && exit 3
sleep 0.3
exit 0
`,
  apply: `#!/bin/sh
set -eu
cp ${DIR}/version ${DIR}/previous
sleep 1
echo 2.0 > ${DIR}/version
`,
  verify: `#!/bin/sh
sleep 0.3
[ "$(cat ${DIR}/version)" = 2.0 ]
`,
  rollback: `#!/bin/sh
[ -f ${DIR}/previous ] && cp ${DIR}/previous ${DIR}/version
`,
  metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: 'chaos' },
};

/** End states that say plainly the host is not (known to be) fixed. */
const SAID = new Set(['interrupted', 'failed', 'rolled_back', 'rollback_failed', 'cancelled']);

export interface CutTrials {
  trials: number;
  states: Map<string, number>;
  silent: string[];
}

export async function sshCutTrials(trials: number, seed: number): Promise<CutTrials | null> {
  if (
    process.getuid?.() !== 0 ||
    spawnSync('sh', ['-c', 'command -v sshd || test -x /usr/sbin/sshd']).status !== 0
  )
    return null;
  const random = rng(seed);
  const server = await startSshd();
  const core = testCore();
  const call = async <T>(channel: string, input?: unknown): Promise<T> => {
    const r = await core.router.call(channel, input);
    if (!r.ok) throw new Error(`${channel}: ${r.error.code}: ${r.error.message}`);
    return r.value as T;
  };
  const result: CutTrials = { trials: 0, states: new Map(), silent: [] };
  try {
    await call('vault.create', { operator: 'alice', passphrase: PASS });
    const { id: credentialId } = await call<{ id: number }>('hosts.addCredential', {
      kind: 'ssh-key',
      name: 'chaos-key',
      privateKey: server.clientKey,
    });
    const host = await call<Output<'hosts.add'>>('hosts.add', {
      name: 'chaos1',
      address: server.host,
      port: server.port,
      username: server.user,
      credentialId,
    });
    const key = await call<Output<'hosts.fetchHostKey'>>('hosts.fetchHostKey', { id: host.id });
    await call('hosts.pin', { id: host.id, ...key, confirm: true });
    const session = core.ctx.vault.session();
    const draftId = await createDraft(
      session,
      { title: 'chaos', groupKey: null, findingIds: [] },
      { content: CONTENT, engine: 'manual' },
    );
    setDraftState(session, draftId, 'ready');
    const versionId = session.db
      .prepare('SELECT id FROM draft_versions WHERE draft_id = ?')
      .pluck()
      .get(draftId) as number;

    for (let t = 0; t < trials; t += 1) {
      rmSync(DIR, { recursive: true, force: true });
      mkdirSync(DIR, { recursive: true });
      writeFileSync(`${DIR}/version`, '1.0\n');
      execFileSync('chown', ['-R', server.user, DIR]);
      chmodSync(DIR, 0o755);
      const approval = await call<Output<'approvals.approve'>>('approvals.approve', {
        draftVersionId: versionId,
        hostIds: [host.id],
      });
      // Connect plus the three steps take about 2 s: cut anywhere in 0.1–2.2 s.
      const cutAfter = 100 + Math.round(random() * 2100);
      const timer = setTimeout(() => server.killSessions(), cutAfter);
      const run = await runJob(core, 'push.run', { approvalId: approval.id, confirm: true });
      clearTimeout(timer);
      // A cut does not stop a script already running on the host: end it before looking.
      spawnSync('pkill', ['-KILL', '-u', server.user]);
      const status = await call<Output<'push.status'>>('push.status', { runId: run.resultId });
      const h = status.hosts[0];
      const state = h?.state ?? 'missing';
      result.trials += 1;
      result.states.set(state, (result.states.get(state) ?? 0) + 1);
      const onHost = readFileSync(`${DIR}/version`, 'utf8').trim();
      if (state === 'verified' && onHost !== '2.0')
        result.silent.push(
          `trial ${t} (cut at ${cutAfter} ms): verified but the host has ${onHost}`,
        );
      else if (state !== 'verified' && !(SAID.has(state) && h?.error))
        result.silent.push(
          `trial ${t} (cut at ${cutAfter} ms): ended ${state} at ${h?.step ?? '?'} without an error`,
        );
    }
  } finally {
    await core.dispose();
    await server.stop();
    rmSync(DIR, { recursive: true, force: true });
  }
  return result;
}
