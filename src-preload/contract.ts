/**
 * The IPC contract: the single source of truth for every channel and event stream
 * between the renderer and the core. Adding a channel is one entry here plus one
 * handler in src-main/ipc/handlers; the preload, the loopback harness, the router and
 * the renderer's types are all derived from this object.
 *
 * This file is shared by the core (Node) and the renderer (DOM): it may import zod and
 * its sibling schema modules (which import zod only), nothing else.
 */
import { z } from 'zod';
import {
  FINDING_KINDS,
  SEVERITIES,
  VEX_STATES,
  assetDetail,
  assetListInput,
  assetRow,
  dashboardSummary,
  decideInput,
  decideOutput,
  facets,
  findingDetail,
  groupRow,
  groupsInput,
  pageInput,
  pageOutput,
  savedView,
} from './triage-schemas';

import {
  DRAFT_STATES,
  draftContent,
  draftDetail,
  draftSummary,
  modelInfo,
  patchExport,
} from './drafts-schemas';

import {
  approvalInfo,
  credentialInput,
  hostInfo,
  hostInput,
  hostKey,
  pushUpdate,
  runOptions,
  runStatus,
} from './push-schemas';

import {
  REPORT_FORMATS,
  remediationReport,
  reportScope,
  reportScopeFields,
} from './reports-schemas';

import { backupCheck, healthReport, jobRecord } from './ops-schemas';

export * from './triage-schemas';
export * from './ops-schemas';
export * from './reports-schemas';
export * from './drafts-schemas';
export * from './push-schemas';

export interface ChannelDef<I extends z.ZodType = z.ZodType, O extends z.ZodType = z.ZodType> {
  readonly input: I;
  readonly output: O;
  readonly summary: string;
}

function channel<I extends z.ZodType, O extends z.ZodType>(
  input: I,
  output: O,
  summary: string,
): ChannelDef<I, O> {
  return { input, output, summary };
}

/** Channels without input take `undefined` (the renderer calls them with no argument). */
const none = z.undefined();

const jobId = z.string().min(1).max(64);
const passphrase = z.string().min(1).max(1024);
const operatorName = z.string().min(1).max(64);
const role = z.enum(['admin', 'approver', 'analyst', 'viewer']);
const operator = z.object({ id: z.string(), name: z.string(), role });
const operatorInfo = operator.extend({ totpEnabled: z.boolean(), createdAt: z.string() });
const backupInfo = z.object({
  id: z.number(),
  path: z.string(),
  reason: z.enum(['manual', 'scheduled', 'pre-migration', 'pre-rekey']),
  size: z.number(),
  createdAt: z.string(),
  createdBy: z.string().nullable(),
});
const auditVerdict = z.object({
  ok: z.boolean(),
  entries: z.number(),
  firstBroken: z.object({ seq: z.number(), position: z.number(), reason: z.string() }).optional(),
});
const auditEntry = z.object({
  seq: z.number(),
  ts: z.string(),
  operatorId: z.string().nullable(),
  operatorName: z.string(),
  action: z.string(),
  objectType: z.string(),
  objectId: z.string().nullable(),
  summary: z.string(),
  prevMac: z.string(),
  mac: z.string(),
});
const importCounts = z.object({
  new: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  notSeen: z.number(),
});
const importSkipped = z.object({
  count: z.number(),
  reasons: z.array(z.object({ reason: z.string(), count: z.number() })),
});
const importSummary = z.object({
  file: z.string(),
  format: z.string(),
  sha256: z.string(),
  assets: z.number(),
  /** Of `assets`, the software ones (projects, repositories); absent when none. */
  softwareAssets: z.number().optional(),
  findings: importCounts,
  durationMs: z.number(),
  /** Findings the file carried that could not be kept, by reason (never dropped silently). */
  skipped: importSkipped.optional(),
  scanId: z.number().optional(),
  duplicateOf: z.number().optional(),
  notes: z.array(z.string()).optional(),
  error: z.object({ code: z.string(), message: z.string() }).optional(),
});
/**
 * The normalized finding: the public shape every importer produces, also used by the JSON
 * export and the CLI (`vulnzero import --dry-run`, `vulnzero findings --json`). Keep it
 * exactly as documented in docs/importers.md; scripts depend on it.
 */
export type Severity = (typeof SEVERITIES)[number];

export const normalizedAssetSchema = z.object({
  ip: z.string().optional(),
  hostname: z.string().optional(),
  fqdn: z.string().optional(),
  mac: z.string().optional(),
  os: z.string().optional(),
  image: z.string().optional(),
  /**
   * A software asset (asset kind `software`): the project, repository or image an SBOM or
   * dependency report describes. Identified by its name; the version is an attribute.
   */
  software: z.object({ name: z.string().min(1), version: z.string().optional() }).optional(),
});
export type NormalizedAsset = z.infer<typeof normalizedAssetSchema>;

