/**
 * Guarded conversions of scanner text into normalized values: scores, dates, identifiers.
 * Each returns undefined rather than a wrong value.
 */

/** A CVSS score from text like "7.5", "9.3 (AV:N/...)" or "10"; undefined unless 0..10. */
export function parseScore(raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const match = /^\s*(\d{1,2}(?:\.\d+)?)(?![\d.])/.exec(raw);
  if (!match?.[1]) return undefined;
  const score = Number(match[1]);
  return Number.isFinite(score) && score >= 0 && score <= 10 ? score : undefined;
}

/** Qualys and Nexpose write "9.3 (AV:N/AC:M/...)" or "(AV:N/...)": the vector inside (). */
export function vectorInParens(raw: string | undefined): string | undefined {
  const match = raw ? /\(([A-Za-z0-9:./]+)\)/.exec(raw) : null;
  return match?.[1];
}

/** A trimmed non-empty string, or undefined. */
export function nonEmpty(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const trimmed = raw.trim();
  return trimmed === '' ? undefined : trimmed;
}

/**
 * ISO 8601 (UTC) from an ISO string with or without offset, or from epoch seconds.
 * Times without a zone are read as UTC: the formats that write them do not say.
 */
export function toIso(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  if (/^\d{9,11}$/.test(value)) return isoOf(Number(value) * 1000);
  if (!/^\d{4}-\d{2}-\d{2}/.test(value)) return undefined;
  const zoned = /(?:Z|[+-]\d{2}:?\d{2})$/i.test(value) ? value : `${value}Z`;
  return isoOf(Date.parse(zoned));
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Nessus HOST_START text, "Mon Jul  1 11:40:48 2013" (scanner-local time, read as UTC). */
export function fromCtime(raw: string | undefined): string | undefined {
  const match = raw
    ? /^\s*\w{3} (\w{3}) +(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4})\s*$/.exec(raw)
    : null;
  if (!match) return undefined;
  const [, mon = '', day, h, m, s, year] = match;
  const month = MONTHS.indexOf(mon);
  if (month < 0) return undefined;
  return isoOf(Date.UTC(Number(year), month, Number(day), Number(h), Number(m), Number(s)));
}

/** Nexpose "20131127T050242739" (no zone, read as UTC). */
export function fromCompactTime(raw: string | undefined): string | undefined {
  const match = raw ? /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(\d{3})?/.exec(raw) : null;
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s, ms] = match;
  return isoOf(
    Date.UTC(
      Number(y),
      Number(mo) - 1,
      Number(d),
      Number(h),
      Number(mi),
      Number(s),
      Number(ms ?? 0),
    ),
  );
}

