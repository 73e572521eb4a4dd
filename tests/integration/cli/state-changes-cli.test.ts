/**
 * Every state change the Drafts, Approvals and Push screens offer, through the CLI, on a
 * real encrypted vault and two real sshd hosts: import → drafts create (rules) → ready →
 * drafts edit (steps replaced: back to draft) → ready → approve → push (canary fails:
 * paused) → push resume → push rollback → approvals revoke (push and rollback refused)
 * → push abandon → approvals reject (voids) → a CLI killed mid-apply, push mark-interrupted,
 * push resume → drafts unready (voids) → drafts archive. Each command's exit code, JSON
 * and the audit entries it wrote are checked; the audit chain verifies at the end.
 */
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../../src-preload/contract';
import { auditedCli } from '../../helpers/cli-audit';
import { fixture } from '../../helpers/import';
import { startSshd, type SshdInstance } from '../../helpers/sshd';
import { PASS, newVault, tempDir } from '../../helpers/vault';

type Draft = Output<'drafts.get'>;
type Approval = Output<'approvals.get'>;
type Run = Output<'push.status'>;

const WORK = '/tmp/vz-state-cli';
const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');
const SCRIPTS = {
  precheck: `#!/bin/sh\n[ -f "${WORK}/$VZ_HOST/done" ] && exit 3\nexit 0\n`,
  apply: [
    '#!/bin/sh',
    'set -eu',
    `D="${WORK}/$VZ_HOST"`,
    'touch "$D/applying"',
    'i=0',
    'while [ -f "$D/slow" ] && [ "$i" -lt 600 ]; do sleep 0.1; i=$((i + 1)); done',
    'echo "$VZ_APPROVAL" > "$D/done"',
    'echo "applied on $VZ_HOST"',
    '',
  ].join('\n'),
  verify: `#!/bin/sh\n[ -f "${WORK}/$VZ_HOST/done" ] && [ ! -f "${WORK}/$VZ_HOST/fail-verify" ]\n`,
  rollback: `#!/bin/sh\nrm -f "${WORK}/$VZ_HOST/done"\necho "rolled back $VZ_HOST"\n`,
};

const servers: SshdInstance[] = [];
const dir = tempDir('vz-state-cli-');
let vaultPath = '';
let vz: ReturnType<typeof auditedCli>;
let env: Record<string, string>;
/** The two hosts (made from imported assets), canary first. */
let hosts: string[] = [];
let draftId = 0;

const json = <T>(r: { out: string }) => JSON.parse(r.out) as T;
const hostState = (run: Run, name: string) => run.hosts.find((h) => h.name === name)?.state;
const file = (host: string, name: string) => join(WORK, host, name);
const touch = (host: string, name: string) => writeFileSync(file(host, name), '');
async function latestVersionId(): Promise<number> {
  const draft = json<Draft>(await vz('drafts', 'show', String(draftId), '--json'));
  return draft.versions.at(-1)?.id as number;
}

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  chmodSync(WORK, 0o777);
  servers.push(await startSshd(), await startSshd());
  const { path, session } = await newVault(dir);
  session.lock();
  vaultPath = path;
  env = { VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS };
  vz = auditedCli(env, { path });
  servers.forEach((s, i) => writeFileSync(join(dir, `key${i + 1}`), s.clientKey, { mode: 0o600 }));
  for (const [step, text] of Object.entries(SCRIPTS)) writeFileSync(join(dir, `${step}.sh`), text);
  await vz.skipAudit();
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(WORK, { recursive: true, force: true });
});

