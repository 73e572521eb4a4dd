import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../src-preload/contract';
import {
  canAbandon,
  canResume,
  canRollBack,
  formatDuration,
  groupByWave,
  hostStateText,
  isLive,
  knownCredentials,
  runEndMessage,
  stateClass,
  stepsOf,
  useHosts,
  usePush,
  waveLabel,
  waveSizes,
  type ApprovalInfo,
  type HostInfo,
  type RunHost,
  type RunStatus,
} from '../../../src-renderer/src/stores/push';

const g = globalThis as unknown as { vulnzero?: unknown };
const initialPush = usePush.getState();
const initialHosts = useHosts.getState();

type Update = EventPayload<'pushUpdate'>;
type Finished = EventPayload<'jobFinished'>;

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
const fail = (code: string, message: string) =>
  Promise.resolve({ ok: false as const, error: { code, message } });
const settle = () => new Promise((r) => setTimeout(r, 0));

function runHost(hostId: number, wave: number, state: string, step: string | null = null): RunHost {
  return { hostId, name: `h${hostId}`, wave, state, step, error: null };
}

function status(state: string, hosts: RunHost[], id = 7): RunStatus {
  return {
    id,
    approvalId: 3,
    state,
    error: state === 'paused' ? 'circuit breaker: 1 of 1 host(s) failed in wave 1' : null,
    options: { dryRun: false, concurrency: 10 },
    startedBy: 'alice',
    startedAt: '2026-01-01T00:00:00Z',
    finishedAt: null,
    hosts,
    steps: [
      {
        hostId: 1,
        step: 'apply',
        state: 'ok',
        exitCode: 0,
        stdout: 'applied',
        stderr: null,
        stdoutTruncated: false,
        stderrTruncated: false,
        durationMs: 40,
        startedAt: null,
        finishedAt: null,
      },
    ],
  };
}

function approval(id: number, state: ApprovalInfo['state'], expiresAt: string): ApprovalInfo {
  return {
    id,
    draftId: 1,
    draftKind: 'script',
    draftVersionId: 11,
    version: 2,
    sha256: 'a'.repeat(64),
    targets: [
      { id: 1, name: 'h1', address: '10.0.0.1', port: 22, username: 'ops', sudoMode: 'none' },
    ],
    options: { wavePercent: 25, concurrency: 10, stepTimeoutSec: 600, maxFailPercent: 10 },
    state,
    stateReason: null,
    approver: 'alice',
    comment: null,
    approvedAt: '2026-01-01T00:00:00Z',
    expiresAt,
  };
}

function host(id: number, credential: HostInfo['credential'] = null): HostInfo {
  return {
    id,
    name: `h${id}`,
    address: `10.0.0.${id}`,
    port: 22,
    username: 'ops',
    sudoMode: 'none',
    assetId: null,
    groupName: null,
    jumpHostId: null,
    credential,
    hostKeys: [],
  };
}

