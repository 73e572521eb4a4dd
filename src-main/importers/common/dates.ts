/**
 * Dates in exports come in many shapes. They are turned into ISO 8601 only when the
 * reading is unambiguous; a date without a time zone stays a local ISO date-time (no
 * "Z" is invented). Anything else is dropped rather than stored in a mixed format.
 *
 * Accepted:
 * - ISO 8601 ("2023-06-08T01:58:56.166Z", "2021-05-26 20:50:18", "2025-08-22T16:27:22+02:00")
 * - "2021/01/25" and "2021/1/25 18:40" (Nessus)
 * - "05/13/2021 07:08:28" (Qualys, month first) and "22/09/2022 13:01" (day first, only
 *   when the first number cannot be a month)
 * - "Jan 5, 2021 10:24:08 UTC" (Tenable.sc; UTC/GMT/Z give "Z", other zone names stay local)
 */

const MONTHS: Readonly<Record<string, number>> = {
  jan: 1,
  feb: 2,
  mar: 3,
  apr: 4,
  may: 5,
  jun: 6,
  jul: 7,
  aug: 8,
  sep: 9,
  oct: 10,
  nov: 11,
  dec: 12,
};

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|[+-]\d{2}:?\d{2})?$/i;
const YEAR_FIRST = /^(\d{4})\/(\d{1,2})\/(\d{1,2})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?/;
const SLASHED = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?$/;
const MONTH_NAME =
  /^([A-Za-z]{3})[a-z]*\.?\s+(\d{1,2}),?\s+(\d{4})(?:\s+(\d{1,2}):(\d{2})(?::(\d{2}))?)?(?:\s+([A-Za-z]{1,5}))?$/;

/** ISO 8601 form of `value`, or undefined when it cannot be read unambiguously. */
export function toIsoDate(value: string | null | undefined): string | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  const iso = ISO.exec(text);
  if (iso) return fromIso(iso);
  const ymd = YEAR_FIRST.exec(text);
  if (ymd) return build(ymd[1], ymd[2], ymd[3], ymd[4], ymd[5], ymd[6], undefined);
  const slashed = SLASHED.exec(text);
  if (slashed) {
    const first = Number(slashed[1]);
    const dayFirst = first > 12;
    const month = dayFirst ? slashed[2] : slashed[1];
    const day = dayFirst ? slashed[1] : slashed[2];
    return build(slashed[3], month, day, slashed[4], slashed[5], slashed[6], undefined);
  }
  const named = MONTH_NAME.exec(text);
  if (named?.[1]) {
    const month = MONTHS[named[1].toLowerCase()];
    if (month === undefined) return undefined;
    const zone = named[7]?.toUpperCase();
    const utc = zone === 'UTC' || zone === 'GMT' || zone === 'Z' ? 'Z' : undefined;
    return build(named[3], String(month), named[2], named[4], named[5], named[6], utc);
  }
  return undefined;
}

function fromIso(m: RegExpExecArray): string | undefined {
  const zone = m[8];
  if (zone && m[4] !== undefined) {
    const date = new Date(m[0].replace(' ', 'T'));
    return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
  }
  const fraction = m[7] ?? '';
  const local = build(m[1], m[2], m[3], m[4], m[5], m[6], undefined);
  return local && m[4] !== undefined && fraction ? `${local}${fraction}` : local;
}

function build(
  year: string | undefined,
  month: string | undefined,
  day: string | undefined,
  hour: string | undefined,
  minute: string | undefined,
  second: string | undefined,
  zone: 'Z' | undefined,
): string | undefined {
  const y = Number(year);
  const mo = Number(month);
  const d = Number(day);
  if (!Number.isInteger(y) || mo < 1 || mo > 12 || d < 1 || d > daysIn(y, mo)) return undefined;
  const datePart = `${pad(y, 4)}-${pad(mo)}-${pad(d)}`;
  if (hour === undefined) return datePart;
  const h = Number(hour);
  const mi = Number(minute ?? 0);
  const s = Number(second ?? 0);
  if (h > 23 || mi > 59 || s > 60) return undefined;
  return `${datePart}T${pad(h)}:${pad(mi)}:${pad(s)}${zone ?? ''}`;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function pad(value: number, width = 2): string {
  return String(value).padStart(width, '0');
}
