import { describe, expect, it } from 'vitest';
import { weekStart } from '../../../src-main/triage/dashboard';
import { encodeCursor } from '../../../src-main/triage/page';
import { ftsTerms } from '../../../src-main/triage/search-index';

describe('free-text terms', () => {
  it('quotes every term as a prefix phrase so FTS5 syntax in the text stays data', () => {
    expect(ftsTerms('openssl  web01')).toEqual(['"openssl"*', '"web01"*']);
    expect(ftsTerms('CVE-2024-3094')).toEqual(['"CVE-2024-3094"*']);
    expect(ftsTerms('a" OR "b')).toEqual(['"a"*', '"OR"*', '"b"*']);
    expect(ftsTerms('NEAR(x y) *')).toEqual(['"NEAR x"*', '"y"*']);
    expect(ftsTerms(' * " () ')).toEqual([]);
    expect(ftsTerms('1 2 3 4 5 6 7 8 9 10')).toHaveLength(8);
  });
});

describe('dashboard weeks', () => {
  it('start on the Monday of the ISO week (UTC)', () => {
    expect(weekStart(new Date('2026-11-25T10:00:00Z'))).toBe('2026-11-23');
    expect(weekStart(new Date('2026-11-23T00:00:00Z'))).toBe('2026-11-23');
    expect(weekStart(new Date('2026-11-29T23:59:59Z'))).toBe('2026-11-23');
    expect(weekStart(new Date('2027-01-01T00:00:00Z'))).toBe('2026-12-28');
  });
});

describe('page cursors', () => {
  it('are opaque base64url of the last sort value and id', () => {
    const cursor = encodeCursor('2026-01-01T00:00:00.000Z', 42);
    expect(cursor).toMatch(/^[\w-]+$/);
    expect(JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))).toEqual([
      '2026-01-01T00:00:00.000Z',
      42,
    ]);
  });
});