/** A fake core for the push channels; events are pushed by the test. */
function fakeApi() {
  const calls = {
    run: [] as unknown[],
    status: [] as unknown[],
    resume: [] as unknown[],
    rollback: [] as unknown[],
    cancel: [] as unknown[],
    pin: [] as unknown[],
    addCredential: [] as unknown[],
    fromAssets: [] as unknown[],
    abandon: [] as unknown[],
  };
  const stored = [
    { id: 9, name: 'ops-key', kind: 'ssh-key' as const, createdAt: '2026-01-01T00:00:00Z' },
    { id: 4, name: 'break-glass', kind: 'password' as const, createdAt: '2026-01-01T00:00:00Z' },
  ];
  let credentialsAnswer: () => Promise<
    { ok: true; value: typeof stored } | { ok: false; error: { code: string; message: string } }
  > = () => ok([...stored]);
  const listeners = {
    update: [] as ((u: Update) => void)[],
    finished: [] as ((p: Finished) => void)[],
  };
  let current = status('running', [runHost(1, 0, 'running', 'apply'), runHost(2, 1, 'pending')]);
  type JobAnswer =
    | { ok: true; value: { jobId: string } }
    | { ok: false; error: { code: string; message: string } };
  let runAnswer: () => Promise<JobAnswer> = () => ok({ jobId: 'job-1' });
  let statusGate: Promise<void> | null = null;
  const api = {
    push: {
      run: (input: unknown) => {
        calls.run.push(input);
        return runAnswer();
      },
      status: async (input: { runId: number }) => {
        calls.status.push(input);
        if (statusGate) await statusGate;
        return { ok: true as const, value: { ...current, id: input.runId } };
      },
      list: () =>
        ok([
          {
            id: 7,
            approvalId: 3,
            state: current.state,
            startedAt: '2026-01-01T00:00:00Z',
            startedBy: 'alice',
          },
        ]),
      resume: (input: unknown) => {
        calls.resume.push(input);
        return ok({ jobId: 'job-2' });
      },
      rollbackHost: (input: unknown) => {
        calls.rollback.push(input);
        return ok({ jobId: 'job-3' });
      },
      abandon: (input: { runId: number; reason: string }) => {
        calls.abandon.push(input);
        if (!['paused', 'interrupted'].includes(current.state))
          return fail(
            'INVALID_INPUT',
            `Run #${input.runId} is ${current.state}; only a paused or interrupted run can be abandoned.`,
          );
        current = {
          ...current,
          state: 'abandoned',
          error: input.reason,
          hosts: current.hosts.map((h) =>
            h.state === 'pending' ? { ...h, state: 'cancelled' } : h,
          ),
        };
        return ok({ ...current, id: input.runId });
      },
    },
    approvals: {
      list: () =>
        ok([
          approval(5, 'approved', '2099-01-01T00:00:00Z'),
          approval(4, 'approved', '2000-01-01T00:00:00Z'),
          approval(3, 'revoked', '2099-01-01T00:00:00Z'),
        ]),
    },
    hosts: {
      list: () => ok([host(1), host(2, { id: 9, name: 'ops-key', kind: 'ssh-key' as const })]),
      addCredential: (input: { name: string; kind: 'ssh-key' | 'password' }) => {
        calls.addCredential.push(input);
        stored.push({
          id: 12,
          name: input.name,
          kind: input.kind,
          createdAt: '2026-02-01T00:00:00Z',
        });
        return ok({ id: 12 });
      },
      credentials: () => credentialsAnswer(),
      fetchHostKey: ({ id }: { id: number }) =>
        id === 1
          ? ok({
              algorithm: 'ssh-ed25519',
              fingerprint: `SHA256:${'A'.repeat(43)}`,
              publicKey: 'AAAAC3NzaC1lZDI1NTE5AAAA',
            })
          : fail('SSH_CONNECT_FAILED', 'Cannot reach 10.0.0.2:22: connection refused.'),
      pin: (input: { id: number }) => {
        calls.pin.push(input);
        return ok({
          ...host(input.id),
          hostKeys: [
            {
              algorithm: 'ssh-ed25519',
              fingerprint: `SHA256:${'A'.repeat(43)}`,
              pinnedAt: '2026-01-01T00:00:00Z',
              pinnedBy: 'alice',
            },
          ],
        });
      },
      importKnownHosts: () => ok({ pinned: 2, hosts: ['h1'], skipped: ['h2'] }),
      fromAssets: (input: unknown) => {
        calls.fromAssets.push(input);
        return ok([host(3)]);
      },
      set: (input: { id: number; credentialId: number }) =>
        ok(host(input.id, { id: input.credentialId, name: 'ops-key', kind: 'ssh-key' })),
      add: () => fail('HOST_EXISTS', 'A host named h1 already exists.'),
    },
    jobs: {
      cancel: (input: unknown) => {
        calls.cancel.push(input);
        return ok({ cancelled: true });
      },
      list: () => ok([]),
    },
    events: {
      onPushUpdate: (fn: (u: Update) => void) => {
        listeners.update.push(fn);
        return () => void listeners.update.splice(listeners.update.indexOf(fn), 1);
      },
      onJobFinished: (fn: (p: Finished) => void) => {
        listeners.finished.push(fn);
        return () => void listeners.finished.splice(listeners.finished.indexOf(fn), 1);
      },
    },
  };
  g.vulnzero = api;
  return {
    calls,
    listeners,
    setStatus: (s: RunStatus) => {
      current = s;
    },
    setRunAnswer: (fn: typeof runAnswer) => {
      runAnswer = fn;
    },
    failCredentials: () => {
      credentialsAnswer = () => fail('VAULT_LOCKED', 'The vault is locked.');
    },
    gateStatus: () => {
      let open: () => void = () => undefined;
      statusGate = new Promise((r) => {
        open = r;
      });
      return () => {
        statusGate = null;
        open();
      };
    },
    update: (u: Partial<Update> = {}) =>
      listeners.update.forEach((fn) =>
        fn({ runId: 7, hostId: 1, host: 'h1', step: 'apply', state: 'step-running', ...u }),
      ),
    finished: (p: Partial<Finished> = {}) =>
      listeners.finished.forEach((fn) =>
        fn({ jobId: 'job-1', kind: 'push.run', state: 'done', resultId: 7, ...p }),
      ),
  };
}

