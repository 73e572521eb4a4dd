/**
 * Approvals and the push engine on a real vault, with "hosts" that are local
 * directories (tests/helpers/local-connector.ts): hash binding, roles, separation of
 * duties, voiding, waves, breaker, dry run, rollback, timeouts, crash and resume.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { DraftContent } from '../../../src-preload/drafts-schemas';
import { createDraft, editDraft, setDraftState } from '../../../src-main/drafts/store';
import {
  approve,
  getApproval,
  reject,
  revoke,
  verifiedApproval,
} from '../../../src-main/push/approvals';
import {
  abandonRun,
  continuePush,
  markInterrupted,
  planWaves,
  pushStatus,
  requeueHosts,
  rollbackHost,
  startPush,
} from '../../../src-main/push/engine';
import { addHost, listCredentials, setHost } from '../../../src-main/push/hosts';
import { unlockVault } from '../../../src-main/vault/vault';
import type { VaultSession } from '../../../src-main/vault/session';
import { localConnector } from '../../helpers/local-connector';
import { PASS2, newVault, tempDir } from '../../helpers/vault';

const controls = () => ({ signal: new AbortController().signal, progress: () => undefined });

/** Benign scripts acting in the host's directory; FAIL_VERIFY / SLOW files steer them. */
const CONTENT: DraftContent = {
  precheck:
    '#!/bin/sh\nif [ -f fixed ]; then exit 3; fi\nif [ -f not-mine ]; then exit 4; fi\nexit 0\n',
  apply:
    '#!/bin/sh\nset -eu\nif [ -f slow ]; then sleep 30; fi\necho "$VZ_HOST" > fixed\necho applied on "$VZ_HOST"\n',
  verify:
    '#!/bin/sh\nif [ -f fail-verify ]; then echo "still vulnerable" >&2; exit 1; fi\n[ -f fixed ]\n',
  rollback: '#!/bin/sh\nrm -f fixed\necho rolled back > rolled-back\n',
  metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: 'test' },
};

let session: VaultSession;
let root: string;
let hosts: number[];
let draftId: number;

async function readyDraft(content = CONTENT): Promise<number> {
  const id = await createDraft(
    session,
    { title: 'test fix', groupKey: null, findingIds: [] },
    { content, engine: 'manual' },
  );
  setDraftState(session, id, 'ready');
  return id;
}
function versionId(id: number): number {
  return session.db
    .prepare('SELECT max(id) FROM draft_versions WHERE draft_id = ?')
    .pluck()
    .get(id) as number;
}
function touch(host: string, file: string): void {
  mkdirSync(join(root, host), { recursive: true });
  writeFileSync(join(root, host, file), '');
}

beforeEach(async () => {
  ({ session } = await newVault());
  root = tempDir('vz-hosts-');
  hosts = ['web1', 'web2', 'web3', 'web4', 'web5'].map((name) =>
    addHost(session, { name, address: `${name}.example`, username: 'deploy' }),
  );
  draftId = await readyDraft();
});

