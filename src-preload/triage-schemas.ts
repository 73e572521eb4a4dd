/**
 * Schemas of the triage channels (findings list, groups, detail, risk decisions, saved
 * views, dashboard, asset detail). Part of the contract: like contract.ts, this file may
 * import zod and nothing else.
 */
import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export const DECISIONS = ['Defer', 'Scheduled', 'Out-of-cycle', 'Immediate'] as const;
export const FINDING_STATUSES = [
  'open',
  'not_seen',
  'fixed',
  'fixed_verified',
  'accepted',
  'false_positive',
] as const;
/** What a finding is about (the normalized finding's `kind`; absent means vulnerability). */
export const FINDING_KINDS = [
  'vulnerability',
  'misconfiguration',
  'secret',
  'license',
  'service',
] as const;
export type FindingKind = (typeof FINDING_KINDS)[number];
/** CycloneDX VEX analysis states (impactAnalysisState). */
export const VEX_STATES = [
  'resolved',
  'resolved_with_pedigree',
  'exploitable',
  'in_triage',
  'false_positive',
  'not_affected',
] as const;
/** Asset kinds: hosts (identified by IP/name/MAC/image) and software (by project name). */
export const ASSET_KINDS = ['host', 'software'] as const;
/** Columns the findings table can sort by; each has an index (docs/triage.md). */
export const SORT_COLUMNS = [
  'risk',
  'decision',
  'severity',
  'due',
  'epss',
  'firstSeen',
  'lastSeen',
  'title',
  'asset',
  'id',
] as const;
export const GROUP_BY = ['vulnerability', 'asset', 'component'] as const;

const severity = z.enum(SEVERITIES);
const decision = z.enum(DECISIONS);
const status = z.enum(FINDING_STATUSES);
const tag = z
  .string()
  .trim()
  .min(1)
  .max(40)
  .regex(/^[\w.:-]+$/, 'Tags are letters, digits and . : _ -');

/** Every filter is optional; an empty filter matches every finding. */
const filterDay = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'A day looks like 2026-12-07')
  .refine((d) => !Number.isNaN(Date.parse(d)), 'Not a calendar day');

export const triageFilter = z
  .object({
    status: z.array(status).max(FINDING_STATUSES.length).optional(),
    decision: z.array(decision).max(DECISIONS.length).optional(),
    severity: z.array(severity).max(SEVERITIES.length).optional(),
    /** Finding kinds (vulnerability, misconfiguration, secret, license, service). */
    kind: z.array(z.enum(FINDING_KINDS)).max(FINDING_KINDS.length).optional(),
    /** Hosts only, or software (projects, repositories, images) only. */
    assetKind: z.enum(ASSET_KINDS).optional(),
    kev: z.boolean().optional(),
    epssMin: z.number().min(0).max(1).optional(),
    overdue: z.boolean().optional(),
    assetId: z.number().int().positive().optional(),
    /** Substring of an asset name, IP or MAC. */
    asset: z.string().trim().min(1).max(200).optional(),
    cve: z
      .string()
      .trim()
      .regex(/^CVE-\d{4}-\d{4,}$/i, 'A CVE id looks like CVE-2024-3094')
      .optional(),
    vulnerabilityId: z.number().int().positive().optional(),
    component: z.string().trim().min(1).max(200).optional(),
    scanner: z.string().trim().min(1).max(100).optional(),
    tag: tag.optional(),
    owner: z.string().trim().min(1).max(100).optional(),
    /** Free text (FTS5) over titles, CVE ids, asset names and component names. */
    q: z.string().trim().min(1).max(200).optional(),
    /** First seen on or after / on or before these days (YYYY-MM-DD, UTC): the "new" bars. */
    firstSeenFrom: filterDay.optional(),
    firstSeenTo: filterDay.optional(),
    /** Status last changed on or after / on or before these days: the "fixed" bars. */
    changedFrom: filterDay.optional(),
    changedTo: filterDay.optional(),
    /** Reopened by an expired risk acceptance on or after this day: the "expired" figure. */
    expiredSince: filterDay.optional(),
  })
  .strict();