beforeEach(() => {
  usePush.setState({ ...initialPush }, true);
  useHosts.setState({ ...initialHosts }, true);
});
afterEach(() => {
  usePush.getState().reset();
  delete g.vulnzero;
});

describe('push helpers', () => {
  it('groups hosts by wave and labels the canary', () => {
    const waves = groupByWave([
      runHost(3, 2, 'pending'),
      runHost(1, 0, 'verified'),
      runHost(2, 1, 'failed'),
    ]);
    expect(waves.map((w) => [w.wave, w.hosts.map((h) => h.hostId)])).toEqual([
      [0, [1]],
      [1, [2]],
      [2, [3]],
    ]);
    expect(waveLabel(0, 3)).toBe('Wave 1 · canary');
    expect(waveLabel(1, 3)).toBe('Wave 2');
    expect(waveLabel(2, 3)).toBe('Wave 3 · the rest');
  });

  it('plans waves like the core: canary, a share of the rest, the rest', () => {
    expect(waveSizes(0, 25)).toEqual([]);
    expect(waveSizes(1, 25)).toEqual([1]);
    expect(waveSizes(2, 100)).toEqual([1, 1]);
    expect(waveSizes(10, 25)).toEqual([1, 3, 6]);
    expect(waveSizes(5, 1)).toEqual([1, 1, 3]);
  });

  it('says where an interrupted host stopped and keeps the core words otherwise', () => {
    expect(hostStateText({ state: 'interrupted', step: 'apply' })).toBe('interrupted at apply');
    expect(hostStateText({ state: 'running', step: 'verify' })).toBe('running: verify');
    expect(hostStateText({ state: 'rolled_back', step: 'verify_rollback' })).toBe('rolled_back');
    expect(stateClass('verified')).toBe('ok-text');
    expect(stateClass('paused')).toBe('warn-text');
    expect(stateClass('rollback_failed')).toBe('error-text');
  });

  it('offers resume for paused, interrupted and cancelled runs with waiting hosts', () => {
    expect(canResume(null)).toBe(false);
    expect(canResume(status('running', [runHost(1, 0, 'pending')]))).toBe(false);
    expect(canResume(status('paused', [runHost(1, 0, 'failed'), runHost(2, 1, 'pending')]))).toBe(
      true,
    );
    expect(canResume(status('interrupted', [runHost(1, 0, 'interrupted', 'apply')]))).toBe(true);
    expect(canResume(status('failed', [runHost(1, 0, 'interrupted', 'apply')]))).toBe(true);
    expect(canResume(status('done', [runHost(1, 0, 'verified')]))).toBe(false);
    // An abandoned run keeps its interrupted and cancelled hosts but is closed.
    expect(
      canResume(
        status('abandoned', [runHost(1, 0, 'interrupted', 'apply'), runHost(2, 1, 'cancelled')]),
      ),
    ).toBe(false);
  });

  it('offers abandon only for paused and interrupted runs', () => {
    expect(canAbandon(null)).toBe(false);
    expect(canAbandon(status('paused', []))).toBe(true);
    expect(canAbandon(status('interrupted', []))).toBe(true);
    for (const state of ['running', 'done', 'failed', 'cancelled', 'refused', 'abandoned'])
      expect(canAbandon(status(state, []))).toBe(false);
    expect(stateClass('abandoned')).toBe('warn-text');
    expect(runEndMessage(3, 'abandoned')).toBe(
      'Run #3 abandoned: its remaining hosts will not run.',
    );
  });

  it('offers a single-host rollback only when the run is not running', () => {
    const done = status('done', []);
    expect(canRollBack(done, runHost(1, 0, 'verified'))).toBe(true);
    expect(canRollBack(done, runHost(1, 0, 'interrupted', 'apply'))).toBe(true);
    expect(canRollBack(done, runHost(1, 0, 'rolled_back'))).toBe(false);
    expect(canRollBack(done, runHost(1, 0, 'checked'))).toBe(false);
    expect(canRollBack(status('running', []), runHost(1, 0, 'verified'))).toBe(false);
  });

  it('says how a run ended', () => {
    expect(runEndMessage(3, 'done')).toBe('Run #3 finished.');
    expect(runEndMessage(3, 'cancelled')).toContain('aborted');
    expect(runEndMessage(3, 'refused')).toContain('no longer matches');
    expect(runEndMessage(3, 'odd')).toBe('Run #3 ended: odd.');
  });

  it('lists live approvals, known credentials, durations and transcripts', () => {
    expect(isLive(approval(1, 'approved', '2099-01-01T00:00:00Z'))).toBe(true);
    expect(isLive(approval(1, 'approved', '2000-01-01T00:00:00Z'))).toBe(false);
    expect(isLive(approval(1, 'revoked', '2099-01-01T00:00:00Z'))).toBe(false);
    const cred = { id: 2, name: 'k', kind: 'ssh-key' as const };
    const stored = { id: 1, name: 'p', kind: 'password' as const, createdAt: '2026-01-01' };
    // Stored ones and any a host names, once each, by name, without extra fields.
    expect(knownCredentials([host(1, cred), host(2, cred)], [stored])).toEqual([
      cred,
      { id: 1, name: 'p', kind: 'password' },
    ]);
    expect(knownCredentials([], [])).toEqual([]);
    expect(formatDuration(null)).toBe('—');
    expect(formatDuration(40)).toBe('40 ms');
    expect(formatDuration(1500)).toBe('1.50 s');
    const s = status('done', [runHost(1, 0, 'verified')]);
    expect(stepsOf(s, 1).map((x) => x.stdout)).toEqual(['applied']);
    expect(stepsOf(s, 2)).toEqual([]);
    expect(stepsOf(null, 1)).toEqual([]);
  });
});