describe('approvals', () => {
  it('bind scripts, targets and options; expire; are voided by edits and host changes; revocable', async () => {
    const id = approve(session, {
      draftVersionId: versionId(draftId),
      hostIds: hosts,
      comment: 'CAB-42',
    });
    const approval = getApproval(session.db, id);
    expect(approval).toMatchObject({
      state: 'approved',
      approver: 'alice',
      comment: 'CAB-42',
      targets: expect.any(Array),
    });
    expect(approval.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Date.parse(approval.expiresAt) - Date.parse(approval.approvedAt)).toBe(24 * 3_600_000);
    expect(getApproval(session.db, id, new Date(Date.now() + 25 * 3_600_000)).state).toBe(
      'expired',
    );
    expect(verifiedApproval(session.db, id).content.apply).toBe(CONTENT.apply);

    // Tampering with the stored script is caught by the hash recomputation.
    session.db
      .prepare(`UPDATE draft_versions SET apply = apply || 'echo extra' WHERE id = ?`)
      .run(versionId(draftId));
    expect(() => verifiedApproval(session.db, id)).toThrow(/no longer matches/);
    session.db
      .prepare(`UPDATE draft_versions SET apply = ? WHERE id = ?`)
      .run(CONTENT.apply, versionId(draftId));
    expect(verifiedApproval(session.db, id).approval.id).toBe(id);

    // A host change voids it.
    setHost(session, hosts[0]!, { port: 2222 });
    expect(getApproval(session.db, id)).toMatchObject({
      state: 'voided',
      stateReason: 'host web1 changed',
    });

    // An edit voids it (and needs a new ready state).
    const again = approve(session, { draftVersionId: versionId(draftId), hostIds: hosts });
    await editDraft(session, draftId, {
      content: { ...CONTENT, verify: `${CONTENT.verify}true\n` },
      engine: 'manual',
    });
    expect(getApproval(session.db, again).state).toBe('voided');
    await expect(
      startPush(session, again, {}, localConnector(root), controls()),
    ).rejects.toMatchObject({ code: 'APPROVAL_INVALID' });
    expect(() =>
      approve(session, { draftVersionId: versionId(draftId) - 1, hostIds: hosts }),
    ).toThrow(/not the latest/);
    expect(() => approve(session, { draftVersionId: versionId(draftId), hostIds: hosts })).toThrow(
      /mark it ready/,
    );
    setDraftState(session, draftId, 'ready');
    const third = approve(session, {
      draftVersionId: versionId(draftId),
      hostIds: hosts,
      expiresInHours: 2,
    });
    revoke(session, third, 'change freeze');
    expect(getApproval(session.db, third)).toMatchObject({
      state: 'revoked',
      stateReason: 'change freeze',
    });
    reject(session, versionId(draftId), 'needs a maintenance window');
    expect(session.db.prepare('SELECT state FROM drafts WHERE id = ?').pluck().get(draftId)).toBe(
      'draft',
    );
    const actions = session.db
      .prepare(`SELECT action FROM audit WHERE action LIKE 'approval.%'`)
      .pluck()
      .all();
    expect(actions).toEqual([
      'approval.approve',
      'approval.approve',
      'approval.approve',
      'approval.revoke',
      'approval.reject',
    ]);
  });

  it('needs the approver or admin role, another person than the author, and a draft that is not blocked', async () => {
    await session.addOperator({ name: 'bob', role: 'approver', passphrase: PASS2 });
    await session.addOperator({ name: 'carol', role: 'analyst', passphrase: PASS2 });
    expect(() => approve(session, { draftVersionId: versionId(draftId), hostIds: hosts })).toThrow(
      /alice wrote this version; another approver must approve it/,
    );
    const path = session.path;
    const vid = versionId(draftId);
    session.lock();
    const carol = await unlockVault({ path, operator: 'carol', passphrase: PASS2 });
    expect(() => approve(carol, { draftVersionId: vid, hostIds: hosts })).toThrow(
      'This needs the admin or approver role; carol is analyst.',
    );
    carol.lock();
    const bob = await unlockVault({ path, operator: 'bob', passphrase: PASS2 });
    expect(approve(bob, { draftVersionId: vid, hostIds: hosts })).toBeGreaterThan(0);
    const blocked = await createDraft(
      bob,
      { title: 'bad', groupKey: null, findingIds: [] },
      { content: { ...CONTENT, apply: 'curl -fsSL http://x/y | sh\n' }, engine: 'manual' },
    );
    const blockedVersion = bob.db
      .prepare('SELECT max(id) FROM draft_versions WHERE draft_id = ?')
      .pluck()
      .get(blocked) as number;
    expect(() => approve(bob, { draftVersionId: blockedVersion, hostIds: hosts })).toThrow(
      /blocked by policy/,
    );
    bob.lock();
  });
});

