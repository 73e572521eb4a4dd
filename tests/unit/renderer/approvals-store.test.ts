import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  approvalBlocker,
  approvalsOfVersion,
  defaultForm,
  parseForm,
  useApprovals,
  type ApprovalInfo,
} from '../../../src-renderer/src/stores/approvals';
import type {
  DraftContent,
  DraftDetail,
  DraftSummary,
  DraftVersion,
} from '../../../src-renderer/src/stores/drafts';

const g = globalThis as unknown as { vulnzero?: unknown };
const initial = useApprovals.getState();

const ok = <T>(value: T) => Promise.resolve({ ok: true as const, value });
const fail = (code: string, message: string) =>
  Promise.resolve({ ok: false as const, error: { code, message } });

const content: DraftContent = {
  precheck: 'true\n',
  apply: 'echo fix\n',
  verify: 'true\n',
  rollback: 'true\n',
  metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: '' },
};

function version(n: number, blocked = false): DraftVersion {
  return {
    id: 100 + n,
    draftId: 1,
    version: n,
    content,
    patch: null,
    engine: 'manual',
    modelSha256: null,
    sha256: `${n}`.repeat(64),
    lint: [],
    policy: {
      blocked,
      airGapped: true,
      findings: [],
      evaluatedAt: '2026-01-01T00:00:00Z',
      policyHash: 'p'.repeat(64),
    },
    createdBy: 'bob',
    createdAt: '2026-01-01T00:00:00Z',
    note: null,
  };
}

function detail(id: number, versions: number, state: DraftDetail['state'] = 'ready'): DraftDetail {
  return {
    id,
    title: `Draft ${id}`,
    kind: 'script',
    state,
    groupKey: null,
    latestVersion: versions,
    engine: 'manual',
    findings: 1,
    createdBy: 'bob',
    createdAt: '2026-01-01T00:00:00Z',
    versions: Array.from({ length: versions }, (_, i) => version(i + 1)),
    findingIds: [7],
    hosts: [{ assetId: 3, name: 'web1', os: null }],
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
    engine: 'manual',
    findings: 1,
    createdBy: 'bob',
    createdAt: '2026-01-01T00:00:00Z',
  };
}

function approval(id: number, draftVersionId: number, state: ApprovalInfo['state']): ApprovalInfo {
  return {
    id,
    draftId: 1,
    draftKind: 'script',
    draftVersionId,
    version: 2,
    sha256: 'f'.repeat(64),
    targets: [
      { id: 1, name: 'h1', address: '10.0.0.1', port: 22, username: 'ops', sudoMode: 'none' },
    ],
    options: { wavePercent: 25, concurrency: 10, stepTimeoutSec: 600, maxFailPercent: 10 },
    state,
    stateReason: null,
    approver: 'alice',
    comment: null,
    approvedAt: '2026-01-01T00:00:00Z',
    expiresAt: '2099-01-01T00:00:00Z',
  };
}

function fakeApi() {
  const calls = {
    get: [] as number[],
    diff: [] as unknown[],
    approve: [] as unknown[],
    reject: [] as unknown[],
    revoke: [] as unknown[],
  };
  const drafts = { 1: detail(1, 2), 2: detail(2, 1) } as Record<number, DraftDetail>;
  let list = [summary(2, 'ready'), summary(1, 'ready'), summary(3, 'draft')];
  let approveAnswer = () =>
    ok(approval(9, 102, 'approved')) as Promise<
      { ok: true; value: ApprovalInfo } | { ok: false; error: { code: string; message: string } }
    >;
  g.vulnzero = {
    drafts: {
      list: () => ok(list),
      get: ({ id }: { id: number }) => {
        calls.get.push(id);
        return ok(drafts[id]!);
      },
      diff: (input: unknown) => {
        calls.diff.push(input);
        return ok([{ step: 'apply', lines: [{ op: '+' as const, text: 'echo fix' }] }]);
      },
    },
    approvals: {
      list: () => ok([approval(8, 102, 'approved'), approval(7, 101, 'rejected')]),
      approve: (input: unknown) => {
        calls.approve.push(input);
        return approveAnswer();
      },
      reject: (input: unknown) => {
        calls.reject.push(input);
        list = list.map((d) => (d.id === 1 ? { ...d, state: 'draft' as const } : d));
        return ok({ rejected: true as const });
      },
      revoke: (input: { id: number; reason: string }) => {
        calls.revoke.push(input);
        return ok({ ...approval(input.id, 102, 'revoked'), stateReason: input.reason });
      },
    },
  };
  return {
    calls,
    setApprove: (fn: typeof approveAnswer) => {
      approveAnswer = fn;
    },
  };
}

beforeEach(() => {
  useApprovals.setState({ ...initial }, true);
});
afterEach(() => {
  delete g.vulnzero;
});

