import type { Readable } from 'node:stream';
import { decodedBytes } from './decompress';
import { feedMalformed } from './errors';
import type { FeedMetaBase, ParseOptions } from './types';

/**
 * FIRST EPSS daily scores (epss_scores-YYYY-MM-DD.csv, plain or .gz). The daily file has
 * hundreds of thousands of rows, so it is read line by line and each row is yielded as it
 * is validated; nothing accumulates. The rows are plain `CVE,number,number` (FIRST never
 * quotes them), which a line reader handles exactly.
 */
export interface EpssMeta extends FeedMetaBase<'epss'> {
  modelVersion: string | null;
  scoreDate: string | null;
}

export interface EpssRecord {
  type: 'epss';
  cve: string;
  /** Probability of exploitation activity in the next 30 days, 0..1. */
  epss: number;
  /** Rank among all scored CVEs, 0..1; null for files without the column (pre-2022). */
  percentile: number | null;
}

export type EpssItem = EpssMeta | EpssRecord;

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
// Longer than any real row; a file without newlines is not an EPSS file.
const MAX_LINE = 4096;

export async function* parseEpss(
  input: Readable,
  opts: ParseOptions,
): AsyncGenerator<EpssItem, void, undefined> {
  const { fileName, signal } = opts;
  let lineNo = 0;
  let columns: { cve: number; epss: number; percentile: number | null; count: number } | null =
    null;
  let meta: EpssMeta | null = null;

  for await (const line of lines(decodedBytes(input, fileName, signal), fileName)) {
    lineNo += 1;
    const where = `line ${lineNo}`;
    if (line.trim() === '') continue;

    if (columns === null) {
      if (line.startsWith('#')) {
        if (meta !== null) throw feedMalformed(fileName, where, 'unexpected second comment line');
        meta = parseComment(fileName, where, line);
        continue;
      }
      columns = parseHeader(fileName, where, line);
      meta ??= emptyMeta(fileName);
      yield meta;
      continue;
    }

    const cells = line.split(',');
    if (cells.length !== columns.count)
      throw feedMalformed(
        fileName,
        where,
        `expected ${columns.count} columns, found ${cells.length}`,
      );
    const cve = (cells[columns.cve] ?? '').trim();
    if (!CVE_ID.test(cve)) throw feedMalformed(fileName, where, `"${cve}" is not a CVE id`);
    const epss = probability(fileName, where, 'epss', cells[columns.epss]);
    const percentile =
      columns.percentile === null
        ? null
        : probability(fileName, where, 'percentile', cells[columns.percentile]);
    yield { type: 'epss', cve, epss, percentile };
  }
  if (columns === null)
    throw feedMalformed(fileName, null, 'no "cve,epss,percentile" header line found');
}

function probability(
  fileName: string,
  where: string,
  column: string,
  raw: string | undefined,
): number {
  const text = (raw ?? '').trim();
  const value = DECIMAL.test(text) ? Number(text) : Number.NaN;
  if (!Number.isFinite(value))
    throw feedMalformed(fileName, where, `${column} "${text}" is not a number`);
  if (value < 0 || value > 1)
    throw feedMalformed(fileName, where, `${column} ${text} is outside 0..1`);
  return value;
}

function emptyMeta(fileName: string): EpssMeta {
  return {
    type: 'meta',
    kind: 'epss',
    fileName,
    version: null,
    date: null,
    recordCount: null,
    modelVersion: null,
    scoreDate: null,
  };
}

/** `#model_version:v2025.03.14,score_date:2026-09-29T00:00:00+0000` */
function parseComment(fileName: string, where: string, line: string): EpssMeta {
  const fields = new Map<string, string>();
  for (const part of line.slice(1).split(',')) {
    const colon = part.indexOf(':');
    if (colon > 0) fields.set(part.slice(0, colon).trim(), part.slice(colon + 1).trim());
  }
  const modelVersion = fields.get('model_version') ?? null;
  const rawDate = fields.get('score_date');
  let scoreDate: string | null = null;
  if (rawDate !== undefined) {
    // FIRST has written both `+0000` and `Z`; Date accepts only the colon form of offsets.
    const normalised = rawDate.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    const ms = /^\d{4}-\d{2}-\d{2}/.test(normalised) ? Date.parse(normalised) : Number.NaN;
    if (Number.isNaN(ms))
      throw feedMalformed(fileName, where, `score_date "${rawDate}" is not a date`);
    scoreDate = new Date(ms).toISOString();
  }
  return {
    ...emptyMeta(fileName),
    version: modelVersion,
    date: scoreDate,
    modelVersion,
    scoreDate,
  };
}

function parseHeader(
  fileName: string,
  where: string,
  line: string,
): { cve: number; epss: number; percentile: number | null; count: number } {
  const names = line.split(',').map((c) => c.trim().toLowerCase());
  const cve = names.indexOf('cve');
  const epss = names.indexOf('epss');
  const percentile = names.indexOf('percentile');
  if (cve < 0 || epss < 0)
    throw feedMalformed(
      fileName,
      where,
      `expected the header "cve,epss,percentile", found "${line.slice(0, 80)}"`,
    );
  return { cve, epss, percentile: percentile < 0 ? null : percentile, count: names.length };
}

/** Splits decoded bytes into lines (LF or CRLF) without holding more than one line. */
async function* lines(
  bytes: AsyncIterable<Buffer>,
  fileName: string,
): AsyncGenerator<string, void, undefined> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let carry = '';
  let lineNo = 0;
  const tooLong = (): Error =>
    feedMalformed(fileName, `line ${lineNo + 1}`, `line longer than ${MAX_LINE} characters`);
  for await (const chunk of bytes) {
    let text: string;
    try {
      text = carry + decoder.decode(chunk, { stream: true });
    } catch {
      throw feedMalformed(fileName, `line ${lineNo + 1}`, 'the file is not valid UTF-8');
    }
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const end = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      if (end - start > MAX_LINE) throw tooLong();
      lineNo += 1;
      yield text.slice(start, end);
      start = nl + 1;
    }
    carry = text.slice(start);
    if (carry.length > MAX_LINE) throw tooLong();
  }
  try {
    carry += decoder.decode();
  } catch {
    throw feedMalformed(fileName, `line ${lineNo + 1}`, 'the file ends inside a UTF-8 character');
  }
  if (carry.endsWith('\r')) carry = carry.slice(0, -1);
  if (carry.length > 0) yield carry;
}