describe('push runs', () => {
  it('plans a canary, a percentage and the rest', () => {
    expect(planWaves([1, 2, 3, 4, 5], 25)).toEqual([[1], [2], [3, 4, 5]]);
    expect(planWaves([1, 2, 3, 4, 5, 6, 7, 8, 9], 50)).toEqual([[1], [2, 3, 4, 5], [6, 7, 8, 9]]);
    expect(planWaves([1], 25)).toEqual([[1]]);
    expect(planWaves([1, 2], 100)).toEqual([[1], [2]]);
  });

  it('runs every host through precheck, apply and verify with transcripts; dry run only prechecks', async () => {
    touch('web3', 'fixed'); // already fixed
    touch('web4', 'not-mine'); // not applicable
    const approval = approve(session, { draftVersionId: versionId(draftId), hostIds: hosts });
    const dry = await startPush(
      session,
      approval,
      { dryRun: true },
      localConnector(root),
      controls(),
    );
    expect(dry.state).toBe('done');
    const drySteps = pushStatus(session.db, dry.runId).steps;
    for (const host of hosts)
      expect(drySteps.filter((s) => s.hostId === host).map((s) => s.step)).toEqual([
        'connect',
        'precheck',
      ]);
    expect(existsSync(join(root, 'web1', 'fixed'))).toBe(false);

    const updates: string[] = [];
    const run = await startPush(
      session,
      approval,
      { concurrency: 2 },
      localConnector(root),
      controls(),
      (u) => updates.push(`${u.host}:${u.step}:${u.state}`),
    );
    expect(run.state).toBe('done');
    const status = pushStatus(session.db, run.runId);
    expect(status.hosts.map((h) => [h.name, h.wave, h.state])).toEqual([
      ['web1', 0, 'verified'],
      ['web2', 1, 'verified'],
      ['web3', 2, 'already_fixed'],
      ['web4', 2, 'not_applicable'],
      ['web5', 2, 'verified'],
    ]);
    expect(readFileSync(join(root, 'web5', 'fixed'), 'utf8').trim()).toBe('web5');
    const apply = status.steps.find((s) => s.step === 'apply' && s.hostId === hosts[0]);
    expect(apply).toMatchObject({ state: 'ok', exitCode: 0, stdout: 'applied on web1\n' });
    expect(apply?.durationMs).toBeGreaterThanOrEqual(0);
    expect(updates).toContain('web1:apply:step-running');
    expect(updates).toContain('web1:verify:verified');
  });

  it('a failed verify rolls back; a failing canary trips the breaker; resume continues; rollback one host', async () => {
    touch('web1', 'fail-verify');
    const approval = approve(session, { draftVersionId: versionId(draftId), hostIds: hosts });
    const connector = localConnector(root);
    const run = await startPush(session, approval, {}, connector, controls());
    expect(run.state).toBe('paused');
    let status = pushStatus(session.db, run.runId);
    expect(status.error).toMatch(/circuit breaker: 1 of 1 host\(s\) failed in wave 1/);
    expect(status.hosts.map((h) => h.state)).toEqual([
      'rolled_back',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(status.steps.filter((s) => s.hostId === hosts[0]).map((s) => [s.step, s.state])).toEqual(
      [
        ['connect', 'ok'],
        ['precheck', 'ok'],
        ['apply', 'ok'],
        ['verify', 'failed'],
        ['rollback', 'ok'],
        ['verify_rollback', 'ok'],
      ],
    );
    expect(existsSync(join(root, 'web1', 'rolled-back'))).toBe(true);
    const resumed = await continuePush(session, run.runId, connector, controls());
    expect(resumed.state).toBe('done');
    status = pushStatus(session.db, run.runId);
    expect(status.hosts.slice(1).every((h) => h.state === 'verified')).toBe(true);
    expect(
      await rollbackHost(session, run.runId, hosts[1]!, connector, new AbortController().signal),
    ).toBe('rolled_back');
    expect(existsSync(join(root, 'web2', 'fixed'))).toBe(false);
  });

  it('a step timeout fails the step and rolls back; an unreachable host fails at connect', async () => {
    touch('web2', 'slow');
    const approval = approve(session, {
      draftVersionId: versionId(draftId),
      hostIds: hosts.slice(0, 3),
      options: { stepTimeoutSec: 5, maxFailPercent: 100 },
    });
    const run = await startPush(
      session,
      approval,
      {},
      localConnector(root, { unreachable: ['web3'] }),
      controls(),
    );
    expect(run.state).toBe('failed');
    const status = pushStatus(session.db, run.runId);
    expect(status.hosts.map((h) => h.state)).toEqual(['verified', 'rolled_back', 'failed']);
    const slow = status.steps.find((s) => s.hostId === hosts[1] && s.step === 'apply');
    expect(slow).toMatchObject({ state: 'failed', stderr: 'timed out after 5 s' });
    expect(status.hosts[2]).toMatchObject({
      step: 'connect',
      error: 'SSH_CONNECT_FAILED: web3: connection refused',
    });
  }, 20_000);

  it('after a crash, running hosts show "interrupted at step" and can be resumed; cancel stops launching', async () => {
    const approval = approve(session, { draftVersionId: versionId(draftId), hostIds: hosts });
    const run = await startPush(
      session,
      approval,
      { dryRun: false },
      localConnector(root),
      controls(),
    );
    // Simulate a crash in the middle of web3's apply.
    session.db.prepare(`UPDATE push_runs SET state = 'running' WHERE id = ?`).run(run.runId);
    session.db
      .prepare(
        `UPDATE push_run_hosts SET state = 'running', step = 'apply' WHERE run_id = ? AND host_id = ?`,
      )
      .run(run.runId, hosts[2]);
    session.db
      .prepare(
        `INSERT INTO push_steps(run_id, host_id, wave, step, state, started_at) VALUES (?, ?, 2, 'apply', 'running', ?)`,
      )
      .run(run.runId, hosts[2], new Date().toISOString());
    expect(markInterrupted(session.db)).toBe(1);
    let status = pushStatus(session.db, run.runId);
    expect(status.state).toBe('interrupted');
    expect(status.hosts.find((h) => h.hostId === hosts[2])).toMatchObject({
      state: 'interrupted',
      step: 'apply',
    });
    expect(requeueHosts(session, run.runId)).toBe(1);
    expect((await continuePush(session, run.runId, localConnector(root), controls())).state).toBe(
      'done',
    );
    status = pushStatus(session.db, run.runId);
    expect(status.hosts.find((h) => h.hostId === hosts[2])?.state).toBe('already_fixed');

    const controller = new AbortController();
    rmSync(join(root, 'web1', 'fixed'));
    touch('web1', 'slow');
    const approval2 = approve(session, { draftVersionId: versionId(draftId), hostIds: hosts });
    const cancelled = startPush(session, approval2, {}, localConnector(root), {
      signal: controller.signal,
      progress: () => undefined,
    });
    setTimeout(() => controller.abort(), 300);
    const result = await cancelled;
    expect(result.state).toBe('cancelled');
    status = pushStatus(session.db, result.runId);
    expect(status.hosts.map((h) => h.state)).toEqual([
      'interrupted',
      'pending',
      'pending',
      'pending',
      'pending',
    ]);
    expect(status.steps.at(-1)).toMatchObject({ step: 'apply', state: 'cancelled' });
  }, 20_000);

  it('verified hosts move the findings of the draft on that asset to "fixed (verified by push)"', async () => {
    const db = session.db;
    const now = new Date().toISOString();
    const asset = Number(
      db
        .prepare(
          `INSERT INTO assets(display_name, ip, created_at, updated_at) VALUES ('web1', '10.0.0.1', ?, ?)`,
        )
        .run(now, now).lastInsertRowid,
    );
    const vuln = Number(
      db
        .prepare(
          `INSERT INTO vulnerabilities(key, title, severity) VALUES ('t:1', 'OpenSSL', 'high')`,
        )
        .run().lastInsertRowid,
    );
    const finding = (identity: string, status: string) =>
      Number(
        db
          .prepare(
            `INSERT INTO findings(identity, asset_id, vulnerability_id, scanner, status, first_seen, last_seen, status_changed_at)
             VALUES (?, ?, ?, 'nessus', ?, ?, ?, ?)`,
          )
          .run(identity, asset, vuln, status, now, now, now).lastInsertRowid,
      );
    const open = finding('a', 'open');
    const accepted = finding('b', 'accepted');
    const other = finding('c', 'open');
    const id = await createDraft(
      session,
      { title: 'fix', groupKey: null, findingIds: [open, accepted] },
      { content: CONTENT, engine: 'manual' },
    );
    setDraftState(session, id, 'ready');
    const host = addHost(session, {
      name: 'web1-host',
      address: '10.0.0.1',
      username: 'deploy',
      assetId: asset,
    });
    const approval = approve(session, { draftVersionId: versionId(id), hostIds: [host] });
    const run = await startPush(session, approval, {}, localConnector(root), controls());
    expect(run.state).toBe('done');
    const statuses = db.prepare('SELECT id, status, status_reason FROM findings ORDER BY id').all();
    expect(statuses).toEqual([
      {
        id: open,
        status: 'fixed_verified',
        status_reason: `verified by push run #${run.runId} on web1-host`,
      },
      { id: accepted, status: 'accepted', status_reason: null },
      { id: other, status: 'open', status_reason: null },
    ]);
  });

  it('a paused run can be abandoned: its pending hosts are cancelled and nothing more runs', async () => {
    touch('web1', 'fail-verify');
    const approval = approve(session, { draftVersionId: versionId(draftId), hostIds: hosts });
    const connector = localConnector(root);
    const run = await startPush(session, approval, {}, connector, controls());
    expect(run.state).toBe('paused');
    abandonRun(session, run.runId, 'canary failed: investigating');
    const status = pushStatus(session.db, run.runId);
    expect(status).toMatchObject({ state: 'abandoned', error: 'canary failed: investigating' });
    expect(status.hosts.map((h) => h.state)).toEqual([
      'rolled_back',
      'cancelled',
      'cancelled',
      'cancelled',
      'cancelled',
    ]);
    expect(() => abandonRun(session, run.runId, 'again')).toThrow(
      /only a paused or interrupted run/,
    );
    expect(connector.calls).toEqual(['connect web1']);
    expect(listCredentials(session.db)).toEqual([]);
  });
});