describe('push store', () => {
  it('starts a run with the confirmation, adopts its id from the first update, finishes on jobFinished', async () => {
    const fake = fakeApi();
    const off = usePush.getState().listen();
    expect(await usePush.getState().start({ approvalId: 5, dryRun: true })).toBe(true);
    expect(fake.calls.run).toEqual([{ approvalId: 5, confirm: true, dryRun: true }]);
    expect(usePush.getState().job).toMatchObject({ jobId: 'job-1', kind: 'push.run', runId: null });

    fake.update();
    await settle();
    const s = usePush.getState();
    expect(s.job?.runId).toBe(7);
    expect(s.job?.jobId).toBe('job-1');
    expect(s.selectedRunId).toBe(7);
    expect(s.status?.id).toBe(7);
    expect(s.live[1]?.state).toBe('step-running');

    fake.setStatus(status('paused', [runHost(1, 0, 'rolled_back'), runHost(2, 1, 'pending')]));
    fake.finished();
    await settle();
    expect(usePush.getState().job).toBeNull();
    expect(usePush.getState().message).toContain('Run #7 paused by the circuit breaker');
    expect(usePush.getState().status?.state).toBe('paused');
    expect(usePush.getState().runs[0]?.state).toBe('paused');
    off();
  });

  it('keeps a jobFinished that arrives before the run call answers', async () => {
    const fake = fakeApi();
    const off = usePush.getState().listen();
    let answer: (v: { ok: true; value: { jobId: string } }) => void = () => undefined;
    fake.setRunAnswer(() => new Promise((r) => (answer = r)));
    const started = usePush.getState().start({ approvalId: 5, dryRun: false });
    fake.finished({
      state: 'failed',
      resultId: undefined,
      error: { code: 'APPROVAL_INVALID', message: 'Approval #5 is revoked.' },
    });
    answer({ ok: true, value: { jobId: 'job-1' } });
    expect(await started).toBe(true);
    expect(usePush.getState().job).toBeNull();
    expect(usePush.getState().error).toBe('Approval #5 is revoked.');
    off();
  });

  it("shows the core's refusal of a run and starts nothing", async () => {
    const fake = fakeApi();
    fake.setRunAnswer(() => fail('INVALID_INPUT', 'Concurrency 20 is above the approved 10.'));
    expect(await usePush.getState().start({ approvalId: 5, dryRun: false, concurrency: 20 })).toBe(
      false,
    );
    expect(fake.calls.run).toEqual([{ approvalId: 5, confirm: true, concurrency: 20 }]);
    expect(usePush.getState().job).toBeNull();
    expect(usePush.getState().error).toBe('Concurrency 20 is above the approved 10.');
  });

  it('aborts through jobs.cancel and reports the cancellation', async () => {
    const fake = fakeApi();
    const off = usePush.getState().listen();
    await usePush.getState().start({ approvalId: 5, dryRun: false });
    await usePush.getState().abort();
    expect(fake.calls.cancel).toEqual([{ jobId: 'job-1' }]);
    expect(usePush.getState().job?.cancelling).toBe(true);
    fake.finished({ state: 'cancelled' });
    await settle();
    expect(usePush.getState().job).toBeNull();
    expect(usePush.getState().message).toContain('aborted');
    off();
  });

  it('resumes and rolls back one host with confirmations; one push job at a time', async () => {
    const fake = fakeApi();
    const off = usePush.getState().listen();
    expect(await usePush.getState().resume(7)).toBe(true);
    expect(fake.calls.resume).toEqual([{ runId: 7, confirm: true }]);
    expect(usePush.getState().selectedRunId).toBe(7);
    expect(usePush.getState().job).toMatchObject({ kind: 'push.resume', runId: 7, jobId: 'job-2' });
    expect(await usePush.getState().rollbackHost(7, 1)).toBe(false);
    expect(usePush.getState().error).toContain('already running');
    fake.finished({ jobId: 'job-2', kind: 'push.resume' });
    await settle();
    expect(await usePush.getState().rollbackHost(7, 1)).toBe(true);
    expect(fake.calls.rollback).toEqual([{ runId: 7, hostId: 1, confirm: true }]);
    fake.finished({ jobId: 'job-3', kind: 'push.rollback' });
    await settle();
    expect(usePush.getState().message).toBe('Rollback of one host in run #7 finished.');
    off();
  });

  it('ignores updates of other runs and other job kinds', async () => {
    const fake = fakeApi();
    const off = usePush.getState().listen();
    await usePush.getState().selectRun(7);
    const before = fake.calls.status.length;
    fake.update({ runId: 8 });
    fake.finished({ jobId: 'x', kind: 'drafts.create', resultId: 7 });
    await settle();
    expect(usePush.getState().live).toEqual({});
    expect(fake.calls.status.length).toBe(before);
    off();
  });

  it('reads the status once at a time and once more when asked meanwhile', async () => {
    const fake = fakeApi();
    await usePush.getState().selectRun(7);
    const before = fake.calls.status.length;
    const open = fake.gateStatus();
    const first = usePush.getState().refreshStatus();
    void usePush.getState().refreshStatus();
    void usePush.getState().refreshStatus();
    open();
    await first;
    expect(fake.calls.status.length - before).toBe(2);
  });

  it('loads approvals and keeps a chosen live one, else the newest live one', async () => {
    fakeApi();
    usePush.getState().chooseApproval(3); // revoked: not offered
    await usePush.getState().loadApprovals();
    expect(usePush.getState().chosenApprovalId).toBe(5);
    expect(usePush.getState().approvals).toHaveLength(3);
  });
});

