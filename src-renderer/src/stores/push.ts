import { create } from 'zustand';
import type { EventPayload, Input, Output } from '../../../src-preload/contract';
import { bridge, call, errorMessage } from '../api/client';

export type HostInfo = Output<'hosts.list'>[number];
export type HostKey = Output<'hosts.fetchHostKey'>;
export type HostInput = Input<'hosts.add'>;
export type CredentialInput = Input<'hosts.addCredential'>;
export type Credential = NonNullable<HostInfo['credential']>;
/** A credential as the vault lists it (names and kinds only; secrets never leave the core). */
export type StoredCredential = Output<'hosts.credentials'>[number];
export type ApprovalInfo = Output<'approvals.list'>[number];
export type RunStatus = Output<'push.status'>;
export type RunSummary = Output<'push.list'>[number];
export type RunHost = RunStatus['hosts'][number];
export type RunStep = RunStatus['steps'][number];
export type PushUpdate = EventPayload<'pushUpdate'>;
type JobFinished = EventPayload<'jobFinished'>;

/** Job kinds of the push channels (progress and jobFinished carry them). */
export const PUSH_KINDS = ['push.run', 'push.resume', 'push.rollback'] as const;
export type PushKind = (typeof PUSH_KINDS)[number];
const isPushKind = (kind: string): kind is PushKind =>
  (PUSH_KINDS as readonly string[]).includes(kind);

/** Host states a resume picks up again (the core's rule). */
export const RESUMABLE_HOST_STATES = ['pending', 'interrupted', 'cancelled'] as const;
/** Host states a single-host rollback makes sense for. */
export const ROLLBACK_HOST_STATES = [
  'verified',
  'already_fixed',
  'failed',
  'interrupted',
  'rollback_failed',
  'cancelled',
] as const;

/** Run states an operator may close with "Abandon" (the core also takes failed and cancelled runs). */
export const ABANDONABLE_RUN_STATES = ['paused', 'interrupted'] as const;

/** Whether a run can be resumed: not running or abandoned, and some host is pending or interrupted. */
export function canResume(status: Pick<RunStatus, 'state' | 'hosts'> | null): boolean {
  if (!status || status.state === 'running' || status.state === 'abandoned') return false;
  return status.hosts.some((h) => (RESUMABLE_HOST_STATES as readonly string[]).includes(h.state));
}

/** Whether a run can be abandoned: paused or interrupted (nothing runs on it). */
export function canAbandon(status: Pick<RunStatus, 'state'> | null): boolean {
  return status !== null && (ABANDONABLE_RUN_STATES as readonly string[]).includes(status.state);
}

export function canRollBack(status: Pick<RunStatus, 'state'> | null, host: RunHost): boolean {
  if (!status || status.state === 'running') return false;
  return (ROLLBACK_HOST_STATES as readonly string[]).includes(host.state);
}

/** A run's hosts by wave, in wave order (wave 0 is the canary). */
export function groupByWave(hosts: readonly RunHost[]): { wave: number; hosts: RunHost[] }[] {
  const waves = new Map<number, RunHost[]>();
  for (const h of hosts) waves.set(h.wave, [...(waves.get(h.wave) ?? []), h]);
  return [...waves.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([wave, list]) => ({ wave, hosts: list }));
}

/** Wave sizes the core plans: a canary of one, wavePercent % of the rest, then the rest. */
export function waveSizes(hosts: number, wavePercent: number): number[] {
  if (hosts <= 0) return [];
  const rest = hosts - 1;
  const second = Math.min(rest, Math.max(1, Math.ceil((rest * wavePercent) / 100)));
  return [1, second, rest - second].filter((n) => n > 0);
}

export function waveLabel(wave: number, total: number): string {
  if (wave === 0) return 'Wave 1 · canary';
  return wave === total - 1 && total > 2 ? `Wave ${wave + 1} · the rest` : `Wave ${wave + 1}`;
}

/** What the operator reads in a host's state cell ("interrupted at apply", "running: verify"). */
export function hostStateText(host: Pick<RunHost, 'state' | 'step'>): string {
  if (host.state === 'interrupted') return `interrupted at ${host.step ?? 'an unknown step'}`;
  if (host.state === 'running') return host.step ? `running: ${host.step}` : 'running';
  // The core's words (as `vulnzero push status` prints them).
  return host.state;
}

/** CSS class for a host or run state. */
export function stateClass(state: string): string {
  if (['verified', 'already_fixed', 'checked', 'done', 'ok'].includes(state)) return 'ok-text';
  if (['running', 'pending', 'not_applicable'].includes(state)) return 'muted';
  if (
    ['rolled_back', 'paused', 'cancelled', 'interrupted', 'not_safe', 'abandoned'].includes(state)
  )
    return 'warn-text';
  return 'error-text';
}

