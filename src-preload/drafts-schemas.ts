/**
 * Schemas of remediation drafts and local models. Part of the contract: like
 * contract.ts, this file may import zod and nothing else.
 */
import { z } from 'zod';

export const STEPS = ['precheck', 'apply', 'verify', 'rollback'] as const;
export type Step = (typeof STEPS)[number];
export const DRAFT_STATES = ['draft', 'ready', 'blocked', 'archived'] as const;
export const ENGINES = ['rules', 'llm', 'manual'] as const;

/** One step: a POSIX sh script. */
export const script = z.string().min(1).max(65_536);

/** What a draft is made of, whatever wrote it (rules, the model, an operator). */
export const draftContent = z.object({
  precheck: script,
  apply: script,
  verify: script,
  rollback: script,
  metadata: z.object({
    risk: z.enum(['low', 'medium', 'high']),
    rebootNeeded: z.boolean(),
    servicesToRestart: z.array(z.string().min(1).max(100)).max(20),
    notes: z.string().max(4000),
  }),
});
export type DraftContent = z.infer<typeof draftContent>;

export const lintResult = z.object({
  step: z.enum(STEPS),
  tool: z.enum(['sh -n', 'shellcheck']),
  ok: z.boolean(),
  /** False when the tool is not installed: the step was NOT linted by it. */
  ran: z.boolean(),
  messages: z.array(
    z.object({
      line: z.number().nullable(),
      level: z.string(),
      code: z.string().nullable(),
      message: z.string(),
    }),
  ),
});
export const policyFinding = z.object({
  step: z.enum(STEPS),
  rule: z.string(),
  line: z.number(),
  excerpt: z.string(),
  reason: z.string(),
});
export const policyResult = z.object({
  blocked: z.boolean(),
  airGapped: z.boolean(),
  findings: z.array(policyFinding),
  evaluatedAt: z.string(),
  /** Hash of the policy configuration the draft was checked against. */
  policyHash: z.string(),
});

export const draftVersion = z.object({
  id: z.number(),
  draftId: z.number(),
  version: z.number(),
  content: draftContent,
  engine: z.enum(ENGINES),
  modelSha256: z.string().nullable(),
  sha256: z.string(),
  lint: z.array(lintResult),
  policy: policyResult,
  createdBy: z.string(),
  createdAt: z.string(),
  note: z.string().nullable(),
});
export const draftSummary = z.object({
  id: z.number(),
  title: z.string(),
  state: z.enum(DRAFT_STATES),
  groupKey: z.string().nullable(),
  latestVersion: z.number(),
  engine: z.enum(ENGINES),
  findings: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
});
export const draftDetail = draftSummary.extend({
  versions: z.array(draftVersion),
  findingIds: z.array(z.number()),
  hosts: z.array(z.object({ assetId: z.number(), name: z.string(), os: z.string().nullable() })),
});

export const modelInfo = z.object({
  id: z.number(),
  name: z.string(),
  path: z.string(),
  size: z.number(),
  sha256: z.string(),
  metadata: z.object({
    architecture: z.string().nullable(),
    parameters: z.number().nullable(),
    contextLength: z.number().nullable(),
    quantization: z.string().nullable(),
  }),
  warnings: z.array(z.string()),
  addedBy: z.string(),
  addedAt: z.string(),
});