describe('abandoning a run', () => {
  it('closes a paused run with the reason and the confirmation; shows abandoned in view and history', async () => {
    const fake = fakeApi();
    fake.setStatus(status('paused', [runHost(1, 0, 'rolled_back'), runHost(2, 1, 'pending')]));
    await usePush.getState().loadRuns();
    await usePush.getState().selectRun(7);
    expect(usePush.getState().runs[0]?.state).toBe('paused');
    expect(await usePush.getState().abandon(7, '  host retired  ')).toBe(true);
    expect(fake.calls.abandon).toEqual([{ runId: 7, reason: 'host retired', confirm: true }]);
    const st = usePush.getState();
    expect(st.status?.state).toBe('abandoned');
    expect(st.status?.error).toBe('host retired');
    expect(st.status?.hosts.map((h) => h.state)).toEqual(['rolled_back', 'cancelled']);
    expect(st.runs[0]?.state).toBe('abandoned');
    expect(st.message).toBe(
      'Run #7 abandoned: its remaining hosts will not run. 1 host cancelled.',
    );
    expect(st.error).toBeNull();
    expect(st.busy).toBe(false);
    expect(canResume(st.status)).toBe(false);
    expect(canAbandon(st.status)).toBe(false);
  });

  it('asks for a reason and waits for a running job; sends nothing meanwhile', async () => {
    const fake = fakeApi();
    fake.setStatus(status('interrupted', [runHost(1, 0, 'interrupted', 'apply')]));
    expect(await usePush.getState().abandon(7, '   ')).toBe(false);
    expect(usePush.getState().error).toBe('Say why the run is abandoned.');
    usePush.setState({
      job: { jobId: 'job-9', kind: 'push.run', runId: 8, cancelling: false, token: 99 },
    });
    expect(await usePush.getState().abandon(7, 'retired')).toBe(false);
    expect(usePush.getState().error).toContain('A push job is running');
    expect(fake.calls.abandon).toEqual([]);
  });

  it("shows the core's refusal and leaves the run as it is", async () => {
    const fake = fakeApi();
    fake.setStatus(status('done', [runHost(1, 0, 'verified')]));
    await usePush.getState().selectRun(7);
    expect(await usePush.getState().abandon(7, 'retired')).toBe(false);
    expect(fake.calls.abandon).toHaveLength(1);
    expect(usePush.getState().error).toBe(
      'Run #7 is done; only a paused or interrupted run can be abandoned.',
    );
    expect(usePush.getState().status?.state).toBe('done');
    expect(usePush.getState().busy).toBe(false);
  });

  it('updates only the history when another run is shown', async () => {
    const fake = fakeApi();
    fake.setStatus(status('paused', [runHost(2, 1, 'pending')]));
    await usePush.getState().loadRuns();
    usePush.setState({ selectedRunId: 8, status: status('done', [], 8) });
    expect(await usePush.getState().abandon(7, 'retired')).toBe(true);
    expect(usePush.getState().status?.id).toBe(8);
    expect(usePush.getState().runs.find((r) => r.id === 7)?.state).toBe('abandoned');
  });
});

