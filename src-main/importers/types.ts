/**
 * The normalized finding: the public shape every importer produces, also used by the
 * JSON export and the CLI (`vulnzero import --dry-run`, `vulnzero findings --json`).
 * Keep it exactly as documented in docs/importers.md; scripts depend on it.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';

export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const normalizedAssetSchema = z.object({
  ip: z.string().optional(),
  hostname: z.string().optional(),
  fqdn: z.string().optional(),
  mac: z.string().optional(),
  os: z.string().optional(),
  image: z.string().optional(),
});
export type NormalizedAsset = z.infer<typeof normalizedAssetSchema>;

export const normalizedFindingSchema = z.object({
  format: z.string(),
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
  solution: z.string().optional(),
  evidence: z.string().optional(),
  firstSeen: z.string().optional(),
  lastSeen: z.string().optional(),
});
export type NormalizedFinding = z.infer<typeof normalizedFindingSchema>;

/** What the scan covered, for the "not seen in latest scan" rule and the scans table. */
export interface ScanInfo {
  scanner: string;
  scannerVersion?: string;
  /** ISO 8601 */
  startedAt?: string;
  finishedAt?: string;
  policy?: string;
}

/**
 * A parser emits records in file order: scan info (once, when known), every asset the
 * scan covered (including assets with no findings: that is what "coverage" means), and
 * findings. `note` records explain what was truncated or skipped.
 */
export type ImportRecord =
  | { kind: 'scan'; scan: ScanInfo }
  | { kind: 'asset'; asset: NormalizedAsset }
  | { kind: 'finding'; finding: NormalizedFinding }
  | { kind: 'note'; message: string };

export interface ParseContext {
  /** The file's base name, for error messages ("scan.nessus: line 12, column 4: ..."). */
  fileName: string;
  signal?: AbortSignal;
}

export interface Importer {
  /** Public format name, used by `--format` and in summaries: "nessus", "nessus-csv", ... */
  format: string;
  label: string;
  /** One line for `vulnzero formats`: what the sniffer looks for. */
  hints: string;
  /**
   * Confidence 0..1 that `head` (the first 64 KiB of the file, decoded as UTF-8, BOM
   * stripped) is this format. Content decides, never the extension alone.
   */
  sniff(head: string, fileName: string): number;
  /** Streams the file; memory must not grow with the file's size. */
  parse(input: Readable, ctx: ParseContext): AsyncIterable<ImportRecord>;
}

/** Fields longer than this are cut, with a note (scanner output can be megabytes). */
export const MAX_FIELD_CHARS = 64 * 1024;