export type TriageFilter = z.infer<typeof triageFilter>;

export const triageSort = z.object({
  column: z.enum(SORT_COLUMNS),
  dir: z.enum(['asc', 'desc']),
});
export type TriageSort = z.infer<typeof triageSort>;

export const triageRow = z.object({
  id: z.number(),
  status,
  statusReason: z.string().nullable(),
  title: z.string(),
  severity,
  /** What the finding is about (vulnerability, misconfiguration, secret, license, service). */
  kind: z.enum(FINDING_KINDS),
  /** Where in a source tree: "path:line" (SARIF results), or null. */
  location: z.string().nullable(),
  decision,
  riskScore: z.number(),
  dueAt: z.string(),
  overdue: z.boolean(),
  kev: z.boolean(),
  epss: z.number().nullable(),
  cves: z.array(z.string()),
  vulnerabilityId: z.number(),
  assetId: z.number(),
  assetName: z.string(),
  port: z.number().nullable(),
  protocol: z.string().nullable(),
  component: z.string().nullable(),
  fixedVersion: z.string().nullable(),
  scanner: z.string(),
  firstSeen: z.string(),
  lastSeen: z.string(),
  owner: z.string().nullable(),
  tags: z.array(z.string()),
});
export type TriageRow = z.infer<typeof triageRow>;

export const pageInput = z.object({
  filter: triageFilter,
  sort: triageSort,
  limit: z.number().int().min(1).max(500),
  /** Opaque cursor from the previous page's `next`. */
  cursor: z.string().max(600).optional(),
});
export const pageOutput = z.object({ rows: z.array(triageRow), next: z.string().nullable() });

export const groupsInput = z.object({
  filter: triageFilter,
  by: z.enum(GROUP_BY),
  limit: z.number().int().min(1).max(1000),
});
export const groupRow = z.object({
  /** What to put in the filter to list the group's findings. */
  filter: triageFilter,
  label: z.string(),
  count: z.number(),
  maxRisk: z.number(),
});

const scanRef = z.object({
  id: z.number(),
  fileName: z.string(),
  scanner: z.string(),
  importedAt: z.string(),
});
const decisionRecord = z.object({
  id: z.number(),
  kind: z.string(),
  reason: z.string(),
  expiresAt: z.string().nullable(),
  decidedBy: z.string(),
  decidedAt: z.string(),
  revokedAt: z.string().nullable(),
});
const scoreComponent = z.object({
  component: z.string(),
  weight: z.number(),
  factor: z.number(),
  points: z.number(),
  explanation: z.string(),
});
export const findingDetail = z.object({
  row: triageRow,
  vulnerabilityKey: z.string(),
  asset: z.object({
    id: z.number(),
    displayName: z.string(),
    ip: z.string().nullable(),
    hostname: z.string().nullable(),
    fqdn: z.string().nullable(),
    mac: z.string().nullable(),
    os: z.string().nullable(),
    image: z.string().nullable(),
    criticality: z.string(),
    exposure: z.string(),
  }),
  service: z.string().nullable(),
  componentPath: z.string().nullable(),
  componentPurl: z.string().nullable(),
  cvss3: z.number().nullable(),
  cvss3Vector: z.string().nullable(),
  cwes: z.array(z.string()),
  description: z.string().nullable(),
  solution: z.string().nullable(),
  evidence: z.string().nullable(),
  references: z.array(z.string()),
  ssvcInputs: z.record(z.string(), z.object({ value: z.string(), source: z.string() })),
  scoreBreakdown: z.array(scoreComponent),
  dueExplanation: z.string(),
  /** "Why this priority": every input of score, SSVC and SLA with its source and date. */
  prioritySources: z.array(
    z.object({
      part: z.enum(['score', 'ssvc', 'sla']),
      input: z.string(),
      value: z.string(),
      source: z.string(),
      date: z.string().nullable(),
    }),
  ),
  scans: z.array(scanRef),
  decisions: z.array(decisionRecord),
  sameCveOtherAssets: z.array(triageRow),
  otherOnAsset: z.array(triageRow),
});