describe('hosts store', () => {
  it('reads every stored credential with the hosts, for the pickers', async () => {
    fakeApi();
    await useHosts.getState().load();
    const st = useHosts.getState();
    expect(st.hosts.map((h) => h.id)).toEqual([1, 2]);
    expect(st.credentials.map((c) => c.id)).toEqual([9, 4]);
    expect(knownCredentials(st.hosts, st.credentials).map((c) => c.name)).toEqual([
      'break-glass',
      'ops-key',
    ]);
  });

  it('keeps the hosts when the credential list cannot be read', async () => {
    const fake = fakeApi();
    fake.failCredentials();
    await useHosts.getState().load();
    expect(useHosts.getState().hosts).toHaveLength(2);
    expect(useHosts.getState().credentials).toEqual([]);
    expect(useHosts.getState().error).toBe('The vault is locked.');
    // Credentials hosts name are still offered.
    expect(knownCredentials(useHosts.getState().hosts, []).map((c) => c.id)).toEqual([9]);
  });

  it('stores a credential and keeps only its name and kind', async () => {
    const fake = fakeApi();
    const id = await useHosts.getState().addCredential({
      kind: 'ssh-key',
      name: 'ops',
      privateKey: 'x'.repeat(50),
      passphrase: 'pp',
    });
    expect(id).toBe(12);
    expect(fake.calls.addCredential).toHaveLength(1);
    // The vault's list is read again: the new credential is offered, without its secret.
    expect(useHosts.getState().credentials.find((c) => c.id === 12)).toEqual({
      id: 12,
      name: 'ops',
      kind: 'ssh-key',
      createdAt: '2026-02-01T00:00:00Z',
    });
    expect(JSON.stringify(useHosts.getState())).not.toContain('xxxxx');
    expect(useHosts.getState().message).toContain('“ops” stored in the vault');
  });

  it('fetches a key, pins exactly that key with the confirmation, then forgets it', async () => {
    const fake = fakeApi();
    await useHosts.getState().load();
    const key = await useHosts.getState().fetchHostKey(1);
    expect(key?.fingerprint).toBe(`SHA256:${'A'.repeat(43)}`);
    expect(useHosts.getState().fetched[1]).toEqual(key);
    expect(await useHosts.getState().pin(1)).toBe(true);
    expect(fake.calls.pin).toEqual([{ id: 1, ...key, confirm: true }]);
    expect(useHosts.getState().fetched[1]).toBeUndefined();
    expect(useHosts.getState().hosts.find((h) => h.id === 1)?.hostKeys).toHaveLength(1);
    expect(await useHosts.getState().pin(2)).toBe(false); // nothing fetched for it
  });

  it("shows the core's message when a host cannot be reached or added", async () => {
    fakeApi();
    expect(await useHosts.getState().fetchHostKey(2)).toBeNull();
    expect(useHosts.getState().error).toBe('Cannot reach 10.0.0.2:22: connection refused.');
    expect(
      await useHosts.getState().add({ name: 'h1', address: '10.0.0.1', username: 'ops' }),
    ).toBe(false);
    expect(useHosts.getState().error).toBe('A host named h1 already exists.');
  });

  it('imports known_hosts, sets a credential and makes hosts from assets', async () => {
    const fake = fakeApi();
    await useHosts.getState().load();
    expect(await useHosts.getState().importKnownHosts('line')).toBe(true);
    expect(useHosts.getState().message).toBe(
      'known_hosts: 2 new keys pinned for h1; no entry for h2.',
    );
    expect(await useHosts.getState().setCredential(1, 9)).toBe(true);
    expect(useHosts.getState().hosts.find((h) => h.id === 1)?.credential?.id).toBe(9);
    const made = await useHosts.getState().fromAssets([4, 5], 'ops', 9);
    expect(made?.map((h) => h.id)).toEqual([3]);
    expect(fake.calls.fromAssets).toEqual([{ assetIds: [4, 5], username: 'ops', credentialId: 9 }]);
  });
});
