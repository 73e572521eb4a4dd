/** The feed kinds VulnZero reads. Order is the order shown to operators. */
export const FEED_KINDS = ['kev', 'epss', 'nvd', 'cve5'] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

export interface ParseOptions {
  /** Shown in every error message; the parsers never open it. */
  fileName: string;
  signal?: AbortSignal;
}

/**
 * First item every parser yields, before any record. Fields that a format does not carry
 * are null. `recordCount` is what the file itself declares (KEV `count`, NVD
 * `resultsPerPage`/`cve_count`), not a count made by reading ahead.
 */
export interface FeedMetaBase<K extends FeedKind> {
  type: 'meta';
  kind: K;
  fileName: string;
  version: string | null;
  /** ISO 8601 (UTC) date-time of the feed's own release or scoring date. */
  date: string | null;
  recordCount: number | null;
}

export interface CvssScore {
  /** '2.0' | '3.0' | '3.1' | '4.0' */
  version: string;
  baseScore: number;
  vectorString: string | null;
  /** Upper case as published (NONE/LOW/MEDIUM/HIGH/CRITICAL); null when absent. */
  baseSeverity: string | null;
}
