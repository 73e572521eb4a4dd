/**
 * Text cleanup shared by the importers: scanner exports carry CRLF line ends, padding,
 * placeholder values ("n/a", "-") and fields that can be megabytes long.
 */
import { MAX_FIELD_CHARS } from '../types';

/** Values scanners write when a field has no content. */
const PLACEHOLDERS = new Set(['', 'n/a', 'na', '-', 'none', 'null', 'undefined']);

/**
 * Trims a value and turns CRLF/CR line ends into LF. Empty strings become undefined so
 * optional fields stay absent rather than blank.
 */
export function cleanText(value: string | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = value.replace(/\r\n?/g, '\n').trim();
  return text === '' ? undefined : text;
}

/** Like cleanText, but placeholder values ("n/a", "-", "None", "null") also count as empty. */
export function cleanValue(value: string | null | undefined): string | undefined {
  const text = cleanText(value);
  return text === undefined || PLACEHOLDERS.has(text.toLowerCase()) ? undefined : text;
}

export interface CutText {
  text: string;
  /** True when the text was longer than the limit and was cut. */
  cut: boolean;
}

/**
 * Cuts `text` to at most `max` UTF-16 units without splitting a surrogate pair, so the
 * result is still valid Unicode. The caller turns `cut` into a note for the operator.
 */
export function truncateText(text: string, max: number = MAX_FIELD_CHARS): CutText {
  if (text.length <= max) return { text, cut: false };
  let end = max;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return { text: text.slice(0, end), cut: true };
}

/** Removes duplicates and blanks, keeping the first occurrence's position. */
export function uniqueStrings(values: Iterable<string | null | undefined>): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const value of values) {
    const text = cleanText(value);
    if (text === undefined || seen.has(text)) continue;
    seen.add(text);
    out.push(text);
  }
  return out;
}

/**
 * Splits a list cell ("a, b", "a;b", one per line) into items. Used for CVE, reference
 * and BID columns, whose separators differ between exports.
 */
export function splitList(value: string | null | undefined, separators = /[\s,;]+/): string[] {
  const text = cleanText(value);
  if (text === undefined) return [];
  return uniqueStrings(text.split(separators));
}

/** Splits a "See Also" style cell into URLs: one per line or separated by spaces/commas. */
export function splitReferences(value: string | null | undefined): string[] {
  return splitList(value, /[\s,]+/).filter((item) => !PLACEHOLDERS.has(item.toLowerCase()));
}
