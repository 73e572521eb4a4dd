/**
 * The normalized finding: the public shape every importer produces, also used by the
 * JSON export and the CLI (`vulnzero import --dry-run`, `vulnzero findings --json`).
 * Keep it exactly as documented in docs/importers.md; scripts depend on it.
 */
import type { Readable } from 'node:stream';
import type { NormalizedAsset, NormalizedFinding } from '../../src-preload/contract';

// The public shape lives in the contract (the renderer and the CLI share it).
export {
  SEVERITIES,
  normalizedAssetSchema,
  normalizedFindingSchema,
} from '../../src-preload/contract';
export type { NormalizedAsset, NormalizedFinding, Severity } from '../../src-preload/contract';

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
