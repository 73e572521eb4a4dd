import { describe, expect, it } from 'vitest';
import { dueDate, feedFreshness, staleFeeds } from '../../../src-main/prioritization/sla';
import type { SsvcDecision } from '../../../src-main/prioritization/ssvc';

const detectedAt = '2026-09-01T10:00:00.000Z';
const now = new Date('2026-09-05T10:00:00.000Z');

describe('dueDate', () => {
  it.each([
    ['Immediate', '2026-09-03T10:00:00.000Z', true],
    ['Out-of-cycle', '2026-09-08T10:00:00.000Z', false],
    ['Scheduled', '2026-10-01T10:00:00.000Z', false],
    ['Defer', '2026-11-30T10:00:00.000Z', false],
  ] as const)('%s → due %s (overdue at 2026-09-05: %s)', (decision: SsvcDecision, due, overdue) => {
    expect(dueDate({ decision, detectedAt, now })).toMatchObject({
      dueAt: due,
      source: 'ssvc',
      overdue,
    });
  });

  it('uses the KEV due date (end of that day, UTC) when it is earlier', () => {
    const result = dueDate({ decision: 'Scheduled', detectedAt, kevDueDate: '2026-09-10', now });
    expect(result).toEqual({
      dueAt: '2026-09-10T23:59:59.999Z',
      source: 'kev',
      overdue: false,
      explanation:
        'CISA KEV due date 2026-09-10 (earlier than SSVC Scheduled: 30 days from detection)',
    });
  });

  it('keeps the SSVC date when the KEV date is later', () => {
    expect(
      dueDate({ decision: 'Immediate', detectedAt, kevDueDate: '2026-12-01', now }),
    ).toMatchObject({
      source: 'ssvc',
      dueAt: '2026-09-03T10:00:00.000Z',
    });
  });

  it('is overdue at once when the KEV deadline passed before detection', () => {
    expect(dueDate({ decision: 'Defer', detectedAt, kevDueDate: '2022-01-28', now })).toMatchObject(
      {
        source: 'kev',
        overdue: true,
      },
    );
  });

  it('takes configured days and is not overdue at the exact due instant', () => {
    const result = dueDate({
      decision: 'Out-of-cycle',
      detectedAt,
      now: new Date('2026-09-04T10:00:00.000Z'),
      days: { 'Out-of-cycle': 3 },
    });
    expect(result).toMatchObject({
      dueAt: '2026-09-04T10:00:00.000Z',
      overdue: false,
      explanation: 'SSVC Out-of-cycle: 3 days from detection',
    });
  });

  it('rejects dates it cannot read', () => {
    expect(() => dueDate({ decision: 'Defer', detectedAt: 'yesterday', now })).toThrow(RangeError);
    expect(() => dueDate({ decision: 'Defer', detectedAt, kevDueDate: '2026-13-45', now })).toThrow(
      RangeError,
    );
  });
});

describe('feed freshness', () => {
  const at = new Date('2026-10-01T00:00:00.000Z');
  const feeds = [
    { kind: 'kev', date: '2026-09-25T00:00:00.000Z' }, // 6 days: fresh (limit 7)
    { kind: 'epss', date: '2026-09-23T00:00:00.000Z' }, // 8 days: stale (limit 7)
    { kind: 'nvd', date: '2026-08-31T00:00:00.000Z' }, // 31 days: stale (limit 30)
    { kind: 'cve5', date: null }, // never loaded
  ] as const;

  it('reports each feed with its age and limit', () => {
    expect(feedFreshness(feeds, at)).toEqual([
      {
        kind: 'kev',
        date: feeds[0].date,
        ageDays: 6,
        maxAgeDays: 7,
        stale: false,
        reason: 'kev: 6 days old (limit 7)',
      },
      {
        kind: 'epss',
        date: feeds[1].date,
        ageDays: 8,
        maxAgeDays: 7,
        stale: true,
        reason: 'epss: 8 days old, older than the 7-day limit',
      },
      {
        kind: 'nvd',
        date: feeds[2].date,
        ageDays: 31,
        maxAgeDays: 30,
        stale: true,
        reason: 'nvd: 31 days old, older than the 30-day limit',
      },
      {
        kind: 'cve5',
        date: null,
        ageDays: null,
        maxAgeDays: 30,
        stale: true,
        reason: 'cve5: never loaded',
      },
    ]);
  });

  it('lists only the stale ones, with configurable limits', () => {
    expect(staleFeeds(feeds, at).map((f) => f.kind)).toEqual(['epss', 'nvd', 'cve5']);
    expect(staleFeeds(feeds, at, { epss: 10, kev: 5 }).map((f) => f.kind)).toEqual([
      'kev',
      'nvd',
      'cve5',
    ]);
    expect(staleFeeds([{ kind: 'kev', date: 'garbage' }], at)[0]!.reason).toBe(
      'kev: unreadable date "garbage"',
    );
  });
});