/** What the operator reads when a run's job ends. */
export function runEndMessage(runId: number, state: string): string {
  switch (state) {
    case 'done':
      return `Run #${runId} finished.`;
    case 'paused':
      return `Run #${runId} paused by the circuit breaker: read the failed hosts, then resume or leave it.`;
    case 'cancelled':
      return `Run #${runId} aborted: no new host started; running steps were interrupted safely.`;
    case 'failed':
      return `Run #${runId} finished with failed hosts.`;
    case 'refused':
      return `Run #${runId} refused: the approval no longer matches what is stored.`;
    case 'abandoned':
      return `Run #${runId} abandoned: its remaining hosts will not run.`;
    default:
      return `Run #${runId} ended: ${state}.`;
  }
}

/** The transcript of one host: its steps in the order they ran. */
export function stepsOf(status: RunStatus | null, hostId: number): RunStep[] {
  return status ? status.steps.filter((s) => s.hostId === hostId) : [];
}

export function formatDuration(ms: number | null): string {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} ms`;
  return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
}

/** An approval a push may start from: approved and not past its expiry. */
export function isLive(a: ApprovalInfo, now = Date.now()): boolean {
  return a.state === 'approved' && Date.parse(a.expiresAt) > now;
}

/**
 * The credentials a picker offers: every credential the vault stores, plus any a host
 * names that the list does not have yet (it is read when the hosts are); by name.
 */
export function knownCredentials(
  hosts: readonly HostInfo[],
  stored: readonly Credential[],
): Credential[] {
  const out: Credential[] = [];
  for (const c of [...stored, ...hosts.map((h) => h.credential)])
    if (c && !out.some((x) => x.id === c.id)) out.push({ id: c.id, name: c.name, kind: c.kind });
  return out.sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
}

// ---------------------------------------------------------------------------------------
// Hosts, credentials and host keys
// ---------------------------------------------------------------------------------------

interface HostsState {
  hosts: HostInfo[];
  /** Stored credentials, names and kinds only (hosts.credentials; secrets never come back). */
  credentials: StoredCredential[];
  /** Keys read with "Fetch host key", not pinned until the operator confirms. */
  fetched: Record<number, HostKey>;
  fetching: number | null;
  loading: boolean;
  busy: boolean;
  error: string | null;
  message: string | null;
  /** Reads the hosts and the stored credentials. */
  load: () => Promise<void>;
  loadCredentials: () => Promise<void>;
  add: (input: HostInput) => Promise<boolean>;
  addCredential: (input: CredentialInput) => Promise<number | null>;
  setCredential: (hostId: number, credentialId: number) => Promise<boolean>;
  fetchHostKey: (hostId: number) => Promise<HostKey | null>;
  forgetFetched: (hostId: number) => void;
  pin: (hostId: number) => Promise<boolean>;
  importKnownHosts: (text: string) => Promise<boolean>;
  fromAssets: (
    assetIds: number[],
    username: string,
    credentialId?: number,
  ) => Promise<HostInfo[] | null>;
  reset: () => void;
}

export const useHosts = create<HostsState>((set, get) => {
  const initial = {
    hosts: [] as HostInfo[],
    credentials: [] as StoredCredential[],
    fetched: {} as Record<number, HostKey>,
    fetching: null as number | null,
    loading: false,
    busy: false,
    error: null as string | null,
    message: null as string | null,
  };
  const action = async <T>(fn: () => Promise<T>, success: (v: T) => string): Promise<T | null> => {
    set({ busy: true, error: null, message: null });
    try {
      const value = await fn();
      set({ busy: false, message: success(value) });
      return value;
    } catch (error) {
      set({ busy: false, error: errorMessage(error) });
      return null;
    }
  };
  const replace = (host: HostInfo) =>
    set({
      hosts: get().hosts.some((h) => h.id === host.id)
        ? get().hosts.map((h) => (h.id === host.id ? host : h))
        : [...get().hosts, host],
    });

  return {
    ...initial,
    load: async () => {
      set({ loading: true });
      const credentials = get().loadCredentials();
      try {
        set({ hosts: await call((api) => api.hosts.list()), loading: false });
      } catch (error) {
        set({ loading: false, error: errorMessage(error) });
      }
      await credentials;
    },
    loadCredentials: async () => {
      try {
        set({ credentials: await call((api) => api.hosts.credentials()) });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    add: async (input) => {
      const host = await action(
        () => call((api) => api.hosts.add(input)),
        (h) => `Host ${h.name} added. Fetch its host key and pin it before pushing.`,
      );
      if (host) replace(host);
      return host !== null;
    },
    addCredential: async (input) => {
      const out = await action(
        () => call((api) => api.hosts.addCredential(input)),
        (r) => `Credential #${r.id} “${input.name}” stored in the vault.`,
      );
      if (!out) return null;
      // Offered at once; the vault's own list (with its time) replaces it when read.
      if (!get().credentials.some((c) => c.id === out.id))
        set({
          credentials: [
            ...get().credentials,
            { id: out.id, name: input.name, kind: input.kind, createdAt: new Date().toISOString() },
          ],
        });
      await get().loadCredentials();
      return out.id;
    },
    setCredential: async (hostId, credentialId) => {
      const host = await action(
        () => call((api) => api.hosts.set({ id: hostId, credentialId })),
        (h) =>
          `Host ${h.name} now uses credential “${h.credential?.name ?? credentialId}”. Approvals that target it are void.`,
      );
      if (host) replace(host);
      return host !== null;
    },
    fetchHostKey: async (hostId) => {
      set({ fetching: hostId, error: null, message: null });
      try {
        const key = await call((api) => api.hosts.fetchHostKey({ id: hostId }));
        set({ fetching: null, fetched: { ...get().fetched, [hostId]: key } });
        return key;
      } catch (error) {
        set({ fetching: null, error: errorMessage(error) });
        return null;
      }
    },
    forgetFetched: (hostId) => {
      const fetched = { ...get().fetched };
      delete fetched[hostId];
      set({ fetched });
    },
    pin: async (hostId) => {
      const key = get().fetched[hostId];
      if (!key) return false;
      const host = await action(
        () => call((api) => api.hosts.pin({ id: hostId, ...key, confirm: true })),
        (h) => `Pinned ${key.algorithm} ${key.fingerprint} for ${h.name}.`,
      );
      if (!host) return false;
      replace(host);
      get().forgetFetched(hostId);
      return true;
    },
    importKnownHosts: async (text) => {
      const out = await action(
        () => call((api) => api.hosts.importKnownHosts({ text })),
        (r) =>
          `known_hosts: ${r.pinned} new key${r.pinned === 1 ? '' : 's'} pinned` +
          (r.hosts.length ? ` for ${r.hosts.join(', ')}` : '') +
          (r.skipped.length ? `; no entry for ${r.skipped.join(', ')}` : '') +
          '.',
      );
      if (out) await get().load();
      return out !== null;
    },
    fromAssets: async (assetIds, username, credentialId) => {
      const hosts = await action(
        () =>
          call((api) =>
            api.hosts.fromAssets({
              assetIds,
              username,
              ...(credentialId !== undefined ? { credentialId } : {}),
            }),
          ),
        (list) =>
          `${list.length} host${list.length === 1 ? '' : 's'} from the draft's assets. Pin their keys before pushing.`,
      );
      if (hosts) await get().load();
      return hosts;
    },
    reset: () => set({ ...initial }),
  };
});

