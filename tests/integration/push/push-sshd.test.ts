/**
 * Push through the router to real OpenSSH servers on loopback (one sshd per "host",
 * tests/helpers/sshd.ts): host key pinning by fingerprint, hash-bound approval, waves
 * with transcripts, and the faults: changed host key, auth failure, connection killed
 * mid-apply. Scripts are benign: they act in a per-host directory under /tmp and call a
 * fake package manager that records versions.
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftContent, Output } from '../../../src-preload/contract';
import { createDraft, setDraftState } from '../../../src-main/drafts/store';
import { testCore } from '../../helpers/core';
import { runJob, type JobEnd } from '../../helpers/jobs';
import { startSshd, type SshdInstance } from '../../helpers/sshd';
import { PASS } from '../../helpers/vault';

const core = testCore();
const { router } = core;
const servers: SshdInstance[] = [];
const hostIds: number[] = [];

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = await router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function job(channel: string, input: unknown): Promise<JobEnd> {
  return runJob(core, channel, input);
}

/** A fake package manager: the "installed" version lives in a file per host. */
const CONTENT: DraftContent = {
  precheck: `#!/bin/sh
D=/tmp/vz-push-test/$VZ_HOST
mkdir -p "$D"
[ -f "$D/version" ] || echo 1.0 > "$D/version"
[ "$(cat "$D/version")" = 2.0 ] && exit 3
exit 0
`,
  apply: `#!/bin/sh
set -eu
D=/tmp/vz-push-test/$VZ_HOST
cp "$D/version" "$D/previous"
if [ -f "$D/slow" ]; then sleep 20; fi
echo 2.0 > "$D/version"
echo "upgraded $VZ_HOST to 2.0"
`,
  verify: `#!/bin/sh
[ "$(cat /tmp/vz-push-test/$VZ_HOST/version)" = 2.0 ]
`,
  rollback: `#!/bin/sh
D=/tmp/vz-push-test/$VZ_HOST
[ -f "$D/previous" ] && cp "$D/previous" "$D/version"
echo "rolled back $VZ_HOST"
`,
  metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: 'loopback test' },
};

let versionId = 0;

beforeAll(async () => {
  rmSync('/tmp/vz-push-test', { recursive: true, force: true });
  for (let i = 0; i < 3; i += 1) servers.push(await startSshd());
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  for (const [i, s] of servers.entries()) {
    // Each test server authorizes its own client key.
    const { id: credentialId } = await call<{ id: number }>('hosts.addCredential', {
      kind: 'ssh-key',
      name: `deploy-key-${i + 1}`,
      privateKey: s.clientKey,
    });
    const host = await call<Output<'hosts.add'>>('hosts.add', {
      name: `srv${i + 1}`,
      address: s.host,
      port: s.port,
      username: s.user,
      credentialId,
    });
    hostIds.push(host.id);
  }
  const session = core.ctx.vault.session();
  const draftId = await createDraft(
    session,
    { title: 'loopback', groupKey: null, findingIds: [] },
    { content: CONTENT, engine: 'manual' },
  );
  setDraftState(session, draftId, 'ready');
  versionId = session.db
    .prepare('SELECT id FROM draft_versions WHERE draft_id = ?')
    .pluck()
    .get(draftId) as number;
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync('/tmp/vz-push-test', { recursive: true, force: true });
});

