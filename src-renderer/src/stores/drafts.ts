import { create } from 'zustand';
import type { EventPayload, Input, Output } from '../../../src-preload/contract';
import {
  DRAFT_STATES,
  STEPS,
  type DraftContent,
  type Step,
} from '../../../src-preload/drafts-schemas';
import { ApiError, bridge, call, errorMessage } from '../api/client';
import { useUi } from './ui';

export type DraftSummary = Output<'drafts.list'>[number];
export type DraftDetail = Output<'drafts.get'>;
export type DraftVersion = DraftDetail['versions'][number];
export type DraftState = DraftSummary['state'];
export type RuleGroup = Output<'drafts.groups'>[number];
export type ModelInfo = Output<'models.list'>[number];
export type DraftPolicy = Output<'drafts.policy'>;
export type PolicyInput = Input<'drafts.setPolicy'>;
export type StepDiff = Output<'drafts.diff'>[number];
export type Progress = EventPayload<'progress'>;
type JobFinished = EventPayload<'jobFinished'>;
export type Engine = 'rules' | 'llm';
export type StateFilter = DraftState | 'all';
export { DRAFT_STATES, STEPS, type DraftContent, type Step };

/** The job kind of drafts.create (progress and jobFinished events carry it). */
export const CREATE_KIND = 'drafts.create';

/** What a generation is for: one finding (from "Draft a fix") or one rule group. */
export type GenerateSource = { findingId: number } | { groupKey: string; title?: string };

export interface GenerateJob {
  /** Null until drafts.create answers (events that arrive earlier are kept, see below). */
  jobId: string | null;
  source: GenerateSource;
  engine: Engine;
  progress: Progress | null;
  cancelling: boolean;
}

export interface DiffView {
  from: number;
  to: number;
  steps: StepDiff[];
}

/** Short form of a SHA-256 for tables (the full value is in the title). */
export function shortHash(hash: string | null | undefined): string {
  return hash ? hash.slice(0, 12) : '—';
}

/** "ssh, nginx ,  ssh" → ["ssh", "nginx"]. */
export function parseServices(text: string): string[] {
  const out: string[] = [];
  for (const part of text.split(/[\s,]+/)) {
    const s = part.trim();
    if (s && !out.includes(s)) out.push(s);
  }
  return out;
}

