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

/** A draft is host scripts (pushed over SSH) or a patch to a dependency manifest (exported). */
export const DRAFT_KINDS = ['script', 'patch'] as const;
export const MANIFEST_KINDS = ['npm', 'pypi', 'maven'] as const;
/** Largest manifest a patch draft reads (bytes). */
export const MANIFEST_MAX_BYTES = 1_048_576;

/** One version bump in a manifest: the manifest's spelling of the name, both specs, the line. */
export const patchBump = z.object({
  name: z.string().min(1).max(300),
  from: z.string().min(1).max(200),
  to: z.string().min(1).max(200),
  line: z.number().int().positive(),
});
export const patchContent = z.object({
  /** Path of the manifest inside the repository, as the diff headers name it (a/FILE, b/FILE). */
  file: z.string().min(1).max(300),
  manifest: z.enum(MANIFEST_KINDS),
  /** The manifest as the operator gave it: what the patch applies to. */
  base: z.string().max(MANIFEST_MAX_BYTES),
  baseSha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Unified diff, applies with `git apply` or `patch -p1` in the repository root. */
  diff: z
    .string()
    .min(1)
    .max(2 * MANIFEST_MAX_BYTES),
  bumps: z.array(patchBump).min(1).max(1000),
  /** Dependencies of the findings the patch does not change, with the reason. */
  skipped: z.array(z.object({ name: z.string(), reason: z.string() })).max(5000),
  notes: z.string().max(4000),
});
export type PatchContent = z.infer<typeof patchContent>;

/** What exporting an approved patch wrote. */
export const patchExport = z.object({
  draftId: z.number(),
  version: z.number(),
  approvalId: z.number(),
  path: z.string(),
  file: z.string(),
  sha256: z.string(),
  bytes: z.number(),
});

/** Where a lint or policy result points: a script step, or the patch of a patch draft. */
export const CHECKED_PARTS = [...STEPS, 'patch'] as const;

export const lintResult = z.object({
  step: z.enum(CHECKED_PARTS),
  tool: z.enum(['sh -n', 'shellcheck', 'patch --dry-run', 'diff', 'manifest']),
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
  step: z.enum(CHECKED_PARTS),
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
  /** The four scripts of a script draft; null for a patch draft. */
  content: draftContent.nullable(),
  /** The manifest patch of a patch draft; null for a script draft. */
  patch: patchContent.nullable(),
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
  kind: z.enum(DRAFT_KINDS),
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