describe('push over real SSH', () => {
  it('never trusts an unknown host key: shows its fingerprint, pins it only when confirmed', async () => {
    const credentials = await call<Output<'hosts.credentials'>>('hosts.credentials');
    expect(credentials.map((c) => [c.name, c.kind])).toEqual([
      ['deploy-key-1', 'ssh-key'],
      ['deploy-key-2', 'ssh-key'],
      ['deploy-key-3', 'ssh-key'],
    ]);
    expect(JSON.stringify(credentials)).not.toContain('PRIVATE KEY');
    const approval = await call<Output<'approvals.approve'>>('approvals.approve', {
      draftVersionId: versionId,
      hostIds,
    });
    const run = await job('push.run', { approvalId: approval.id, confirm: true });
    const status = await call<Output<'push.status'>>('push.status', { runId: run.resultId });
    expect(status.hosts[0]).toMatchObject({
      state: 'failed',
      step: 'connect',
      error: expect.stringMatching(/^HOST_KEY_UNKNOWN/),
    });
    expect(status.state).toBe('paused');
    for (const [i, id] of hostIds.entries()) {
      const key = await call<Output<'hosts.fetchHostKey'>>('hosts.fetchHostKey', { id });
      expect(key.fingerprint).toBe(servers[i]!.hostKey.fingerprint);
      expect(await router.call('hosts.pin', { id, ...key })).toMatchObject({
        ok: false,
        error: { code: 'INVALID_INPUT' },
      });
      const pinned = await call<Output<'hosts.pin'>>('hosts.pin', { id, ...key, confirm: true });
      expect(pinned.hostKeys.map((k) => k.fingerprint)).toEqual([key.fingerprint]);
    }
  }, 60_000);

  it('pushes in waves, records transcripts, and a dry run changes nothing', async () => {
    const approval = await call<Output<'approvals.approve'>>('approvals.approve', {
      draftVersionId: versionId,
      hostIds,
      options: { wavePercent: 50 },
    });
    const dry = await job('push.run', { approvalId: approval.id, dryRun: true, confirm: true });
    const dryStatus = await call<Output<'push.status'>>('push.status', { runId: dry.resultId });
    expect(dryStatus.state).toBe('done');
    expect(dryStatus.hosts.map((h) => h.state)).toEqual(['checked', 'checked', 'checked']);
    expect(dryStatus.steps.some((s) => s.step === 'apply')).toBe(false);
    const updates: string[] = [];
    const off = core.events.subscribe((name, payload) => {
      if (name === 'pushUpdate') updates.push((payload as { state: string }).state);
    });
    const run = await job('push.run', { approvalId: approval.id, confirm: true });
    off();
    const status = await call<Output<'push.status'>>('push.status', { runId: run.resultId });
    expect(status.state).toBe('done');
    expect(status.hosts.map((h) => [h.name, h.wave, h.state])).toEqual([
      ['srv1', 0, 'verified'],
      ['srv2', 1, 'verified'],
      ['srv3', 2, 'verified'],
    ]);
    const apply = status.steps.find((s) => s.step === 'apply' && s.hostId === hostIds[1]);
    expect(apply).toMatchObject({ state: 'ok', exitCode: 0, stdout: 'upgraded srv2 to 2.0\n' });
    expect(updates).toContain('verified');
    // Already at 2.0 everywhere: a second run finds nothing to do.
    const again = await job('push.run', { approvalId: approval.id, confirm: true });
    const second = await call<Output<'push.status'>>('push.status', { runId: again.resultId });
    expect(second.hosts.map((h) => h.state)).toEqual([
      'already_fixed',
      'already_fixed',
      'already_fixed',
    ]);
  }, 60_000);

  it('refuses a changed host key loudly and audits it; an auth failure fails at connect', async () => {
    rmSync('/tmp/vz-push-test', { recursive: true, force: true });
    await servers[1]!.restartWithNewHostKey();
    const approval = await call<Output<'approvals.approve'>>('approvals.approve', {
      draftVersionId: versionId,
      hostIds: [hostIds[0], hostIds[1]],
      options: { maxFailPercent: 100 },
    });
    const run = await job('push.run', { approvalId: approval.id, confirm: true });
    const status = await call<Output<'push.status'>>('push.status', { runId: run.resultId });
    expect(status.hosts[1]).toMatchObject({
      state: 'failed',
      step: 'connect',
      error: expect.stringMatching(/^HOST_KEY_CHANGED/),
    });
    const audit = await call<{ action: string }[]>('audit.list', { limit: 30 });
    expect(audit.some((e) => e.action === 'host.key_changed')).toBe(true);

    // Accepting the new key voids the approvals that trusted the old one.
    const changed = await call<Output<'hosts.fetchHostKey'>>('hosts.fetchHostKey', {
      id: hostIds[1],
    });
    await call('hosts.pin', { id: hostIds[1], ...changed, confirm: true });
    const after = await call<Output<'approvals.get'>>('approvals.get', { id: approval.id });
    expect(after.state).toBe('voided');
    const refused = await job('push.run', { approvalId: approval.id, confirm: true });
    expect(refused.state).toBe('failed');
    expect(refused.error?.message).toMatch(/void|revoked|no longer/i);

    const { id: wrongKey } = await call<{ id: number }>('hosts.addCredential', {
      kind: 'ssh-key',
      name: 'wrong',
      privateKey: servers[0]!.encryptedClientKey.pem,
      passphrase: 'not-the-passphrase',
    });
    await call('hosts.set', { id: hostIds[2], credentialId: wrongKey });
    const bad = await call<Output<'approvals.approve'>>('approvals.approve', {
      draftVersionId: versionId,
      hostIds: [hostIds[2]],
    });
    const failed = await job('push.run', { approvalId: bad.id, confirm: true });
    const failedStatus = await call<Output<'push.status'>>('push.status', {
      runId: failed.resultId,
    });
    expect(failedStatus.hosts[0]).toMatchObject({ state: 'failed', step: 'connect' });
  }, 60_000);

  it('a connection killed mid-apply leaves the host "interrupted at apply"; resume finishes it', async () => {
    const { chmodSync, mkdirSync, writeFileSync, rmSync: rm } = await import('node:fs');
    rm('/tmp/vz-push-test', { recursive: true, force: true });
    // The scripts run as the test user: the host directory must be theirs to write.
    mkdirSync('/tmp/vz-push-test/srv1', { recursive: true });
    chmodSync('/tmp/vz-push-test', 0o777);
    chmodSync('/tmp/vz-push-test/srv1', 0o777);
    writeFileSync('/tmp/vz-push-test/srv1/slow', '');
    const approval = await call<Output<'approvals.approve'>>('approvals.approve', {
      draftVersionId: versionId,
      hostIds: [hostIds[0]],
    });
    const killed = new Promise<void>((resolve) => {
      const off = core.events.subscribe((name, payload) => {
        const u = payload as { step: string; state: string };
        if (name === 'pushUpdate' && u.step === 'apply' && u.state === 'step-running') {
          off();
          setTimeout(() => {
            servers[0]!.killSessions();
            resolve();
          }, 500);
        }
      });
    });
    const started = Date.now();
    const run = await job('push.run', { approvalId: approval.id, confirm: true });
    await killed;
    expect(Date.now() - started).toBeLessThan(15_000);
    let status = await call<Output<'push.status'>>('push.status', { runId: run.resultId });
    expect(status.hosts[0]).toMatchObject({
      state: 'interrupted',
      step: 'apply',
      error: expect.stringMatching(/^SSH_DISCONNECTED/),
    });
    // A dropped connection does not stop the remote script: end the orphaned apply (the
    // operator would check the host) before resuming, so it cannot finish behind our back.
    spawnSync('pkill', ['-KILL', '-u', servers[0]!.user, '-f', 'sleep 20']);
    rm('/tmp/vz-push-test/srv1/slow');
    const resumed = await job('push.resume', { runId: run.resultId, confirm: true });
    expect(resumed.state).toBe('done');
    status = await call<Output<'push.status'>>('push.status', { runId: run.resultId });
    expect(status.hosts[0]?.state).toBe('verified');
    expect(status.state).toBe('done');
  }, 60_000);
});