function isoOf(ms: number): string | undefined {
  if (!Number.isFinite(ms)) return undefined;
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const CVE_PATTERN = /CVE-\d{4}-\d{4,}/gi;

/** Every CVE id in `text`, uppercased, in order of appearance. */
export function cvesIn(text: string): string[] {
  return (text.match(CVE_PATTERN) ?? []).map((id) => id.toUpperCase());
}

/** "79", "CWE-79", "CWE:79", "cwe 79" → "CWE-79". */
export function normalizeCwe(raw: string): string | undefined {
  const match = /^\s*(?:CWE[\s:-]*)?(\d{1,5})\s*$/i.exec(raw);
  return match?.[1] ? `CWE-${Number(match[1])}` : undefined;
}

/** A port number 1..65535 from text; 0 and junk give undefined (Nessus port 0 = no port). */
export function parsePort(raw: string | undefined): number | undefined {
  if (raw === undefined || !/^\s*\d{1,5}\s*$/.test(raw)) return undefined;
  const port = Number(raw);
  return port >= 1 && port <= 65535 ? port : undefined;
}

const IPV4 = /^(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(?:\.(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

export function isIpAddress(value: string): boolean {
  return IPV4.test(value) || (value.includes(':') && /^[0-9a-f:.]+$/i.test(value));
}

/** "001122334455" or "00-11-22-33-44-55" → "00:11:22:33:44:55"; others unchanged. */
export function normalizeMac(raw: string | undefined): string | undefined {
  const value = nonEmpty(raw);
  if (value === undefined) return undefined;
  const hex = value.replace(/[:.-]/g, '');
  if (!/^[0-9a-f]{12}$/i.test(hex)) return value;
  return hex.toLowerCase().replace(/(..)(?!$)/g, '$1:');
}

const HTML_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
  '#39': "'",
};

/** Qualys knowledge-base text is HTML inside CDATA: keep the words and the line breaks. */
export function htmlToText(html: string): string {
  return html
    .replace(/<\s*(?:br|p|li|\/p|\/li|\/div|div|\/tr)\b[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, '')
    .replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, name: string) => HTML_ENTITIES[name] ?? '')
    .replace(/[ \t]+\n/g, '\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

/**
 * Trims a text field and removes the indentation a pretty-printer added to its lines,
 * keeping the relative indentation the scanner wrote ("  - Installed package : ..."). When
 * the text starts on the tag's line, that first line does not count (it has no indent).
 */
export function tidyText(raw: string): string {
  const firstBreak = raw.indexOf('\n');
  if (firstBreak < 0) return raw.trim();
  const ownLine = raw.slice(0, firstBreak).trim() === '';
  // Skip leading blank lines; keep the indentation of the first line with text.
  const start = ownLine ? raw.lastIndexOf('\n', raw.search(/\S/)) + 1 : 0;
  const text = raw.slice(start).trimEnd();
  // Evidence fields are large and frequent: guess the indent from the first lines, then
  // let one native regex pass confirm it, and walk every line only when it does not.
  let common = minIndent(text, ownLine, 4);
  if (common > 0 && common !== Infinity && indentPatterns(common).shallower.test(text)) {
    common = minIndent(text, ownLine, Infinity);
  }
  if (common === 0 || common === Infinity) return text.trim();
  const body = text.replace(indentPatterns(common).strip, '\n');
  return (ownLine ? body.slice(common) : body).trim();
}

const indentCache = new Map<number, { shallower: RegExp; strip: RegExp }>();

function indentPatterns(indent: number): { shallower: RegExp; strip: RegExp } {
  let patterns = indentCache.get(indent);
  if (patterns === undefined) {
    patterns = {
      // A line with text that starts with fewer than `indent` blanks.
      shallower: new RegExp(`\n(?![ \t]{${indent}}|[ \t]*(?:\n|$))`),
      strip: new RegExp(`\n[ \t]{0,${indent}}`, 'g'),
    };
    indentCache.set(indent, patterns);
  }
  return patterns;
}

/** Smallest indentation among the first `maxLines` lines with text (Infinity: none). */
function minIndent(text: string, withFirst: boolean, maxLines: number): number {
  let common = withFirst ? indentAt(text, 0) : Infinity;
  let lines = 0;
  for (let nl = text.indexOf('\n'); nl >= 0 && common > 0; nl = text.indexOf('\n', nl + 1)) {
    const indent = indentAt(text, nl + 1);
    if (indent === Infinity) continue;
    if (indent < common) common = indent;
    if (++lines >= maxLines) break;
  }
  return common;
}

/** Indentation of the line starting at `at`; Infinity for blank lines. */
function indentAt(text: string, at: number): number {
  let i = at;
  while (i < text.length && (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09)) i++;
  return i >= text.length || text.charCodeAt(i) === 0x0a ? Infinity : i - at;
}

/** A solution text, or undefined for the placeholders scanners write ("n/a", "Not applicable."). */
export function meaningfulSolution(raw: string | undefined): string | undefined {
  const text = raw === undefined ? undefined : nonEmpty(raw);
  if (text === undefined || /^(?:n\/?a|none|not\s+applicable)\.?$/i.test(text)) return undefined;
  return text;
}

/**
 * Text gathered from markup (Nexpose <Paragraph>/<ListItem> trees): the source indentation
 * carries no meaning there, so every line is trimmed and runs of blank lines become one.
 */
export function collapseLines(raw: string): string {
  return raw
    .split('\n')
    .map((line) => line.trim())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}
