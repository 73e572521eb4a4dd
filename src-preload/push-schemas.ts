/**
 * Schemas of hosts, approvals and push runs. Part of the contract: like contract.ts,
 * this file may import zod and nothing else.
 */
import { z } from 'zod';

const sudoMode = z.enum(['none', 'sudo-n']);
const hostName = z.string().min(1).max(128);

export const hostInfo = z.object({
  id: z.number(),
  name: z.string(),
  address: z.string(),
  port: z.number(),
  username: z.string(),
  sudoMode,
  assetId: z.number().nullable(),
  groupName: z.string().nullable(),
  jumpHostId: z.number().nullable(),
  credential: z
    .object({ id: z.number(), name: z.string(), kind: z.enum(['ssh-key', 'password']) })
    .nullable(),
  hostKeys: z.array(
    z.object({
      algorithm: z.string(),
      fingerprint: z.string(),
      pinnedAt: z.string(),
      pinnedBy: z.string(),
    }),
  ),
});

export const hostInput = z.object({
  name: hostName,
  address: z.string().min(1).max(253),
  port: z.number().int().min(1).max(65535).optional(),
  username: z.string().min(1).max(32),
  sudoMode: sudoMode.optional(),
  assetId: z.number().int().positive().optional(),
  groupName: z.string().min(1).max(64).optional(),
  jumpHostId: z.number().int().positive().optional(),
  credentialId: z.number().int().positive().optional(),
});

export const credentialInput = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('ssh-key'),
    name: z.string().min(1).max(64),
    privateKey: z.string().min(40).max(16_384),
    passphrase: z.string().max(1024).optional(),
  }),
  z.object({
    kind: z.literal('password'),
    name: z.string().min(1).max(64),
    password: z.string().min(1).max(1024),
  }),
]);

export const hostKey = z.object({
  algorithm: z.string().min(1).max(64),
  fingerprint: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'A fingerprint looks like SHA256:…'),
  publicKey: z.string().min(16).max(16_384),
});

export const runOptions = z.object({
  wavePercent: z.number().int().min(1).max(100).optional(),
  concurrency: z.number().int().min(1).max(100).optional(),
  stepTimeoutSec: z.number().int().min(5).max(21_600).optional(),
  maxFailPercent: z.number().int().min(0).max(100).optional(),
});

export const approvalInfo = z.object({
  id: z.number(),
  draftId: z.number(),
  /** A script draft is pushed; a manifest patch (no targets) is exported. */
  draftKind: z.enum(['script', 'patch']),
  draftVersionId: z.number(),
  version: z.number(),
  sha256: z.string(),
  targets: z.array(
    z.object({
      id: z.number(),
      name: z.string(),
      address: z.string(),
      port: z.number(),
      username: z.string(),
      sudoMode: z.string(),
    }),
  ),
  options: z.object({
    wavePercent: z.number(),
    concurrency: z.number(),
    stepTimeoutSec: z.number(),
    maxFailPercent: z.number(),
  }),
  state: z.enum(['approved', 'rejected', 'revoked', 'voided', 'expired']),
  stateReason: z.string().nullable(),
  approver: z.string(),
  comment: z.string().nullable(),
  approvedAt: z.string(),
  expiresAt: z.string(),
});

export const runStatus = z.object({
  id: z.number(),
  approvalId: z.number(),
  state: z.string(),
  error: z.string().nullable(),
  options: z.object({ dryRun: z.boolean(), concurrency: z.number() }),
  startedBy: z.string(),
  startedAt: z.string(),
  finishedAt: z.string().nullable(),
  hosts: z.array(
    z.object({
      hostId: z.number(),
      name: z.string(),
      wave: z.number(),
      state: z.string(),
      step: z.string().nullable(),
      error: z.string().nullable(),
    }),
  ),
  steps: z.array(
    z.object({
      hostId: z.number(),
      step: z.string(),
      state: z.string(),
      exitCode: z.number().nullable(),
      stdout: z.string().nullable(),
      stderr: z.string().nullable(),
      stdoutTruncated: z.boolean(),
      stderrTruncated: z.boolean(),
      durationMs: z.number().nullable(),
      startedAt: z.string().nullable(),
      finishedAt: z.string().nullable(),
    }),
  ),
});

export const pushUpdate = z.object({
  runId: z.number(),
  hostId: z.number(),
  host: z.string(),
  step: z.string().nullable(),
  state: z.string(),
  message: z.string().optional(),
});