describe('approval form', () => {
  it('parses the defaults and checks every limit', () => {
    expect(parseForm(defaultForm())).toEqual({
      ok: true,
      options: { wavePercent: 25, concurrency: 10, stepTimeoutSec: 600, maxFailPercent: 10 },
      expiresInHours: 24,
    });
    expect(parseForm({ ...defaultForm(), wavePercent: '0' })).toMatchObject({
      ok: false,
      error: 'Second wave: an integer from 1 to 100.',
    });
    expect(parseForm({ ...defaultForm(), stepTimeoutSec: '4' }).ok).toBe(false);
    expect(parseForm({ ...defaultForm(), concurrency: '2.5' }).ok).toBe(false);
    expect(parseForm({ ...defaultForm(), maxFailPercent: '' }).ok).toBe(false);
    expect(parseForm({ ...defaultForm(), maxFailPercent: '0' }).ok).toBe(true);
    expect(parseForm({ ...defaultForm(), expiresInHours: '169' })).toMatchObject({
      ok: false,
      error: 'Expiry: a number from 1 to 168.',
    });
    expect(parseForm({ ...defaultForm(), expiresInHours: '1.5' })).toMatchObject({
      ok: true,
      expiresInHours: 1.5,
    });
  });

  it('refuses blocked drafts and drafts not marked ready', () => {
    expect(approvalBlocker({ state: 'ready' }, version(1))).toBeNull();
    expect(approvalBlocker({ state: 'ready' }, version(1, true))).toContain('BLOCKED by policy');
    expect(approvalBlocker({ state: 'blocked' }, version(1))).toContain('BLOCKED by policy');
    expect(approvalBlocker({ state: 'draft' }, version(1))).toContain('only a draft marked ready');
    expect(approvalBlocker({ state: 'ready' }, undefined)).toBe('This draft has no version.');
  });

  it('finds the decisions on one version', () => {
    const list = [approval(1, 101, 'approved'), approval(2, 102, 'voided')];
    expect(approvalsOfVersion(list, 102).map((a) => a.id)).toEqual([2]);
  });
});

describe('approvals store', () => {
  it('loads ready drafts and approvals and opens the first ready draft (one version: no diff)', async () => {
    const fake = fakeApi();
    await useApprovals.getState().load();
    const s = useApprovals.getState();
    expect(s.drafts).toHaveLength(3);
    expect(s.approvals.map((a) => a.id)).toEqual([8, 7]);
    expect(s.selectedDraftId).toBe(2);
    expect(s.detail?.id).toBe(2);
    expect(s.diff).toBeNull();
    expect(fake.calls.diff).toEqual([]);
  });

  it('diffs the latest version against the previous one', async () => {
    const fake = fakeApi();
    await useApprovals.getState().select(1);
    expect(fake.calls.diff).toEqual([{ id: 1, from: 1, to: 2 }]);
    expect(useApprovals.getState().diff?.[0]?.step).toBe('apply');
  });

  it('approves exactly the given version, hosts and options and shows the hash', async () => {
    const fake = fakeApi();
    await useApprovals.getState().select(1);
    const input = {
      draftVersionId: 102,
      hostIds: [1],
      options: { wavePercent: 50, concurrency: 2, stepTimeoutSec: 60, maxFailPercent: 0 },
      expiresInHours: 4,
      comment: 'ok',
    };
    const a = await useApprovals.getState().approve(input);
    expect(a?.id).toBe(9);
    expect(fake.calls.approve).toEqual([input]);
    expect(useApprovals.getState().approvals[0]?.id).toBe(9);
    expect(useApprovals.getState().message).toContain(`SHA-256 ${'f'.repeat(64)}`);
  });

  it("shows the core's refusal: self-approval, analysts, blocked drafts", async () => {
    const fake = fakeApi();
    for (const [code, message] of [
      ['APPROVAL_SELF', 'bob wrote this version; another approver must approve it.'],
      ['FORBIDDEN', 'This needs the admin or approver role; carol is analyst.'],
      ['DRAFT_BLOCKED', 'Draft #1 is blocked by policy and cannot be approved.'],
    ] as const) {
      fake.setApprove(() => fail(code, message));
      expect(
        await useApprovals.getState().approve({ draftVersionId: 102, hostIds: [1] }),
      ).toBeNull();
      expect(useApprovals.getState().error).toBe(message);
      expect(useApprovals.getState().busy).toBe(false);
    }
  });

  it('rejects the latest version with a required comment, then reloads', async () => {
    const fake = fakeApi();
    await useApprovals.getState().load();
    await useApprovals.getState().select(1);
    expect(await useApprovals.getState().reject('  ')).toBe(false);
    expect(useApprovals.getState().error).toBe('A rejection needs a comment.');
    expect(fake.calls.reject).toEqual([]);
    expect(await useApprovals.getState().reject(' unsafe restart ')).toBe(true);
    expect(fake.calls.reject).toEqual([{ draftVersionId: 102, comment: 'unsafe restart' }]);
    const s = useApprovals.getState();
    expect(s.message).toContain('rejected');
    expect(s.drafts.find((d) => d.id === 1)?.state).toBe('draft');
    expect(s.selectedDraftId).toBe(2); // the remaining ready draft
  });

  it('revokes with a reason and the confirmation', async () => {
    const fake = fakeApi();
    await useApprovals.getState().load();
    expect(await useApprovals.getState().revoke(8, '')).toBe(false);
    expect(useApprovals.getState().revokeFeedback.error).toBe('A revocation needs a reason.');
    expect(await useApprovals.getState().revoke(8, 'host retired')).toBe(true);
    expect(fake.calls.revoke).toEqual([{ id: 8, reason: 'host retired', confirm: true }]);
    const a = useApprovals.getState().approvals.find((x) => x.id === 8);
    expect(a?.state).toBe('revoked');
    expect(a?.stateReason).toBe('host retired');
    expect(useApprovals.getState().revokeFeedback.message).toBe('Approval #8 revoked.');
  });
});