export const DECISION_ACTIONS = [
  'accept',
  'false_positive',
  'reopen',
  'assign',
  'tag',
  'untag',
] as const;
export const decideInput = z.object({
  ids: z.array(z.number().int().positive()).min(1).max(10000),
  action: z.enum(DECISION_ACTIONS),
  reason: z.string().trim().min(1).max(2000).optional(),
  /** Acceptance expiry, YYYY-MM-DD (end of that day, UTC). */
  expiresOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'An expiry date looks like 2027-01-31')
    .optional(),
  /** Owner for "assign"; empty string clears it. */
  owner: z.string().trim().max(100).optional(),
  tag: tag.optional(),
  confirm: z.literal(true, { message: 'This action needs an explicit confirmation.' }),
});
export const decideOutput = z.object({
  updated: z.number(),
  /** Findings the action did not apply to, with why (already in that state...). */
  skipped: z.number(),
});

export const savedView = z.object({
  name: z.string().trim().min(1).max(60),
  filter: triageFilter,
  sort: triageSort,
  columns: z.array(z.string().max(40)).max(30),
  groupBy: z.enum(GROUP_BY).nullable(),
});
export type SavedView = z.infer<typeof savedView>;

export const facets = z.object({
  scanners: z.array(z.string()),
  tags: z.array(z.string()),
  owners: z.array(z.string()),
});

export const dashboardSummary = z.object({
  generatedAt: z.string(),
  open: z.number(),
  kevOpen: z.number(),
  overdue: z.number(),
  /** Open findings per SSVC decision and severity (zero cells omitted). */
  byDecisionSeverity: z.array(z.object({ decision, severity, count: z.number() })),
  topAssets: z.array(
    z.object({ id: z.number(), name: z.string(), riskScore: z.number(), open: z.number() }),
  ),
  /** Last 12 ISO weeks (Monday, YYYY-MM-DD): findings first seen vs fixed that week. */
  weekly: z.array(z.object({ week: z.string(), new: z.number(), fixed: z.number() })),
  /** Mean days from first seen to fixed, over the findings fixed in those 12 weeks. */
  mttrDays: z.number().nullable(),
  /** Acceptances that expired and were reopened in the last 7 days. */
  expiredReopened: z.number(),
  /** First day the expired count covers (the click-through filter expiredSince). */
  expiredSince: z.string(),
  total: z.number(),
});

export const assetListInput = z.object({
  limit: z.number().int().min(1).max(1000),
  afterId: z.number().int().min(0).optional(),
  /** Substring of a name, IP or MAC. */
  q: z.string().trim().min(1).max(200).optional(),
});
export const assetRow = z.object({
  id: z.number(),
  displayName: z.string(),
  ip: z.string().nullable(),
  hostname: z.string().nullable(),
  fqdn: z.string().nullable(),
  os: z.string().nullable(),
  criticality: z.enum(['low', 'medium', 'high', 'critical']),
  exposure: z.enum(['internet', 'internal', 'isolated']),
  openFindings: z.number(),
  /** Highest risk score among the asset's open findings (0 when none). */
  riskScore: z.number(),
});
export const assetDetail = assetRow.extend({
  mac: z.string().nullable(),
  image: z.string().nullable(),
  identifiers: z.array(z.object({ kind: z.string(), value: z.string(), firstSeen: z.string() })),
  merges: z.array(
    z.object({
      id: z.number(),
      fromAssetId: z.number(),
      intoAssetId: z.number(),
      reason: z.string(),
      mergedAt: z.string(),
      splitAt: z.string().nullable(),
    }),
  ),
});