export function sameContent(a: DraftContent | null, b: DraftContent | null): boolean {
  if (a === null || b === null) return a === b;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Drafts per state, for the filter tabs. */
export function countByState(list: DraftSummary[]): Record<StateFilter, number> {
  const counts = { all: list.length, draft: 0, ready: 0, blocked: 0, archived: 0 };
  for (const d of list) counts[d.state] += 1;
  return counts;
}

/** What the operator reads under the progress bar. */
export function progressText(job: GenerateJob): string {
  if (job.cancelling) return 'cancelling…';
  const p = job.progress;
  if (!p) return job.engine === 'rules' ? 'applying the rules…' : 'starting…';
  if (p.phase === 'loading') return p.message ?? 'loading the model';
  const tokens = p.total ? `${p.done} / ${p.total} tokens` : `${p.done} tokens`;
  // The core's message reads "N tokens, X tokens/s"; keep its rate, show our count.
  const rate = p.message ? /([\d.]+\s*tokens\/s)/.exec(p.message)?.[1] : undefined;
  return `${p.phase}: ${tokens}${rate ? `, ${rate}` : ''}`;
}

export function validateContent(content: DraftContent): string | null {
  for (const step of STEPS)
    if (content[step].trim() === '')
      return `The ${step} step is empty; write at least one command (":" does nothing).`;
  if (content.metadata.servicesToRestart.length > 20) return 'At most 20 services to restart.';
  if (content.metadata.servicesToRestart.some((s) => s.length > 100))
    return 'A service name is longer than 100 characters.';
  if (content.metadata.notes.length > 4000) return 'Notes are longer than 4,000 characters.';
  return null;
}

interface DraftsState {
  filter: StateFilter;
  list: DraftSummary[];
  listLoading: boolean;

  selectedId: number | null;
  detail: DraftDetail | null;
  /** The version shown in the lint/policy panel (defaults to the latest). */
  inspected: number | null;
  /** The editor's buffer: starts as the latest version's content. */
  editing: DraftContent | null;
  /** The version the buffer was loaded from. */
  editingFrom: number | null;
  note: string;
  /** Bumped whenever the buffer is replaced from outside (load, save, discard), for inputs. */
  revision: number;
  busy: boolean;
  diff: DiffView | null;

  groups: RuleGroup[];
  models: ModelInfo[];
  /** The model most recently added (its metadata and warnings are shown once). */
  addedModel: ModelInfo | null;
  policy: DraftPolicy | null;
  /** Outcome of the model registry and policy panels (kept apart from the draft's). */
  modelFeedback: { error: string | null; message: string | null };
  policyFeedback: { error: string | null; message: string | null };

  job: GenerateJob | null;
  /** Generation failure (the core's message: NO_RULE, MODEL_NOT_FOUND...). */
  jobError: string | null;
  /** Generation outcome (generated, cancelled). */
  jobMessage: string | null;

  error: string | null;
  message: string | null;

  loadList: () => Promise<void>;
  setFilter: (filter: StateFilter) => void;
  select: (id: number | null) => Promise<void>;
  refreshDetail: () => Promise<void>;
  loadGroups: () => Promise<void>;
  loadModels: () => Promise<void>;
  addModel: (path: string, name?: string) => Promise<boolean>;
  removeModel: (id: number) => Promise<boolean>;
  loadPolicy: () => Promise<void>;
  savePolicy: (policy: PolicyInput) => Promise<boolean>;

  generate: (source: GenerateSource, engine: Engine, modelId?: number) => Promise<void>;
  cancel: () => Promise<void>;
  /** Subscribes to progress and jobFinished; returns the unsubscribe function. */
  listen: () => () => void;

  setStep: (step: Step, text: string) => void;
  setMetadata: (patch: Partial<DraftContent['metadata']>) => void;
  setNote: (note: string) => void;
  /** Copies a version's content into the editor (to restore it with Save). */
  loadVersion: (version: number) => void;
  discard: () => void;
  dirty: () => boolean;
  save: () => Promise<boolean>;
  setState: (state: 'draft' | 'ready' | 'archived') => Promise<boolean>;
  recheck: () => Promise<boolean>;
  inspect: (version: number) => void;
  loadDiff: (from: number, to: number) => Promise<void>;
  closeDiff: () => void;
  setMessage: (message: string | null) => void;
  /** Forgets everything (the vault was locked). */
  reset: () => void;
}

type DraftsData = {
  [
    K in keyof DraftsState as DraftsState[K] extends (...args: never[]) => unknown ? never : K
  ]: DraftsState[K];
};

/**
 * jobFinished events for drafts.create jobs whose id the renderer does not know yet: a
 * rules draft can be done before the create call's answer arrives.
 */
const early = new Map<string, JobFinished>();
const EARLY_MAX = 20;

export const useDrafts = create<DraftsState>((set, get) => {
  const initial: DraftsData = {
    filter: 'all',
    list: [],
    listLoading: false,
    selectedId: null,
    detail: null,
    inspected: null,
    editing: null,
    editingFrom: null,
    note: '',
    revision: 0,
    busy: false,
    diff: null,
    groups: [],
    models: [],
    addedModel: null,
    policy: null,
    modelFeedback: { error: null, message: null },
    policyFeedback: { error: null, message: null },
    job: null,
    jobError: null,
    jobMessage: null,
    error: null,
    message: null,
  };

  /** Shows a detail; the editor follows the latest version unless told to keep the buffer. */
  const showDetail = (detail: DraftDetail, keepBuffer = false) => {
    const latest = detail.versions.at(-1) ?? null;
    const s = get();
    const sameDraft = s.detail?.id === detail.id;
    set({
      detail,
      selectedId: detail.id,
      inspected:
        keepBuffer && sameDraft && detail.versions.some((v) => v.version === s.inspected)
          ? s.inspected
          : (latest?.version ?? null),
      ...(keepBuffer && sameDraft
        ? {}
        : {
            editing: latest ? structuredClone(latest.content) : null,
            editingFrom: latest?.version ?? null,
            note: '',
            revision: s.revision + 1,
          }),
      ...(sameDraft ? {} : { diff: null }),
    });
    // Keep the list's row (state, versions) in step without another round trip.
    set({
      list: get().list.map((d) =>
        d.id === detail.id
          ? {
              ...d,
              state: detail.state,
              latestVersion: detail.latestVersion,
              engine: detail.engine,
              findings: detail.findings,
            }
          : d,
      ),
    });
  };

  const finish = (p: JobFinished) => {
    const job = get().job;
    set({ job: null });
    if (p.state === 'done' && p.resultId !== undefined) {
      if (job && 'findingId' in job.source) useUi.setState({ draftFindingId: null });
      set({ jobError: null, jobMessage: `Draft #${p.resultId} generated.`, filter: 'all' });
      void get().loadList();
      void get().loadGroups();
      void get().select(p.resultId);
    } else if (p.state === 'cancelled') {
      set({ jobError: null, jobMessage: 'Generation cancelled; nothing was saved.' });
    } else {
      set({ jobError: p.error?.message ?? 'Generation failed.', jobMessage: null });
    }
  };

  const action = async (
    fn: () => Promise<DraftDetail>,
    success: (d: DraftDetail) => string,
    keepBuffer = false,
  ): Promise<boolean> => {
    set({ busy: true, error: null, message: null });
    try {
      const detail = await fn();
      showDetail(detail, keepBuffer);
      set({ busy: false, message: success(detail) });
      return true;
    } catch (error) {
      set({ busy: false, error: errorMessage(error) });
      // The draft may have changed underneath (another window, a recheck): show it as it is.
      if (error instanceof ApiError && error.code !== 'INVALID_INPUT') void get().refreshDetail();
      return false;
    }
  };

  return {
    ...initial,

    loadList: async () => {
      set({ listLoading: true });
      try {
        const list = await call((api) => api.drafts.list({}));
        set({ list, listLoading: false });
      } catch (error) {
        set({ listLoading: false, error: errorMessage(error) });
      }
    },
    setFilter: (filter) => set({ filter }),

    select: async (id) => {
      if (id === null) {
        set({ selectedId: null, detail: null, editing: null, editingFrom: null, diff: null });
        return;
      }
      set({ selectedId: id, error: null, ...(get().detail?.id === id ? {} : { diff: null }) });
      try {
        const detail = await call((api) => api.drafts.get({ id }));
        if (get().selectedId === id) showDetail(detail);
      } catch (error) {
        if (get().selectedId === id) set({ error: errorMessage(error) });
      }
    },
    refreshDetail: async () => {
      const id = get().selectedId;
      if (id === null) return;
      try {
        const detail = await call((api) => api.drafts.get({ id }));
        if (get().selectedId === id) showDetail(detail, true);
      } catch {
        // The action's own error is already shown.
      }
    },

    loadGroups: async () => {
      try {
        set({ groups: await call((api) => api.drafts.groups()) });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    loadModels: async () => {
      try {
        set({ models: await call((api) => api.models.list()) });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    addModel: async (path, name) => {
      set({ busy: true, modelFeedback: { error: null, message: null }, addedModel: null });
      try {
        const model = await call((api) =>
          api.models.add({ path: path.trim(), ...(name?.trim() ? { name: name.trim() } : {}) }),
        );
        set({
          busy: false,
          addedModel: model,
          modelFeedback: { error: null, message: `Model “${model.name}” added.` },
        });
        await get().loadModels();
        return true;
      } catch (error) {
        set({ busy: false, modelFeedback: { error: errorMessage(error), message: null } });
        return false;
      }
    },
    removeModel: async (id) => {
      set({ busy: true, modelFeedback: { error: null, message: null } });
      try {
        await call((api) => api.models.remove({ id, confirm: true }));
        set({
          busy: false,
          modelFeedback: {
            error: null,
            message: 'Model removed from the registry; the file stays where it is.',
          },
          addedModel: get().addedModel?.id === id ? null : get().addedModel,
        });
        await get().loadModels();
        return true;
      } catch (error) {
        set({ busy: false, modelFeedback: { error: errorMessage(error), message: null } });
        return false;
      }
    },
    loadPolicy: async () => {
      try {
        set({ policy: await call((api) => api.drafts.policy()) });
      } catch (error) {
        set({ policyFeedback: { error: errorMessage(error), message: null } });
      }
    },
    savePolicy: async (policy) => {
      set({ busy: true, policyFeedback: { error: null, message: null } });
      try {
        await call((api) => api.drafts.setPolicy(policy));
        set({
          busy: false,
          policyFeedback: {
            error: null,
            message: 'Policy saved. Drafts are checked against it when edited or rechecked.',
          },
        });
        await get().loadPolicy();
        return true;
      } catch (error) {
        set({ busy: false, policyFeedback: { error: errorMessage(error), message: null } });
        return false;
      }
    },

    generate: async (source, engine, modelId) => {
      if (get().job) return;
      const job: GenerateJob = { jobId: null, source, engine, progress: null, cancelling: false };
      set({ job, jobError: null, jobMessage: null });
      try {
        const { jobId } = await call((api) =>
          api.drafts.create({
            ...('findingId' in source
              ? { findingId: source.findingId }
              : { groupKey: source.groupKey }),
            engine,
            ...(engine === 'llm' && modelId !== undefined ? { modelId } : {}),
          }),
        );
        const done = early.get(jobId);
        early.delete(jobId);
        if (get().job !== job) return; // reset (vault locked) meanwhile
        if (done) finish(done);
        else set({ job: { ...job, jobId } });
      } catch (error) {
        if (get().job === job) set({ job: null, jobError: errorMessage(error) });
      }
    },
    cancel: async () => {
      const job = get().job;
      if (!job?.jobId) return;
      const jobId = job.jobId;
      set({ job: { ...job, cancelling: true } });
      try {
        const { cancelled } = await call((api) => api.jobs.cancel({ jobId }));
        // Not running any more: its jobFinished event is on its way (or was missed).
        if (!cancelled && get().job?.jobId === jobId) {
          set({ job: null, jobMessage: 'The generation had already ended.' });
          void get().loadList();
        }
      } catch (error) {
        const now = get().job;
        if (now?.jobId === jobId) set({ job: { ...now, cancelling: false } });
        set({ jobError: errorMessage(error) });
      }
    },
    listen: () => {
      const api = bridge();
      const offs = [
        api.events.onProgress((p) => {
          const job = get().job;
          if (p.kind === CREATE_KIND && job?.jobId === p.jobId)
            set({ job: { ...job, progress: p } });
        }),
        api.events.onJobFinished((p) => {
          if (p.kind !== CREATE_KIND) return;
          const job = get().job;
          if (job?.jobId === p.jobId) finish(p);
          else if (job && job.jobId === null) {
            early.set(p.jobId, p);
            if (early.size > EARLY_MAX) early.delete(early.keys().next().value!);
          }
        }),
      ];
      // A job that ended while the screen was closed (its event went unheard).
      const running = get().job?.jobId;
      if (running) {
        void call((a) => a.jobs.list()).then(
          (jobs) => {
            const j = jobs.find((x) => x.jobId === running);
            if (get().job?.jobId !== running || j?.state === 'running') return;
            set({
              job: null,
              jobMessage:
                j?.state === 'done'
                  ? 'The generation finished while this screen was closed.'
                  : null,
              jobError:
                j?.state === 'failed'
                  ? 'The generation failed while this screen was closed.'
                  : null,
            });
            void get().loadList();
          },
          () => undefined,
        );
      }
      return () => offs.forEach((off) => off());
    },

    setStep: (step, text) => {
      const editing = get().editing;
      if (editing && editing[step] !== text) set({ editing: { ...editing, [step]: text } });
    },
    setMetadata: (patch) => {
      const editing = get().editing;
      if (editing) set({ editing: { ...editing, metadata: { ...editing.metadata, ...patch } } });
    },
    setNote: (note) => set({ note }),
    loadVersion: (version) => {
      const v = get().detail?.versions.find((x) => x.version === version);
      if (!v) return;
      set({
        editing: structuredClone(v.content),
        editingFrom: v.version,
        revision: get().revision + 1,
        message: `Version ${v.version} loaded into the editor; Save makes it the newest version.`,
        error: null,
        note: get().note || `Restore version ${v.version}`,
      });
    },
    discard: () => {
      const latest = get().detail?.versions.at(-1);
      set({
        editing: latest ? structuredClone(latest.content) : null,
        editingFrom: latest?.version ?? null,
        note: '',
        revision: get().revision + 1,
        message: null,
        error: null,
      });
    },
    dirty: () => {
      const latest = get().detail?.versions.at(-1);
      return !sameContent(get().editing, latest?.content ?? null);
    },
    save: async () => {
      const { detail, editing, note } = get();
      if (!detail || !editing) return false;
      const invalid = validateContent(editing);
      if (invalid) {
        set({ error: invalid, message: null });
        return false;
      }
      const content = editing;
      return action(
        () =>
          call((api) =>
            api.drafts.edit({
              id: detail.id,
              content,
              ...(note.trim() ? { note: note.trim().slice(0, 500) } : {}),
            }),
          ),
        (d) =>
          d.state === 'blocked'
            ? `Saved as version ${d.latestVersion}: blocked by policy (see the lint and policy panel).`
            : `Saved as version ${d.latestVersion}.`,
      );
    },
    setState: async (state) => {
      const detail = get().detail;
      if (!detail) return false;
      return action(
        () => call((api) => api.drafts.setState({ id: detail.id, state })),
        (d) =>
          d.state === 'ready'
            ? `Draft #${d.id} is ready for approval (version ${d.latestVersion}).`
            : d.state === 'archived'
              ? `Draft #${d.id} archived.`
              : `Draft #${d.id} is back to draft.`,
        true,
      );
    },
    recheck: async () => {
      const detail = get().detail;
      if (!detail) return false;
      return action(
        () => call((api) => api.drafts.recheck({ id: detail.id })),
        (d) =>
          d.versions.at(-1)?.policy.blocked
            ? `Rechecked version ${d.latestVersion}: blocked by policy.`
            : `Rechecked version ${d.latestVersion}.`,
        true,
      );
    },
    inspect: (version) => set({ inspected: version }),
    loadDiff: async (from, to) => {
      const detail = get().detail;
      if (!detail) return;
      set({ error: null });
      try {
        const steps = await call((api) => api.drafts.diff({ id: detail.id, from, to }));
        if (get().detail?.id === detail.id) set({ diff: { from, to, steps } });
      } catch (error) {
        set({ error: errorMessage(error) });
      }
    },
    closeDiff: () => set({ diff: null }),
    setMessage: (message) => set({ message }),
    reset: () => {
      early.clear();
      set({ ...initial });
    },
  };
});
