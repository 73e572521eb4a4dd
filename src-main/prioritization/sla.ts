import type { FeedKind } from '../feeds/types';
import type { SsvcDecision } from './ssvc';

/**
 * Remediation due dates and feed freshness. Pure functions: `now` is always passed in,
 * so results are reproducible and testable.
 */
export type SlaDays = Record<SsvcDecision, number>;

export const DEFAULT_SLA_DAYS: SlaDays = {
  Immediate: 2,
  'Out-of-cycle': 7,
  Scheduled: 30,
  Defer: 90,
};

const DAY_MS = 24 * 60 * 60 * 1000;

export interface DueDateInput {
  decision: SsvcDecision;
  /** When the finding was first seen: the SLA clock starts here. ISO 8601. */
  detectedAt: string;
  /** KEV dueDate (YYYY-MM-DD) when the CVE is in the catalog. */
  kevDueDate?: string | null;
  now: Date;
  days?: Partial<SlaDays>;
}

export interface DueDate {
  /** ISO 8601 UTC. */
  dueAt: string;
  source: 'ssvc' | 'kev';
  overdue: boolean;
  explanation: string;
}

/**
 * Due = detectedAt + the days for the SSVC decision, unless the KEV due date is earlier.
 * A KEV date means "by the end of that day" and is read as 23:59:59.999 UTC. A KEV date
 * already past when the finding is detected makes it overdue at once: that is what the
 * catalog's deadline means.
 */
export function dueDate(input: DueDateInput): DueDate {
  const days = { ...DEFAULT_SLA_DAYS, ...input.days }[input.decision];
  const detected = Date.parse(input.detectedAt);
  if (Number.isNaN(detected)) throw new RangeError(`detectedAt is not a date: ${input.detectedAt}`);
  let due = detected + days * DAY_MS;
  let source: DueDate['source'] = 'ssvc';
  let explanation = `SSVC ${input.decision}: ${days} days from detection`;

  const kev = input.kevDueDate ?? null;
  if (kev !== null) {
    const kevEnd = Date.parse(`${kev}T23:59:59.999Z`);
    if (Number.isNaN(kevEnd)) throw new RangeError(`kevDueDate is not a date: ${kev}`);
    if (kevEnd < due) {
      due = kevEnd;
      source = 'kev';
      explanation = `CISA KEV due date ${kev} (earlier than ${explanation})`;
    }
  }
  return {
    dueAt: new Date(due).toISOString(),
    source,
    overdue: input.now.getTime() > due,
    explanation,
  };
}

export const DEFAULT_MAX_FEED_AGE_DAYS: Record<FeedKind, number> = {
  kev: 7,
  epss: 7,
  nvd: 30,
  cve5: 30,
};

export interface FeedAge {
  kind: FeedKind;
  /** The feed's own date (KEV dateReleased, EPSS score_date, NVD timestamp, ...), or null. */
  date: string | null;
  ageDays: number | null;
  maxAgeDays: number;
  stale: boolean;
  reason: string;
}

/** Which feeds are too old to base decisions on, with a reason for each. */
export function feedFreshness(
  feeds: readonly { kind: FeedKind; date: string | null }[],
  now: Date,
  maxAgeDays: Partial<Record<FeedKind, number>> = {},
): FeedAge[] {
  const limits = { ...DEFAULT_MAX_FEED_AGE_DAYS, ...maxAgeDays };
  return feeds.map(({ kind, date }) => {
    const max = limits[kind];
    const ms = date === null ? Number.NaN : Date.parse(date);
    if (Number.isNaN(ms))
      return {
        kind,
        date,
        ageDays: null,
        maxAgeDays: max,
        stale: true,
        reason: date === null ? `${kind}: never loaded` : `${kind}: unreadable date "${date}"`,
      };
    const ageDays = Math.floor(((now.getTime() - ms) / DAY_MS) * 10) / 10;
    const stale = ageDays > max;
    return {
      kind,
      date,
      ageDays,
      maxAgeDays: max,
      stale,
      reason: stale
        ? `${kind}: ${ageDays} days old, older than the ${max}-day limit`
        : `${kind}: ${ageDays} days old (limit ${max})`,
    };
  });
}

export function staleFeeds(
  feeds: readonly { kind: FeedKind; date: string | null }[],
  now: Date,
  maxAgeDays: Partial<Record<FeedKind, number>> = {},
): FeedAge[] {
  return feedFreshness(feeds, now, maxAgeDays).filter((f) => f.stale);
}