// ---------------------------------------------------------------------------------------
// Runs
// ---------------------------------------------------------------------------------------

export interface PushJob {
  /** Null until the channel answers (events that arrive earlier are kept). */
  jobId: string | null;
  kind: PushKind;
  /** The run it drives: known at once for resume and rollback, from the first update for run. */
  runId: number | null;
  cancelling: boolean;
  /** Tells this job from a later one (the object is replaced as the job goes on). */
  token: number;
}

interface PushState {
  runs: RunSummary[];
  approvals: ApprovalInfo[];
  /** The approval the start form has chosen (the Approvals screen can preselect it). */
  chosenApprovalId: number | null;
  selectedRunId: number | null;
  status: RunStatus | null;
  /** The last update per host of the selected run, as it streams. */
  live: Record<number, PushUpdate>;
  /** The host whose transcript is open. */
  transcriptHostId: number | null;
  job: PushJob | null;
  busy: boolean;
  error: string | null;
  message: string | null;

  loadRuns: () => Promise<void>;
  loadApprovals: () => Promise<void>;
  chooseApproval: (id: number | null) => void;
  selectRun: (id: number | null) => Promise<void>;
  refreshStatus: () => Promise<void>;
  showTranscript: (hostId: number | null) => void;
  start: (input: { approvalId: number; dryRun: boolean; concurrency?: number }) => Promise<boolean>;
  abort: () => Promise<void>;
  resume: (runId: number) => Promise<boolean>;
  /** Closes a paused or interrupted run (push.abandon): its pending hosts are cancelled. */
  abandon: (runId: number, reason: string) => Promise<boolean>;
  rollbackHost: (runId: number, hostId: number) => Promise<boolean>;
  /** Subscribes to pushUpdate and jobFinished; returns the unsubscribe function. */
  listen: () => () => void;
  reset: () => void;
}

