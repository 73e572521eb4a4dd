import { create } from 'zustand';
import type { Input, Output } from '../../../src-preload/contract';
import { call, errorMessage } from '../api/client';
import type { DraftDetail, DraftSummary, DraftVersion, StepDiff } from './drafts';
import type { ApprovalInfo } from './push';

export type { ApprovalInfo };
export type ApproveInput = Input<'approvals.approve'>;
export type RunOptions = NonNullable<ApproveInput['options']>;

/** The core's defaults (src-main/push/approvals.ts), shown in the form. */
export const DEFAULT_OPTIONS = {
  wavePercent: 25,
  concurrency: 10,
  stepTimeoutSec: 600,
  maxFailPercent: 10,
} as const;
export const DEFAULT_EXPIRY_HOURS = 24;

/** The approval form as the operator types it (text fields). */
export interface ApprovalForm {
  wavePercent: string;
  concurrency: string;
  stepTimeoutSec: string;
  maxFailPercent: string;
  expiresInHours: string;
}

export function defaultForm(): ApprovalForm {
  return {
    wavePercent: String(DEFAULT_OPTIONS.wavePercent),
    concurrency: String(DEFAULT_OPTIONS.concurrency),
    stepTimeoutSec: String(DEFAULT_OPTIONS.stepTimeoutSec),
    maxFailPercent: String(DEFAULT_OPTIONS.maxFailPercent),
    expiresInHours: String(DEFAULT_EXPIRY_HOURS),
  };
}

const LIMITS: Record<
  keyof ApprovalForm,
  { label: string; min: number; max: number; int: boolean }
> = {
  wavePercent: { label: 'Second wave', min: 1, max: 100, int: true },
  concurrency: { label: 'Concurrency', min: 1, max: 100, int: true },
  stepTimeoutSec: { label: 'Step timeout', min: 5, max: 21_600, int: true },
  maxFailPercent: { label: 'Max failures', min: 0, max: 100, int: true },
  expiresInHours: { label: 'Expiry', min: 1, max: 168, int: false },
};

/** Checks the form against the contract's limits; the options and expiry, or a message. */
export function parseForm(
  form: ApprovalForm,
): { ok: true; options: RunOptions; expiresInHours: number } | { ok: false; error: string } {
  const values: Partial<Record<keyof ApprovalForm, number>> = {};
  for (const key of Object.keys(LIMITS) as (keyof ApprovalForm)[]) {
    const { label, min, max, int } = LIMITS[key];
    const text = form[key].trim();
    const n = Number(text);
    if (text === '' || !Number.isFinite(n) || (int && !Number.isInteger(n)) || n < min || n > max)
      return {
        ok: false,
        error: `${label}: a${int ? 'n integer' : ' number'} from ${min} to ${max}.`,
      };
    values[key] = n;
  }
  return {
    ok: true,
    options: {
      wavePercent: values.wavePercent!,
      concurrency: values.concurrency!,
      stepTimeoutSec: values.stepTimeoutSec!,
      maxFailPercent: values.maxFailPercent!,
    },
    expiresInHours: values.expiresInHours!,
  };
}

/** Approvals of one draft version, newest first. */
export function approvalsOfVersion(
  approvals: readonly ApprovalInfo[],
  draftVersionId: number,
): ApprovalInfo[] {
  return approvals.filter((a) => a.draftVersionId === draftVersionId);
}

/** Why a version cannot be approved (blocked by policy, not ready), or null. */
export function approvalBlocker(
  detail: Pick<DraftDetail, 'state'>,
  version: DraftVersion | undefined,
): string | null {
  if (!version) return 'This draft has no version.';
  if (version.policy.blocked || detail.state === 'blocked')
    return 'This version is BLOCKED by policy and cannot be approved. Edit it on the Drafts screen.';
  if (detail.state !== 'ready')
    return `This draft is ${detail.state}; only a draft marked ready can be approved.`;
  return null;
}

interface ApprovalsState {
  drafts: DraftSummary[];
  approvals: ApprovalInfo[];
  loading: boolean;
  selectedDraftId: number | null;
  detail: DraftDetail | null;
  /** Diff from the previous version to the latest (null: one version only, or not loaded). */
  diff: StepDiff[] | null;
  busy: boolean;
  error: string | null;
  message: string | null;
  /** Outcome of a revocation (shown by the approvals table). */
  revokeFeedback: { error: string | null; message: string | null };
  load: () => Promise<void>;
  select: (id: number | null) => Promise<void>;
  approve: (input: ApproveInput) => Promise<ApprovalInfo | null>;
  reject: (comment: string) => Promise<boolean>;
  revoke: (id: number, reason: string) => Promise<boolean>;
  clearFeedback: () => void;
  reset: () => void;
}