export const normalizedFindingSchema = z.object({
  format: z.string(),
  /** What the finding is about; absent means "vulnerability". */
  kind: z.enum(FINDING_KINDS).optional(),
  scanner: z.object({ name: z.string(), pluginId: z.string().optional() }),
  asset: normalizedAssetSchema,
  port: z.number().int().min(0).max(65535).optional(),
  protocol: z.string().optional(),
  service: z.string().optional(),
  vulnerability: z.object({
    /** Stable identity of the vulnerability within the scanner: "nessus:19506", "CVE-2021-44228". */
    key: z.string().min(1),
    cves: z.array(z.string()),
    title: z.string(),
    severity: z.enum(SEVERITIES),
    cvss3: z.number().min(0).max(10).optional(),
    cvss3Vector: z.string().optional(),
    cvss2: z.number().min(0).max(10).optional(),
    cwes: z.array(z.string()),
    references: z.array(z.string()),
  }),
  component: z
    .object({
      name: z.string(),
      version: z.string().optional(),
      fixedVersion: z.string().optional(),
      path: z.string().optional(),
      purl: z.string().optional(),
    })
    .optional(),
  /** Where in a source tree or file the finding is (SARIF results: file and line). */
  location: z
    .object({
      path: z.string().min(1),
      line: z.number().int().min(1).optional(),
      column: z.number().int().min(1).optional(),
    })
    .optional(),
  /**
   * A VEX statement carried by the file (CycloneDX `analysis`): "not_affected" and
   * "false_positive" become a recorded false-positive decision with the justification.
   */
  vex: z
    .object({
      state: z.enum(VEX_STATES),
      justification: z.string().optional(),
      detail: z.string().optional(),
    })
    .optional(),
  solution: z.string().optional(),
  /** The scanner's description of the vulnerability (synopsis and description). */
  description: z.string().optional(),
  evidence: z.string().optional(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
});
export type NormalizedFinding = z.infer<typeof normalizedFindingSchema>;

const severity = z.enum(SEVERITIES);
/** A finding from the vault: the normalized shape plus id, status and its priority. */
const storedFinding = normalizedFindingSchema.extend({
  id: z.number(),
  status: z.string(),
  kev: z.object({ dueDate: z.string().nullable(), ransomware: z.boolean() }).nullable(),
  epss: z
    .object({ score: z.number(), percentile: z.number().nullable(), date: z.string().nullable() })
    .nullable(),
  ssvc: z.object({
    decision: z.enum(['Defer', 'Scheduled', 'Out-of-cycle', 'Immediate']),
    inputs: z.record(z.string(), z.object({ value: z.string(), source: z.string() })),
  }),
  riskScore: z.number(),
  dueDate: z.string(),
  overdue: z.boolean(),
});
const feedKind = z.enum(['kev', 'epss', 'nvd', 'cve5']);
const feedStatus = z.object({
  kind: feedKind,
  loaded: z.boolean(),
  version: z.string().nullable(),
  date: z.string().nullable(),
  records: z.number(),
  signed: z.boolean(),
  loadedAt: z.string().nullable(),
  bundleSequence: z.number().nullable(),
  ageDays: z.number().nullable(),
  stale: z.boolean(),
  reason: z.string(),
});
const trustedKey = z.object({
  fingerprint: z.string(),
  name: z.string(),
  addedAt: z.string(),
  addedBy: z.string(),
});
/** Destructive actions carry an explicit confirmation the UI asks the operator for. */
const confirmed = z.literal(true, { message: 'This action needs an explicit confirmation.' });
const vaultSettings = z.object({
  /** The idle lock cannot be turned off: from 1 minute to 24 hours. */
  idleLockMinutes: z
    .number()
    .int()
    .min(1, { message: 'The idle lock cannot be turned off: 1 minute at least.' })
    .max(24 * 60),
  backupIntervalHours: z
    .number()
    .int()
    .min(0)
    .max(24 * 30),
  backupKeep: z.number().int().min(1).max(365),
  /** CPU threads for the local model (default: cores - 1, at least 1). */
  llmThreads: z.number().int().min(1).max(256),
  /** Refuse unsigned KEV/EPSS/NVD/CVE files: only signed bundles load (default off). */
  requireSignedFeeds: z.boolean(),
});

export const contract = {
  app: {
    version: channel(
      none,
      z.object({
        name: z.string(),
        version: z.string(),
        node: z.string(),
        electron: z.string().nullable(),
        transport: z.enum(['electron', 'harness', 'direct']),
      }),
      'Application and runtime versions.',
    ),
    health: channel(
      none,
      z.object({
        status: z.literal('ok'),
        uptimeMs: z.number().nonnegative(),
        vault: z.enum(['absent', 'locked', 'unlocked']),
        runningJobs: z.number().int().nonnegative(),
      }),
      'Liveness of the core: vault state and running jobs.',
    ),
    openExternal: channel(
      z.object({ url: z.string().max(2048) }),
      z.object({ opened: z.boolean(), reason: z.string().optional() }),
      'Open a link in the system browser, only for allow-listed hosts.',
    ),
  },
  vault: {
    status: channel(
      none,
      z.object({
        state: z.enum(['absent', 'locked', 'unlocked']),
        path: z.string(),
        operator: operator.nullable(),
        /** The vault in use holds sample data ("Try with sample data"). */
        demo: z.boolean(),
      }),
      'Whether a vault exists here, is locked or unlocked, by whom, and whether it is a demo.',
    ),
    startDemo: channel(
      none,
      z.object({ operator, path: z.string() }),
      'Lock the real vault and open a fresh demo vault of sample scans and feeds, kept apart; locking it discards it.',
    ),
    checkPassphrase: channel(
      z.object({ passphrase: z.string().max(1024), operator: z.string().max(64).optional() }),
      z.object({ ok: z.boolean(), reason: z.string().optional() }),
      'Strength check for a new passphrase (length and known-weak list).',
    ),
    create: channel(
      z.object({ operator: operatorName, passphrase }),
      z.object({ operator }),
      'Create the vault and its first operator (admin). First run only.',
    ),
    unlock: channel(
      z.object({
        operator: operatorName,
        passphrase,
        totp: z
          .string()
          .regex(/^\d{6}$/)
          .optional(),
      }),
      z.object({ operator }),
      'Unlock with an operator passphrase (and one-time code when enrolled).',
    ),
    lock: channel(
      none,
      z.object({ locked: z.literal(true) }),
      'Lock now: closes the database and drops the key.',
    ),
    info: channel(
      none,
      z.object({
        path: z.string(),
        vaultId: z.string(),
        schemaVersion: z.number(),
        latestSchemaVersion: z.number(),
        cipher: z.string(),
        legacy: z.number(),
        sizeBytes: z.number(),
        keyEpoch: z.number(),
        operators: z.array(operatorInfo),
      }),
      'Vault facts: schema, cipher, size, operators (no secrets).',
    ),
    changePassphrase: channel(
      z.object({ current: passphrase, next: passphrase }),
      z.object({ changed: z.literal(true) }),
      "Change the unlocked operator's passphrase (re-wraps their key only).",
    ),
    rotateKey: channel(
      z.object({ confirm: confirmed }),
      z.object({ jobId }),
      'Rotate the data key (admin): rekeys the database in the writer thread; progress as events.',
    ),
    backup: channel(none, backupInfo, 'Write an encrypted backup now.'),
    listBackups: channel(none, z.array(backupInfo), 'Backups known to this vault.'),
    checkBackup: channel(
      z.object({ id: z.number().int().positive().optional() }).optional(),
      backupCheck,
      'Decrypt a backup (the newest by default) and run integrity_check on it; the verdict is audited.',
    ),
    restore: channel(
      z.object({ path: z.string().min(1).max(4096), passphrase, confirm: confirmed }),
      z.object({ previous: z.string() }),
      'Restore a backup (admin) after verifying its key and integrity; keeps the previous vault.',
    ),
    check: channel(
      none,
      z.object({ ok: z.boolean(), problems: z.array(z.string()), audit: auditVerdict }),
      'PRAGMA integrity_check, foreign keys and the audit chain.',
    ),
    getSettings: channel(none, vaultSettings, 'Idle lock and backup schedule.'),
    updateSettings: channel(
      vaultSettings.partial(),
      vaultSettings,
      'Change idle lock, backup schedule, model threads and the signed-feeds rule (admin).',
    ),
  },
  operators: {
    list: channel(none, z.array(operatorInfo), 'Operators of this vault (no secrets).'),
    add: channel(
      z.object({ name: operatorName, role, passphrase }),
      operatorInfo,
      'Add an operator with their own passphrase and role (admin).',
    ),
    remove: channel(
      z.object({ id: z.string().min(1), confirm: confirmed }),
      z.object({ removed: z.literal(true) }),
      'Remove an operator (admin); rotate the data key afterwards.',
    ),
    enrollTotp: channel(
      none,
      z.object({ secret: z.string(), uri: z.string() }),
      'Start one-time-code enrolment for the unlocked operator.',
    ),
    confirmTotp: channel(
      z.object({ code: z.string().regex(/^\d{6}$/) }),
      z.object({ enabled: z.literal(true) }),
      'Finish enrolment with a code from the authenticator.',
    ),
    disableTotp: channel(
      z.object({ operatorId: z.string().optional(), confirm: confirmed }),
      z.object({ disabled: z.literal(true) }),
      'Turn the one-time code off (own, or any operator as admin).',
    ),
  },
  audit: {
    list: channel(
      z.object({
        beforeSeq: z.number().int().positive().optional(),
        limit: z.number().int().min(1).max(500),
      }),
      z.array(auditEntry),
      'Audit entries, newest first, keyset-paginated by sequence.',
    ),
    verify: channel(none, auditVerdict, 'Verify the audit chain; reports the first broken entry.'),
    export: channel(
      z.object({ path: z.string().min(1).max(4096), format: z.enum(['jsonl', 'csv']) }),
      z.object({ path: z.string(), entries: z.number() }),
      'Export the audit trail with its chain values.',
    ),
  },
  import: {
    formats: channel(
      none,
      z.array(z.object({ format: z.string(), label: z.string(), hints: z.string() })),
      'Supported scanner formats with their detection hints.',
    ),
    chooseFiles: channel(
      none,
      z.object({ available: z.boolean(), paths: z.array(z.string()) }),
      'Native file dialog (desktop app only; the harness answers available: false).',
    ),
    start: channel(
      z.object({
        paths: z.array(z.string().min(1).max(4096)).min(1).max(200),
        format: z.string().max(40).optional(),
        keepGenericHosts: z.boolean().optional(),
      }),
      z.object({ jobId }),
      'Import files in the writer thread, one transaction per file; results arrive as importFileDone events.',
    ),
    history: channel(
      z.object({ limit: z.number().int().min(1).max(500) }),
      z.array(
        z.object({
          id: z.number(),
          fileName: z.string(),
          format: z.string(),
          scanner: z.string(),
          sha256: z.string(),
          size: z.number(),
          importedAt: z.string(),
          importedBy: z.string().nullable(),
          assets: z.number(),
          findings: importCounts,
          duplicateOf: z.number().nullable(),
        }),
      ),
      'Imported files, newest first.',
    ),
  },
  findings: {
    list: channel(
      z.object({
        limit: z.number().int().min(1).max(1000),
        afterId: z.number().int().min(0).optional(),
        cve: z.string().max(40).optional(),
        asset: z.string().max(200).optional(),
        severity: severity.optional(),
      }),
      z.array(storedFinding),
      'Findings in the normalized shape with id and status, keyset-paginated by id.',
    ),
    page: channel(
      pageInput,
      pageOutput,
      'One page of the triage table: filtered, sorted, keyset-paginated by an opaque cursor.',
    ),
    count: channel(
      z.object({ filter: pageInput.shape.filter }),
      z.object({ total: z.number() }),
      'How many findings match a filter.',
    ),
    groups: channel(
      groupsInput,
      z.array(groupRow),
      'Findings grouped by vulnerability, asset or component, largest groups first.',
    ),
    detail: channel(
      z.object({ id: z.number().int().positive() }),
      findingDetail,
      'Everything about one finding: asset, evidence, history, decisions, related findings.',
    ),
    decide: channel(
      decideInput,
      decideOutput,
      'Bulk risk decision: accept risk (approver/admin, reason, expiry), false positive, reopen, assign, tag.',
    ),
    facets: channel(
      none,
      facets,
      'Values for the filter pickers: scanners, tags and owners in use.',
    ),
    views: channel(none, z.array(savedView), 'Saved views of the findings table.'),
    saveView: channel(savedView, z.array(savedView), 'Save (or replace) a named view.'),
    deleteView: channel(
      z.object({ name: z.string().min(1).max(60), confirm: confirmed }),
      z.array(savedView),
      'Delete a saved view.',
    ),
  },
  dashboard: {
    summary: channel(
      none,
      dashboardSummary,
      'Dashboard figures: open findings by decision and severity, KEV, overdue, top assets, trend, MTTR.',
    ),
  },
  feeds: {
    status: channel(
      none,
      z.object({ feeds: z.array(feedStatus), lastBundleSequence: z.number().nullable() }),
      'Every feed kind: loaded or not, version/date, records, signed, age and staleness.',
    ),
    import: channel(
      z.object({
        paths: z.array(z.string().min(1).max(4096)).max(50).optional(),
        bundle: z.string().min(1).max(4096).optional(),
        allowRollback: z.boolean().optional(),
      }),
      z.object({ jobId }),
      'Load feed files (unsigned) or a signed bundle in the writer thread; result as jobFinished.',
    ),
    trustList: channel(none, z.array(trustedKey), 'Public keys trusted to sign feed bundles.'),
    trustAdd: channel(
      z.object({ name: z.string().min(1).max(100), publicKeyPem: z.string().min(40).max(4096) }),
      trustedKey,
      'Trust a bundle signing key (admin).',
    ),
    trustRemove: channel(
      z.object({ fingerprint: z.string().min(16).max(64), confirm: confirmed }),
      z.object({ removed: z.literal(true) }),
      'Stop trusting a bundle signing key (admin).',
    ),
  },
  assets: {
    list: channel(
      assetListInput,
      z.array(assetRow),
      'Assets with criticality, exposure, open findings and risk score, keyset-paginated by id.',
    ),
    detail: channel(
      z.object({ id: z.number().int().positive() }),
      assetDetail,
      'One asset with its identifiers (IPs, names, MACs) and merge history.',
    ),
    merge: channel(
      z.object({
        fromId: z.number().int().positive(),
        intoId: z.number().int().positive(),
        confirm: confirmed,
      }),
      z.object({ mergeId: z.number() }),
      'Merge one asset into another (findings and identifiers move); undo with split.',
    ),
    split: channel(
      z.object({ mergeId: z.number().int().positive(), confirm: confirmed }),
      z.object({ split: z.literal(true) }),
      'Undo an asset merge: the merged asset and its identifiers come back.',
    ),
    set: channel(
      z.object({
        ids: z.array(z.number().int().positive()).max(10000).optional(),
        cidr: z.string().max(64).optional(),
        pattern: z.string().max(255).optional(),
        criticality: z.enum(['low', 'medium', 'high', 'critical']).optional(),
        exposure: z.enum(['internet', 'internal', 'isolated']).optional(),
      }),
      z.object({ updated: z.number() }),
      'Set criticality/exposure for assets by id, CIDR or hostname pattern.',
    ),
  },
  drafts: {
    list: channel(
      z.object({ state: z.enum(DRAFT_STATES).optional() }),
      z.array(draftSummary),
      'Drafts, newest first, optionally by state.',
    ),
    get: channel(
      z.object({ id: z.number().int().positive() }),
      draftDetail,
      'A draft with every version (scripts, lint, policy, engine, model) and its hosts.',
    ),
    groups: channel(
      none,
      z.array(
        z.object({
          groupKey: z.string(),
          title: z.string(),
          findings: z.number(),
          hosts: z.number(),
        }),
      ),
      'Groups of open findings a rule can fix (package, fixed version, OS family; config fixes).',
    ),
    create: channel(
      z.object({
        findingId: z.number().int().positive().optional(),
        groupKey: z.string().min(1).max(4000).optional(),
        engine: z.enum(['rules', 'llm']),
        modelId: z.number().int().positive().optional(),
      }),
      z.object({ jobId }),
      'Draft a fix for a finding or a group (job: progress in tokens for the LLM; resultId = draft id).',
    ),
    createPatch: channel(
      z.object({
        findingId: z.number().int().positive(),
        manifestPath: z.string().min(1).max(4096),
        repoPath: z.string().min(1).max(300).optional(),
      }),
      draftDetail,
      "Draft a manifest patch (unified diff) that bumps a dependency finding's components to their fixed versions.",
    ),
    exportPatch: channel(
      z.object({
        id: z.number().int().positive(),
        path: z.string().min(1).max(4096),
        replace: z.boolean().optional(),
      }),
      patchExport,
      'Write the approved patch of a patch draft to a file (0600; an existing file only with replace).',
    ),
    chooseExportPath: channel(
      z.object({ id: z.number().int().positive() }),
      z.object({ available: z.boolean(), path: z.string().nullable() }),
      'Native save dialog for a .patch file (desktop app only; the harness answers available: false).',
    ),
    edit: channel(
      z.object({
        id: z.number().int().positive(),
        content: draftContent,
        note: z.string().max(500).optional(),
      }),
      draftDetail,
      'Save an edit as a new version (linted and policy-checked).',
    ),
    setState: channel(
      z.object({ id: z.number().int().positive(), state: z.enum(['draft', 'ready', 'archived']) }),
      draftDetail,
      'Mark a draft ready for approval (not when blocked or failing lint), back to draft, or archived.',
    ),
    recheck: channel(
      z.object({ id: z.number().int().positive() }),
      draftDetail,
      'Run lint and policy again on the latest version.',
    ),
    diff: channel(
      z.object({
        id: z.number().int().positive(),
        from: z.number().int().positive(),
        to: z.number().int().positive(),
      }),
      z.array(
        z.object({
          step: z.string(),
          lines: z.array(z.object({ op: z.enum([' ', '+', '-']), text: z.string() })),
        }),
      ),
      'Line diff between two versions of a draft, per step.',
    ),
    policy: channel(
      none,
      z.object({
        airGapped: z.boolean(),
        disabledRules: z.array(z.string()),
        extraRules: z.array(
          z.object({ name: z.string(), pattern: z.string(), reason: z.string() }),
        ),
        builtinRules: z.array(
          z.object({ name: z.string(), reason: z.string(), airGappedOnly: z.boolean() }),
        ),
      }),
      'The draft policy: built-in deny rules, what the admin disabled or added, air-gapped mode.',
    ),
    setPolicy: channel(
      z.object({
        airGapped: z.boolean(),
        disabledRules: z.array(z.string().max(60)).max(50),
        extraRules: z
          .array(
            z.object({
              name: z.string().min(1).max(60),
              pattern: z.string().min(1).max(500),
              reason: z.string().min(1).max(200),
            }),
          )
          .max(100),
      }),
      z.object({ saved: z.literal(true) }),
      'Change the draft policy (admin); drafts are re-checked when next edited or on recheck.',
    ),
  },
  models: {
    list: channel(none, z.array(modelInfo), 'Local GGUF models in the registry.'),
    add: channel(
      z.object({ path: z.string().min(1).max(4096), name: z.string().min(1).max(100).optional() }),
      modelInfo,
      'Register a GGUF model file (hashes it and reads its metadata; warns on unknown files).',
    ),
    remove: channel(
      z.object({ id: z.number().int().positive(), confirm: confirmed }),
      z.object({ removed: z.literal(true) }),
      'Remove a model from the registry (the file stays where it is).',
    ),
  },
  hosts: {
    list: channel(none, z.array(hostInfo), 'Push targets with credential and pinned host keys.'),
    add: channel(hostInput, hostInfo, 'Add a push target.'),
    set: channel(
      hostInput.partial().extend({ id: z.number().int().positive() }),
      hostInfo,
      'Change a host (voids the approvals that target it).',
    ),
    setGroup: channel(
      z.object({
        group: z.string().min(1).max(64),
        username: z.string().min(1).max(32).optional(),
        port: z.number().int().min(1).max(65535).optional(),
        credentialId: z.number().int().positive().optional(),
        sudoMode: z.enum(['none', 'sudo-n']).optional(),
        jumpHostId: z.number().int().positive().optional(),
      }),
      z.array(hostInfo),
      'Apply user, port, credential, sudo mode or jump host to every host of a group.',
    ),
    fromAssets: channel(
      z.object({
        assetIds: z.array(z.number().int().positive()).min(1).max(5000),
        username: z.string().min(1).max(32),
        port: z.number().int().min(1).max(65535).optional(),
        credentialId: z.number().int().positive().optional(),
        sudoMode: z.enum(['none', 'sudo-n']).optional(),
      }),
      z.array(hostInfo),
      'Make hosts from imported assets (address from the IP, else the name).',
    ),
    addCredential: channel(
      credentialInput,
      z.object({ id: z.number() }),
      'Store an SSH key (passphrase-protected keys supported) or a password in the vault.',
    ),
    fetchHostKey: channel(
      z.object({ id: z.number().int().positive() }),
      hostKey,
      "Connect far enough to read the host's key and show its SHA256 fingerprint (nothing is pinned).",
    ),
    pin: channel(
      hostKey.extend({ id: z.number().int().positive(), confirm: confirmed }),
      hostInfo,
      'Pin a host key the operator has checked.',
    ),
    credentials: channel(
      none,
      z.array(
        z.object({
          id: z.number(),
          name: z.string(),
          kind: z.enum(['ssh-key', 'password']),
          createdAt: z.string(),
        }),
      ),
      'Stored credentials (names and kinds only; secrets never leave the core).',
    ),
    importKnownHosts: channel(
      z.object({ text: z.string().min(1).max(5_000_000) }),
      z.object({ pinned: z.number(), hosts: z.array(z.string()), skipped: z.array(z.string()) }),
      'Pin the keys a known_hosts file lists for registered hosts.',
    ),
  },
  approvals: {
    list: channel(none, z.array(approvalInfo), 'Approvals, newest first.'),
    get: channel(z.object({ id: z.number().int().positive() }), approvalInfo, 'One approval.'),
    approve: channel(
      z.object({
        draftVersionId: z.number().int().positive(),
        /** Target hosts; empty for a manifest patch (it is exported, not pushed). */
        hostIds: z.array(z.number().int().positive()).max(5000),
        options: runOptions.optional(),
        comment: z.string().max(2000).optional(),
        expiresInHours: z.number().min(1).max(168).optional(),
      }),
      approvalInfo,
      'Approve exactly this draft version for these hosts and options (approver/admin).',
    ),
    reject: channel(
      z.object({
        draftVersionId: z.number().int().positive(),
        comment: z.string().min(1).max(2000),
      }),
      z.object({ rejected: z.literal(true) }),
      'Reject a draft version with a comment (back to draft).',
    ),
    revoke: channel(
      z.object({
        id: z.number().int().positive(),
        reason: z.string().min(1).max(500),
        confirm: confirmed,
      }),
      approvalInfo,
      'Revoke an approval.',
    ),
  },
  push: {
    run: channel(
      z.object({
        approvalId: z.number().int().positive(),
        dryRun: z.boolean().optional(),
        concurrency: z.number().int().min(1).max(100).optional(),
        confirm: confirmed,
      }),
      z.object({ jobId }),
      'Push an approved draft to its hosts in waves (job; pushUpdate events; resultId = run id).',
    ),
    status: channel(
      z.object({ runId: z.number().int().positive() }),
      runStatus,
      'A run with hosts, steps and transcripts.',
    ),
    list: channel(
      none,
      z.array(
        z.object({
          id: z.number(),
          approvalId: z.number(),
          state: z.string(),
          startedAt: z.string(),
          startedBy: z.string(),
        }),
      ),
      'Push runs, newest first.',
    ),
    resume: channel(
      z.object({ runId: z.number().int().positive(), confirm: confirmed }),
      z.object({ jobId }),
      'Resume a paused or interrupted run (interrupted hosts restart from precheck).',
    ),
    abandon: channel(
      z.object({
        runId: z.number().int().positive(),
        reason: z.string().min(1).max(500),
        confirm: confirmed,
      }),
      runStatus,
      'Close a paused or interrupted run without running its remaining hosts.',
    ),
    rollbackHost: channel(
      z.object({
        runId: z.number().int().positive(),
        hostId: z.number().int().positive(),
        confirm: confirmed,
      }),
      z.object({ jobId }),
      'Roll one host of a run back.',
    ),
  },
  reports: {
    figures: channel(
      reportScope,
      remediationReport,
      "The remediation report's numbers for a scope: every asset or one group, and a date range.",
    ),
    chooseSavePath: channel(
      z.object({ format: z.enum(REPORT_FORMATS) }),
      z.object({ available: z.boolean(), path: z.string().nullable() }),
      'Native save dialog (desktop app only; the harness answers available: false).',
    ),
    save: channel(
      reportScopeFields
        .extend({
          format: z.enum(REPORT_FORMATS),
          path: z.string().min(1).max(4096),
          replace: z.boolean().optional(),
        })
        .refine((s) => !s.from || !s.to || s.from <= s.to, {
          message: 'from must not be after to',
          path: ['from'],
        }),
      z.object({
        path: z.string(),
        format: z.enum(REPORT_FORMATS),
        open: z.number(),
        kev: z.number(),
        overdue: z.number(),
      }),
      'Write the report as HTML, CSV or JSON (audited); an existing file is kept unless replace is set.',
    ),
  },
  ops: {
    health: channel(
      none,
      healthReport,
      'Health panel: vault size, last backup and its check, feed ages, model, disk, logs, warnings.',
    ),
  },
  jobs: {
    list: channel(
      none,
      z.array(
        z.object({
          jobId,
          kind: z.string(),
          state: z.enum(['running', 'done', 'failed', 'cancelled']),
          startedAt: z.string(),
          finishedAt: z.string().optional(),
          durationMs: z.number().optional(),
          error: z.object({ code: z.string(), message: z.string() }).optional(),
        }),
      ),
      'Long-running jobs known to the core.',
    ),
    history: channel(
      z.object({ limit: z.number().int().min(1).max(1000).optional() }).optional(),
      z.array(jobRecord),
      'Running jobs, then finished ones newest first, from this run and the log files of earlier runs.',
    ),
    cancel: channel(
      z.object({ jobId }),
      z.object({ cancelled: z.boolean() }),
      'Ask a running job to stop; it stops at its next safe point.',
    ),
  },
} as const;

/** Event streams pushed from the core to the renderer. */
export const events = {
  progress: z.object({
    jobId,
    kind: z.string(),
    phase: z.string(),
    done: z.number().nonnegative(),
    total: z.number().nonnegative().nullable(),
    message: z.string().optional(),
  }),
  vaultLocked: z.object({ reason: z.string() }),
  importFileDone: z.object({ jobId, summary: importSummary }),
  pushUpdate,
  jobFinished: z.object({
    jobId,
    kind: z.string(),
    state: z.enum(['done', 'failed', 'cancelled']),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
    /** The object the job made (a draft id...), for the renderer to open. */
    resultId: z.number().optional(),
  }),
} as const;

/**
 * Stable error codes that may cross the bridge. Domain modules add theirs here so the
 * renderer and scripts can branch on them.
 */
export const ERROR_CODES = [
  'UNKNOWN_CHANNEL',
  'INVALID_INPUT',
  'INVALID_OUTPUT',
  'INTERNAL',
  'FORBIDDEN_SENDER',
  'NOT_FOUND',
  'CANCELLED',
  'FORBIDDEN',
  'VAULT_LOCKED',
  'VAULT_EXISTS',
  'VAULT_NOT_FOUND',
  'VAULT_TOO_NEW',
  'VAULT_KEYFILE_MISSING',
  'VAULT_KEYFILE_CORRUPT',
  'VAULT_KEYFILE_TAMPERED',
  'WRONG_PASSPHRASE',
  'WEAK_PASSPHRASE',
  'UNKNOWN_OPERATOR',
  'OPERATOR_EXISTS',
  'OPERATOR_REMOVED',
  'TOTP_REQUIRED',
  'WRONG_TOTP',
  'UNLOCK_RATE_LIMITED',
  'BACKUP_WRONG_KEY',
  'BACKUP_CORRUPT',
  'BACKUP_NOT_FOUND',
  'BACKUP_EXISTS',
  'BACKUP_KEYFILE_MISSING',
  'IMPORT_UNKNOWN_FORMAT',
  'IMPORT_MALFORMED',
  'IMPORT_UNSAFE',
  'IMPORT_DUPLICATE_FILE',
  'IMPORT_FAILED',
  'IMPORT_FILE_UNREADABLE',
  'IMPORT_NOT_A_FILE',
  'FEED_MALFORMED',
  'FEED_UNKNOWN_KIND',
  'FEED_UNSIGNED_REFUSED',
  'BUNDLE_TRUNCATED',
  'BUNDLE_MALFORMED',
  'BUNDLE_UNTRUSTED_KEY',
  'BUNDLE_BAD_SIGNATURE',
  'BUNDLE_HASH_MISMATCH',
  'BUNDLE_ROLLBACK',
  'INVALID_SELECTOR',
  'ALREADY_SPLIT',
  'BAD_CURSOR',
  'DECISION_INVALID',
  'NO_RULE',
  'DRAFT_BLOCKED',
  'DRAFT_LINT_FAILED',
  'DRAFT_STATE',
  'DRAFT_KIND',
  'MANIFEST_UNKNOWN',
  'MANIFEST_UNREADABLE',
  'MANIFEST_TOO_LARGE',
  'MANIFEST_INVALID',
  'NOTHING_TO_PATCH',
  'NOT_A_HOST',
  'MODEL_NOT_FOUND',
  'MODEL_INVALID',
  'MODEL_LOAD_FAILED',
  'MODEL_EXISTS',
  'LLM_BUSY',
  'LLM_TIMEOUT',
  'LLM_CONTEXT_OVERFLOW',
  'LLM_OUT_OF_MEMORY',
  'LLM_INVALID_OUTPUT',
  'HOST_EXISTS',
  'HOST_KEY_UNKNOWN',
  'HOST_KEY_CHANGED',
  'SSH_AUTH_FAILED',
  'SSH_CONNECT_FAILED',
  'SSH_TIMEOUT',
  'SSH_DISCONNECTED',
  'SSH_SUDO_FAILED',
  'SSH_KEY_INVALID',
  'SSH_EXEC_FAILED',
  'APPROVAL_INVALID',
  'APPROVAL_HASH_MISMATCH',
  'APPROVAL_SELF',
  'APPROVAL_STALE',
  'EXPORT_EXISTS',
  'EXPORT_WRITE_FAILED',
  'NO_FILE_PATH',
  'STAGING_FAILED',
  'REPORT_WRITE_FAILED',
  'DEMO_DATA_MISSING',
  'DEMO_IMPORT_FAILED',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface BridgeError {
  code: string;
  message: string;
}
export type Result<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

export type Contract = typeof contract;
export type Namespace = keyof Contract;
export type MethodOf<N extends Namespace> = keyof Contract[N] & string;
export type ChannelName = { [N in Namespace]: `${N}.${MethodOf<N>}` }[Namespace];

type DefOf<C extends ChannelName> = C extends `${infer N}.${infer M}`
  ? N extends Namespace
    ? M extends keyof Contract[N]
      ? Contract[N][M]
      : never
    : never
  : never;

export type Input<C extends ChannelName> =
  DefOf<C> extends ChannelDef<infer I, z.ZodType> ? z.input<I> : never;
export type Output<C extends ChannelName> =
  DefOf<C> extends ChannelDef<z.ZodType, infer O> ? z.output<O> : never;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

/** Looks a channel up by its wire name ("app.version"); undefined when unknown. */
export function findChannel(name: string): ChannelDef | undefined {
  const dot = name.indexOf('.');
  if (dot <= 0) return undefined;
  const ns = name.slice(0, dot);
  const method = name.slice(dot + 1);
  if (!Object.hasOwn(contract, ns)) return undefined;
  const group = contract[ns as Namespace] as Record<string, ChannelDef>;
  return Object.hasOwn(group, method) ? group[method] : undefined;
}

export function channelNames(): ChannelName[] {
  const names: string[] = [];
  for (const [ns, group] of Object.entries(contract)) {
    for (const method of Object.keys(group)) names.push(`${ns}.${method}`);
  }
  return names as ChannelName[];
}