describe('state changes through the CLI, against real sshd', () => {
  it('drafts a rule fix, makes hosts from its assets, and cannot approve before ready', async () => {
    const imported = await vz('import', fixture('tenable_vm_csv', 'nessus_new.csv'), '--json');
    expect(imported.code, imported.err).toBe(0);

    const created = await vz('drafts', 'create', '--group', 'cfg:ssh-weak-crypto', '--json');
    expect(created.code, created.err).toBe(0);
    const draft = json<Draft>(created);
    draftId = draft.id;
    expect(draft).toMatchObject({ state: 'draft', latestVersion: 1, engine: 'rules' });
    expect(vz.actions(created)).toEqual(['draft.create']);

    // Two of the draft's assets become push targets on the two loopback sshd instances.
    const assetIds = draft.hosts.slice(0, 2).map((h) => String(h.assetId));
    const made = await vz(
      'hosts',
      'from-assets',
      ...assetIds,
      '--user',
      servers[0]!.user,
      '--sudo',
      'none',
      '--json',
    );
    expect(made.code, made.err).toBe(0);
    hosts = json<{ name: string; address: string }[]>(made).map((h) => h.name);
    expect(hosts).toHaveLength(2);
    expect(vz.actions(made)).toEqual(['host.add', 'host.add']);
    expect((await vz('hosts', 'from-assets', '--user', 'x')).code).toBe(2);
    for (const [i, name] of hosts.entries()) {
      mkdirSync(join(WORK, name));
      chmodSync(join(WORK, name), 0o777);
      const s = servers[i]!;
      const set = await vz(
        'hosts',
        'set',
        name,
        '--address',
        s.host,
        '--port',
        String(s.port),
        '--key',
        join(dir, `key${i + 1}`),
      );
      expect(set.code, set.err).toBe(0);
      const pinned = await vz('hosts', 'pin', name, '--fingerprint', s.hostKey.fingerprint);
      expect(pinned.code, pinned.err).toBe(0);
      expect(vz.actions(pinned)).toEqual(['host.pin']);
    }

    // The complaint: a fresh draft cannot be approved until it is marked ready.
    const early = await vz(
      'approve',
      String(await latestVersionId()),
      '--targets',
      hosts.join(','),
    );
    expect(early.code).toBe(1);
    expect(early.err).toContain('mark it ready for approval first');
    expect(early.audit).toEqual([]);
  }, 90_000);

  it('ready, then an edit of the steps saves a new version and returns the draft to draft', async () => {
    const ready = await vz('drafts', 'ready', String(draftId), '--json');
    expect(ready.code, ready.err).toBe(0);
    expect(json<Draft>(ready).state).toBe('ready');
    expect(ready.audit).toMatchObject([
      { action: 'draft.state', summary: { before: { state: 'draft' }, after: { state: 'ready' } } },
    ]);

    const edited = await vz(
      'drafts',
      'edit',
      String(draftId),
      ...['precheck', 'apply', 'verify', 'rollback'].flatMap((s) => [
        '--step',
        s,
        '--file',
        join(dir, `${s}.sh`),
      ]),
      '--risk',
      'low',
      '--reboot',
      'no',
      '--services',
      '',
      '--note',
      'loopback test scripts',
      '--json',
    );
    expect(edited.code, edited.err).toBe(0);
    const draft = json<Draft>(edited);
    const latest = draft.versions.at(-1)!;
    expect(draft).toMatchObject({ state: 'draft', latestVersion: 2 });
    expect(latest).toMatchObject({ engine: 'manual', note: 'loopback test scripts' });
    expect(latest.content).toMatchObject({ ...SCRIPTS, metadata: { risk: 'low' } });
    expect(latest.policy.blocked).toBe(false);
    expect(latest.lint.every((l) => l.ok)).toBe(true);
    expect(edited.audit).toMatchObject([
      {
        action: 'draft.edit',
        objectId: String(draftId),
        summary: { before: { state: 'ready' }, after: { version: 2, engine: 'manual' } },
      },
    ]);

    // The same bytes again: nothing saved, exit 1; a lone --step: usage error.
    const same = await vz(
      'drafts',
      'edit',
      String(draftId),
      '--step',
      'apply',
      '--file',
      join(dir, 'apply.sh'),
    );
    expect(same.code).toBe(1);
    expect(same.err).toContain('already has this content');
    expect(same.audit).toEqual([]);
    expect((await vz('drafts', 'edit', String(draftId), '--step', 'apply')).code).toBe(2);
    expect((await vz('drafts', 'edit', String(draftId))).code).toBe(2);
    expect(
      (await vz('drafts', 'edit', String(draftId), '--step', 'nope', '--file', 'x')).code,
    ).toBe(2);

    const again = await vz('drafts', 'ready', String(draftId));
    expect(again.code, again.err).toBe(0);
    expect(again.out).toContain('state ready, version 2');
  });

  it('approve, push: a failing canary pauses the run; resume finishes it; findings are verified', async () => {
    const [a, b] = hosts as [string, string];
    const approved = await vz(
      'approve',
      String(await latestVersionId()),
      '--targets',
      hosts.join(','),
      '--concurrency',
      '1',
      '--json',
    );
    expect(approved.code, approved.err).toBe(0);
    const approval = json<Approval>(approved);
    expect(vz.actions(approved)).toEqual(['approval.approve']);

    touch(a, 'fail-verify');
    const paused = await vz('push', 'run', String(approval.id), '--json');
    expect(paused.code).toBe(1);
    const run = json<Run>(paused);
    expect(run.state).toBe('paused');
    expect([hostState(run, a), hostState(run, b)]).toEqual(['rolled_back', 'pending']);
    expect(vz.actions(paused)).toEqual(['push.start', 'push.paused']);

    rmSync(file(a, 'fail-verify'));
    const resumed = await vz('push', 'resume', String(run.id), '--json');
    expect(resumed.code, resumed.err).toBe(0);
    const done = json<Run>(resumed);
    expect(done.state).toBe('done');
    expect([hostState(done, a), hostState(done, b)]).toEqual(['rolled_back', 'verified']);
    expect(existsSync(file(b, 'done'))).toBe(true);
    expect(vz.actions(resumed)).toEqual(['push.requeue', 'findings.fixed_verified', 'push.done']);

    const findings = json<{ status: string }[]>(await vz('findings', '--json', '--limit', '1000'));
    expect(findings.filter((f) => f.status === 'fixed_verified')).toHaveLength(1);

    const nothing = await vz('push', 'resume', String(run.id));
    expect(nothing.code).toBe(1);
    expect(nothing.err).toContain('no pending or interrupted host');
    expect(nothing.audit).toEqual([]);
    expect((await vz('push', 'resume')).code).toBe(2);

    const list = json<{ id: number; state: string }[]>(await vz('push', 'list', '--json'));
    expect(list).toEqual([expect.objectContaining({ id: run.id, state: 'done' })]);
  }, 120_000);

  it('a revoked approval: no push, and no rollback (the host keeps its state)', async () => {
    const [, b] = hosts as [string, string];
    const [approval] = json<Approval[]>(
      await vz('approvals', 'list', '--state', 'approved', '--json'),
    );
    const [run] = json<{ id: number }[]>(await vz('push', 'list', '--json'));
    expect(
      (await vz('approvals', 'revoke', String(approval!.id), '--reason', 'CAB said no')).code,
    ).toBe(2);
    expect((await vz('approvals', 'revoke', String(approval!.id), '--yes')).code).toBe(2);
    const revoked = await vz(
      'approvals',
      'revoke',
      String(approval!.id),
      '--reason',
      'CAB said no',
      '--yes',
      '--json',
    );
    expect(revoked.code, revoked.err).toBe(0);
    expect(json<Approval>(revoked)).toMatchObject({ state: 'revoked', stateReason: 'CAB said no' });
    expect(revoked.audit).toMatchObject([
      { action: 'approval.revoke', summary: { after: { reason: 'CAB said no' } } },
    ]);
    const twice = await vz('approvals', 'revoke', String(approval!.id), '--reason', 'x', '--yes');
    expect(twice.code).toBe(1);
    expect(twice.err).toContain('already revoked');

    const push = await vz('push', 'run', String(approval!.id));
    expect(push.code).toBe(1);
    expect(push.err).toContain('revoked');
    const rollback = await vz('push', 'rollback', String(run!.id), '--host', b);
    expect(rollback.code).toBe(1);
    expect(rollback.err).toContain('revoked');
    expect(rollback.audit).toEqual([]);
    const status = json<Run>(await vz('push', 'status', String(run!.id), '--json'));
    expect(hostState(status, b)).toBe('verified');
    expect(existsSync(file(b, 'done'))).toBe(true);

    const listed = json<Approval[]>(await vz('approvals', 'list', '--state', 'revoked', '--json'));
    expect(listed.map((a) => a.id)).toEqual([approval!.id]);
    const shown = await vz('approvals', 'show', String(approval!.id));
    expect(shown.out).toContain(`Approval #${approval!.id}: revoked (CAB said no)`);
    expect((await vz('approvals', 'list', '--state', 'bogus')).code).toBe(2);
  }, 60_000);

  it('rolls one host back; refuses hosts that are not in a state to roll back', async () => {
    const [a, b] = hosts as [string, string];
    const approval = json<Approval>(
      await vz('approve', String(await latestVersionId()), '--targets', hosts.join(','), '--json'),
    );
    const pushed = await vz('push', 'run', String(approval.id), '--json');
    expect(pushed.code, pushed.err).toBe(0);
    const run = json<Run>(pushed);
    expect([hostState(run, a), hostState(run, b)]).toEqual(['verified', 'already_fixed']);

    expect((await vz('push', 'rollback', String(run.id))).code).toBe(2);
    const rolled = await vz('push', 'rollback', String(run.id), '--host', a, '--json');
    expect(rolled.code, rolled.err).toBe(0);
    expect(hostState(json<Run>(rolled), a)).toBe('rolled_back');
    expect(existsSync(file(a, 'done'))).toBe(false);
    expect(rolled.audit).toMatchObject([
      {
        action: 'push.rollback_host',
        objectId: String(run.id),
        summary: { after: { state: 'rolled_back' } },
      },
    ]);
    const again = await vz('push', 'rollback', String(run.id), '--host', a);
    expect(again.code).toBe(1);
    expect(again.err).toContain('is rolled_back');
    // b was already fixed before this run: undoing an earlier run's change does not bring
    // it back to this run's pre-state, and the CLI says so instead of "rolled back".
    const other = await vz('push', 'rollback', String(run.id), '--host', b, '--json');
    expect(other.code).toBe(1);
    const failed = json<Run>(other).hosts.find((h) => h.name === b);
    expect(failed?.state).toBe('rollback_failed');
    expect(failed?.error).toContain('before this run it exited 3');
    // The next cases start from a fixed a and an unfixed b.
    writeFileSync(file(a, 'done'), `${approval.id}\n`);
    expect((await vz('push', 'rollback', String(run.id), '--host', 'nope')).code).toBe(1);
  }, 60_000);

  it('abandons a paused run (confirmed); an abandoned run cannot be resumed', async () => {
    const [a, b] = hosts as [string, string];
    const [approval] = json<Approval[]>(
      await vz('approvals', 'list', '--state', 'approved', '--json'),
    );
    touch(a, 'fail-verify');
    const paused = json<Run>(await vz('push', 'run', String(approval!.id), '--json'));
    expect(paused.state).toBe('paused');
    expect((await vz('push', 'abandon', String(paused.id), '--reason', 'canary failed')).code).toBe(
      2,
    );
    expect((await vz('push', 'abandon', String(paused.id), '--yes')).code).toBe(2);
    const abandoned = await vz(
      'push',
      'abandon',
      String(paused.id),
      '--reason',
      'canary failed',
      '--yes',
      '--json',
    );
    expect(abandoned.code, abandoned.err).toBe(0);
    const run = json<Run>(abandoned);
    expect(run).toMatchObject({ state: 'abandoned', error: 'canary failed' });
    expect([hostState(run, a), hostState(run, b)]).toEqual(['failed', 'cancelled']);
    expect(abandoned.audit).toMatchObject([
      {
        action: 'push.abandon',
        summary: { before: { state: 'paused' }, after: { reason: 'canary failed' } },
      },
    ]);
    const resume = await vz('push', 'resume', String(paused.id));
    expect(resume.code).toBe(1);
    expect(resume.err).toContain('abandoned');
    rmSync(file(a, 'fail-verify'));
  }, 60_000);

  it('rejecting the version sends the draft back to draft and voids its approval', async () => {
    const [approval] = json<Approval[]>(
      await vz('approvals', 'list', '--state', 'approved', '--json'),
    );
    const version = String(await latestVersionId());
    expect((await vz('approvals', 'reject', version)).code).toBe(2);
    const rejected = await vz(
      'approvals',
      'reject',
      version,
      '--comment',
      'use the mirror',
      '--json',
    );
    expect(rejected.code, rejected.err).toBe(0);
    expect(rejected.audit).toMatchObject([
      {
        action: 'approval.reject',
        objectId: String(draftId),
        summary: { after: { version: 2, comment: 'use the mirror', approvalsVoided: 1 } },
      },
    ]);
    const draft = json<Draft>(await vz('drafts', 'show', String(draftId), '--json'));
    expect(draft.state).toBe('draft');
    const voided = json<Approval>(await vz('approvals', 'show', String(approval!.id), '--json'));
    expect(voided).toMatchObject({ state: 'voided' });
    const all = json<Approval[]>(
      await vz('approvals', 'list', '--draft', String(draftId), '--json'),
    );
    expect(all.map((a) => a.state)).toEqual(['rejected', 'voided', 'revoked']);
  });

  it('a CLI killed mid-apply: the run is declared interrupted, then resumed', async () => {
    const [a] = hosts as [string, string];
    rmSync(file(a, 'done'), { force: true });
    rmSync(file(a, 'applying'), { force: true });
    expect((await vz('drafts', 'ready', String(draftId))).code).toBe(0);
    const approval = json<Approval>(
      await vz('approve', String(await latestVersionId()), '--targets', hosts.join(','), '--json'),
    );
    touch(a, 'slow');
    // The built CLI, in its own process, killed while the canary's apply runs.
    const child = spawn(process.execPath, [bin, 'push', 'run', String(approval.id)], {
      env: { ...process.env, ...env },
      stdio: 'ignore',
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    await expect.poll(() => existsSync(file(a, 'applying')), { timeout: 30_000 }).toBe(true);
    child.kill('SIGKILL');
    await exited;
    rmSync(file(a, 'slow'));

    const [run] = json<{ id: number; state: string }[]>(await vz('push', 'list', '--json'));
    expect(run).toMatchObject({ state: 'running' });
    const refused = await vz('push', 'resume', String(run!.id));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('still running');
    expect((await vz('push', 'rollback', String(run!.id), '--host', a)).err).toContain(
      'still running',
    );
    expect((await vz('push', 'mark-interrupted', String(run!.id))).code).toBe(2);
    const marked = await vz('push', 'mark-interrupted', String(run!.id), '--yes', '--json');
    expect(marked.code, marked.err).toBe(0);
    const interrupted = json<Run>(marked);
    expect(interrupted.state).toBe('interrupted');
    expect(interrupted.hosts.find((h) => h.name === a)).toMatchObject({
      state: 'interrupted',
      step: 'apply',
    });
    expect(marked.audit).toMatchObject([
      { action: 'push.interrupted', objectId: String(run!.id), summary: { after: { hosts: 1 } } },
    ]);
    expect((await vz('push', 'mark-interrupted', String(run!.id), '--yes')).code).toBe(1);

    const resumed = await vz('push', 'resume', String(run!.id), '--json');
    expect(resumed.code, resumed.err).toBe(0);
    expect(['verified', 'already_fixed']).toContain(hostState(json<Run>(resumed), a));
    expect(vz.actions(resumed)).toContain('push.done');
  }, 90_000);

  it('back to draft voids the approval; archive needs --yes and ends editing', async () => {
    const [approval] = json<Approval[]>(
      await vz('approvals', 'list', '--state', 'approved', '--json'),
    );
    const unready = await vz('drafts', 'unready', String(draftId), '--json');
    expect(unready.code, unready.err).toBe(0);
    expect(json<Draft>(unready).state).toBe('draft');
    expect(unready.audit).toMatchObject([
      {
        action: 'draft.state',
        summary: { before: { state: 'ready' }, after: { state: 'draft', approvalsVoided: 1 } },
      },
    ]);
    const shown = json<Approval>(await vz('approvals', 'show', String(approval!.id), '--json'));
    expect(shown.state).toBe('voided');
    expect((await vz('push', 'run', String(approval!.id))).err).toContain('voided');

    expect((await vz('drafts', 'archive', String(draftId))).code).toBe(2);
    const archived = await vz('drafts', 'archive', String(draftId), '--yes', '--json');
    expect(archived.code, archived.err).toBe(0);
    expect(json<Draft>(archived).state).toBe('archived');
    expect(vz.actions(archived)).toEqual(['draft.state']);
    const edit = await vz('drafts', 'edit', String(draftId), '--risk', 'high');
    expect(edit.code).toBe(1);
    expect(edit.err).toContain('archived');
    expect((await vz('drafts', 'ready', String(draftId))).code).toBe(1);
    const listed = json<{ id: number }[]>(
      await vz('drafts', 'list', '--state', 'archived', '--json'),
    );
    expect(listed.map((d) => d.id)).toEqual([draftId]);

    const verdict = await vz('audit', 'verify', '--json');
    expect(verdict.code, verdict.err).toBe(0);
    expect(JSON.parse(verdict.out)).toMatchObject({ ok: true });
    expect(vaultPath).toBeTruthy();
  });
});