/** jobFinished events of push jobs whose id the renderer does not know yet. */
const early = new Map<string, JobFinished>();
const EARLY_MAX = 20;
/** One status request at a time; a request asked for meanwhile runs once afterwards. */
let reading: Promise<void> | null = null;
let again = false;
let tokens = 0;

export const usePush = create<PushState>((set, get) => {
  const initial = {
    runs: [] as RunSummary[],
    approvals: [] as ApprovalInfo[],
    chosenApprovalId: null as number | null,
    selectedRunId: null as number | null,
    status: null as RunStatus | null,
    live: {} as Record<number, PushUpdate>,
    transcriptHostId: null as number | null,
    job: null as PushJob | null,
    busy: false,
    error: null as string | null,
    message: null as string | null,
  };

  const finish = (p: JobFinished) => {
    const job = get().job;
    set({ job: null });
    const runId = p.resultId ?? job?.runId ?? null;
    if (p.state === 'done') {
      set({
        error: null,
        message:
          job?.kind === 'push.rollback'
            ? `Rollback of one host in run #${runId ?? '?'} finished.`
            : `Run #${runId ?? '?'} ended.`,
      });
    } else if (p.state === 'cancelled') {
      set({ error: null, message: runEndMessage(runId ?? 0, 'cancelled') });
    } else {
      set({ error: p.error?.message ?? 'The push job failed.', message: null });
    }
    const refreshed =
      runId !== null && get().selectedRunId === null
        ? get().selectRun(runId)
        : get().refreshStatus();
    // A run's job ends "done" whatever became of its hosts: say what the run's state is.
    if (p.state === 'done' && job?.kind !== 'push.rollback' && runId !== null)
      void refreshed.then(() => {
        const st = get().status;
        if (st?.id === runId && get().job === null)
          set({ message: runEndMessage(runId, st.state) });
      });
    void get().loadRuns();
  };

  const launch = async (
    kind: PushKind,
    runId: number | null,
    fn: () => Promise<{ jobId: string }>,
  ) => {
    if (get().job) {
      set({ error: 'A push job is already running; wait for it or abort it.' });
      return false;
    }
    const job: PushJob = { jobId: null, kind, runId, cancelling: false, token: ++tokens };
    const mine = () => get().job?.token === job.token;
    set({ job, busy: true, error: null, message: null });
    try {
      const { jobId } = await fn();
      set({ busy: false });
      if (!mine()) return true; // reset meanwhile (the vault was locked)
      const done = early.get(jobId);
      early.delete(jobId);
      set({ job: { ...get().job!, jobId } });
      if (done) finish(done);
      void get().loadRuns();
      return true;
    } catch (error) {
      if (mine()) set({ job: null });
      set({ busy: false, error: errorMessage(error) });
      return false;
    }
  };

  return {
    ...initial,

    loadRuns: async () => {
      try {
        set({ runs: await call((api) => api.push.list()) });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    loadApprovals: async () => {
      try {
        const approvals = await call((api) => api.approvals.list());
        const chosen = get().chosenApprovalId;
        set({
          approvals,
          chosenApprovalId:
            chosen !== null && approvals.some((a) => a.id === chosen && isLive(a))
              ? chosen
              : (approvals.find((a) => isLive(a))?.id ?? null),
        });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    chooseApproval: (id) => set({ chosenApprovalId: id }),

    selectRun: async (id) => {
      if (id !== get().selectedRunId)
        set({ selectedRunId: id, status: null, live: {}, transcriptHostId: null });
      if (id !== null) await get().refreshStatus();
    },
    refreshStatus: () => {
      if (reading) {
        again = true;
        return reading;
      }
      const loop = async () => {
        do {
          again = false;
          const id = get().selectedRunId;
          if (id === null) break;
          try {
            const status = await call((api) => api.push.status({ runId: id }));
            if (get().selectedRunId === id) {
              set({ status });
              // Keep the history's state in step without another round trip.
              if (get().runs.some((r) => r.id === id && r.state !== status.state))
                set({
                  runs: get().runs.map((r) => (r.id === id ? { ...r, state: status.state } : r)),
                });
            }
          } catch (error) {
            if (get().selectedRunId === id) set({ error: errorMessage(error) });
          }
        } while (again);
      };
      reading = loop().finally(() => {
        reading = null;
      });
      return reading;
    },
    showTranscript: (hostId) => set({ transcriptHostId: hostId }),

    start: ({ approvalId, dryRun, concurrency }) =>
      launch('push.run', null, () =>
        call((api) =>
          api.push.run({
            approvalId,
            confirm: true,
            ...(dryRun ? { dryRun: true } : {}),
            ...(concurrency !== undefined ? { concurrency } : {}),
          }),
        ),
      ),
    abort: async () => {
      const job = get().job;
      if (!job?.jobId) return;
      const jobId = job.jobId;
      set({ job: { ...job, cancelling: true }, error: null });
      try {
        const { cancelled } = await call((api) => api.jobs.cancel({ jobId }));
        if (!cancelled && get().job?.jobId === jobId) {
          set({ job: null, message: 'The push had already ended.' });
          void get().refreshStatus();
          void get().loadRuns();
        }
      } catch (error) {
        const now = get().job;
        if (now?.jobId === jobId) set({ job: { ...now, cancelling: false } });
        set({ error: errorMessage(error) });
      }
    },
    resume: async (runId) => {
      if (get().selectedRunId !== runId) await get().selectRun(runId);
      set({ live: {} });
      return launch('push.resume', runId, () =>
        call((api) => api.push.resume({ runId, confirm: true })),
      );
    },
    abandon: async (runId, reason) => {
      const why = reason.trim();
      if (!why) {
        set({ error: 'Say why the run is abandoned.', message: null });
        return false;
      }
      if (get().job) {
        set({ error: 'A push job is running; wait for it or abort it first.', message: null });
        return false;
      }
      set({ busy: true, error: null, message: null });
      try {
        const status = await call((api) => api.push.abandon({ runId, reason: why, confirm: true }));
        const cancelled = status.hosts.filter((h) => h.state === 'cancelled').length;
        set({
          busy: false,
          message: `${runEndMessage(runId, 'abandoned')} ${cancelled} host${cancelled === 1 ? '' : 's'} cancelled.`,
          runs: get().runs.map((r) => (r.id === runId ? { ...r, state: status.state } : r)),
        });
        if (get().selectedRunId === runId) set({ status });
        void get().loadRuns();
        return true;
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
        return false;
      }
    },
    rollbackHost: async (runId, hostId) => {
      if (get().selectedRunId !== runId) await get().selectRun(runId);
      return launch('push.rollback', runId, () =>
        call((api) => api.push.rollbackHost({ runId, hostId, confirm: true })),
      );
    },

    listen: () => {
      const api = bridge();
      const offs = [
        api.events.onPushUpdate((u) => {
          const job = get().job;
          if (job && job.runId === null && job.kind === 'push.run') {
            set({ job: { ...job, runId: u.runId } });
            if (get().selectedRunId !== u.runId) void get().selectRun(u.runId);
            void get().loadRuns();
          }
          if (u.runId !== get().selectedRunId) return;
          set({ live: { ...get().live, [u.hostId]: u } });
          void get().refreshStatus();
        }),
        api.events.onJobFinished((p) => {
          if (!isPushKind(p.kind)) return;
          const job = get().job;
          if (job?.jobId === p.jobId) finish(p);
          else if (job && job.jobId === null) {
            early.set(p.jobId, p);
            if (early.size > EARLY_MAX) early.delete(early.keys().next().value!);
          } else if (p.resultId !== undefined && p.resultId === get().selectedRunId) {
            // Another window's job on the run shown here.
            void get().refreshStatus();
            void get().loadRuns();
          }
        }),
      ];
      // A job that ended while the screen was closed, or one running that this store lost.
      void call((a) => a.jobs.list()).then(
        (jobs) => {
          const job = get().job;
          if (job?.jobId) {
            const j = jobs.find((x) => x.jobId === job.jobId);
            if (j && j.state !== 'running' && get().job?.jobId === job.jobId) {
              set({ job: null });
              void get().refreshStatus();
              void get().loadRuns();
            }
            return;
          }
          if (job) return;
          const running = jobs.filter((x) => x.state === 'running' && isPushKind(x.kind));
          if (running.length !== 1) return;
          const only = running[0]!;
          const run = get().runs.find((r) => r.state === 'running');
          set({
            job: {
              jobId: only.jobId,
              kind: only.kind as PushKind,
              runId: run?.id ?? null,
              cancelling: false,
              token: ++tokens,
            },
          });
        },
        () => undefined,
      );
      return () => offs.forEach((off) => off());
    },
    reset: () => {
      early.clear();
      set({ ...initial });
    },
  };
});