export const useApprovals = create<ApprovalsState>((set, get) => {
  const initial = {
    drafts: [] as DraftSummary[],
    approvals: [] as ApprovalInfo[],
    loading: false,
    selectedDraftId: null as number | null,
    detail: null as DraftDetail | null,
    diff: null as StepDiff[] | null,
    busy: false,
    error: null as string | null,
    message: null as string | null,
    revokeFeedback: { error: null as string | null, message: null as string | null },
  };

  return {
    ...initial,
    load: async () => {
      set({ loading: true });
      try {
        const [drafts, approvals] = await Promise.all([
          call((api) => api.drafts.list({})),
          call((api) => api.approvals.list()),
        ]);
        set({ drafts, approvals, loading: false });
        const selected = get().selectedDraftId;
        const ready = drafts.filter((d) => d.state === 'ready');
        if (selected !== null && !ready.some((d) => d.id === selected)) {
          set({ selectedDraftId: null, detail: null, diff: null });
        } else if (selected === null && ready.length > 0) {
          await get().select(ready[0]!.id);
        }
      } catch (error) {
        set({ loading: false, error: errorMessage(error) });
      }
    },
    select: async (id) => {
      if (id === null) {
        set({ selectedDraftId: null, detail: null, diff: null });
        return;
      }
      if (id !== get().selectedDraftId) set({ selectedDraftId: id, detail: null, diff: null });
      try {
        const detail = await call((api) => api.drafts.get({ id }));
        if (get().selectedDraftId !== id) return;
        set({ detail });
        const latest = detail.latestVersion;
        // A patch draft's versions are compared by their diffs, shown whole: no step diff.
        if (latest > 1 && detail.kind === 'script') {
          const steps: Output<'drafts.diff'> = await call((api) =>
            api.drafts.diff({ id, from: latest - 1, to: latest }),
          );
          if (get().selectedDraftId === id) set({ diff: steps });
        } else set({ diff: null });
      } catch (error) {
        if (get().selectedDraftId === id) set({ error: errorMessage(error) });
      }
    },
    approve: async (input) => {
      set({ busy: true, error: null, message: null });
      try {
        const approval = await call((api) => api.approvals.approve(input));
        set({
          busy: false,
          approvals: [approval, ...get().approvals.filter((a) => a.id !== approval.id)],
          message:
            approval.draftKind === 'patch'
              ? `Approval #${approval.id}: version ${approval.version} of patch draft #${approval.draftId}, SHA-256 ${approval.sha256}. Export it from the Drafts screen.`
              : `Approval #${approval.id}: version ${approval.version} of draft #${approval.draftId} for ${approval.targets.length} host${approval.targets.length === 1 ? '' : 's'}, SHA-256 ${approval.sha256}.`,
        });
        return approval;
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
        return null;
      }
    },
    reject: async (comment) => {
      const detail = get().detail;
      const latest = detail?.versions.at(-1);
      if (!detail || !latest) return false;
      if (!comment.trim()) {
        set({ error: 'A rejection needs a comment.' });
        return false;
      }
      set({ busy: true, error: null, message: null });
      try {
        await call((api) =>
          api.approvals.reject({ draftVersionId: latest.id, comment: comment.trim() }),
        );
        set({
          busy: false,
          message: `Version ${latest.version} of draft #${detail.id} rejected; the draft is back to “draft”.`,
          selectedDraftId: null,
          detail: null,
          diff: null,
        });
        await get().load();
        return true;
      } catch (error) {
        set({ busy: false, error: errorMessage(error) });
        return false;
      }
    },
    revoke: async (id, reason) => {
      if (!reason.trim()) {
        set({ revokeFeedback: { error: 'A revocation needs a reason.', message: null } });
        return false;
      }
      set({ busy: true, revokeFeedback: { error: null, message: null } });
      try {
        const approval = await call((api) =>
          api.approvals.revoke({ id, reason: reason.trim(), confirm: true }),
        );
        set({
          busy: false,
          approvals: get().approvals.map((a) => (a.id === id ? approval : a)),
          revokeFeedback: { error: null, message: `Approval #${id} revoked.` },
        });
        return true;
      } catch (error) {
        set({ busy: false, revokeFeedback: { error: errorMessage(error), message: null } });
        return false;
      }
    },
    clearFeedback: () =>
      set({ error: null, message: null, revokeFeedback: { error: null, message: null } }),
    reset: () => set({ ...initial }),
  };
});
