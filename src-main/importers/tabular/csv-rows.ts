/**
 * Streaming CSV row reader shared by the CSV importers.
 *
 * - The delimiter (",", ";" or tab) is read from the first line; Tenable VM exports use ";".
 * - The header is the first record that `isHeader` accepts within the first
 *   `headerSearchLimit` records, so report preambles (Qualys "Scan Results" lines) are
 *   skipped. No such record: IMPORT_MALFORMED naming the expected columns.
 * - Rows are ragged-tolerant (missing cells read as "", extra cells are ignored) and rows
 *   whose cells are all blank are skipped (Tenable pads exports with ",,,," lines).
 * - Quoting is strict: a stray quote in an unquoted field or text after a closing quote is
 *   IMPORT_MALFORMED (with the line and the field number as column), as is an unclosed
 *   quote (with the line its record starts on). Every row knows the line it starts on.
 * - Memory holds one record at a time (plus csv-parse's read buffer).
 */
import { addAbortSignal, pipeline, Readable } from 'node:stream';
import { CsvError, parse, type InfoRecord } from 'csv-parse';
import { isVzError, type VzError } from '../../core/errors';
import { cancelled, throwIfCancelled } from '../common/cancel';
import { malformed } from '../errors';

/** Lower-cased, whitespace-collapsed form used to compare header names. */
export function normalizeHeaderName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The header row, with lookups that ignore case and spacing ("plugin  id" = "Plugin ID"). */
export class CsvHeader {
  readonly names: readonly string[];
  private readonly byNormalized = new Map<string, string>();

  constructor(names: readonly string[]) {
    this.names = names.map((name) => name.replace(/^\uFEFF/, '').trim());
    for (const name of this.names) {
      const key = normalizeHeaderName(name);
      // Duplicate names: the first column wins; unnamed columns cannot be looked up.
      if (key !== '' && !this.byNormalized.has(key)) this.byNormalized.set(key, name);
    }
  }

  /** The header name as written in the file for `name`, if the column exists. */
  resolve(name: string): string | undefined {
    return this.byNormalized.get(normalizeHeaderName(name));
  }

  has(name: string): boolean {
    return this.byNormalized.has(normalizeHeaderName(name));
  }

  hasAny(names: readonly string[]): boolean {
    return names.some((name) => this.has(name));
  }

  /** Column groups (alternatives) that are missing; empty when every group is present. */
  missing(groups: readonly (readonly string[])[]): (readonly string[])[] {
    return groups.filter((group) => !this.hasAny(group));
  }
}

/** One data row. */
export interface CsvRow {
  /** 1-based line on which the record starts (records can span lines). */
  readonly line: number;
  /** Cell values by header name as written in the file. */
  readonly fields: Readonly<Record<string, string>>;
  /**
   * The trimmed value of the first of `names` that the header has (case- and
   * space-insensitive) and that is not blank in this row; undefined otherwise.
   */
  get(...names: string[]): string | undefined;
}

export interface OpenCsvOptions {
  fileName: string;
  signal?: AbortSignal;
  /** Recognizes the header record among the first records. */
  isHeader: (cells: readonly string[]) => boolean;
  /** Human description of the expected columns, for the error when no header is found. */
  expectedColumns: string;
  /** How many leading records may precede the header (report preambles). Default 30. */
  headerSearchLimit?: number;
  /** Largest record csv-parse may buffer, in characters. Default 64 MiB. */
  maxRecordChars?: number;
}

export interface OpenedCsv {
  header: CsvHeader;
  headerLine: number;
  delimiter: string;
  /** Data rows; call `return()` (or finish iterating) to release the input. */
  rows: AsyncGenerator<CsvRow, void, undefined>;
}

const DEFAULT_MAX_RECORD_CHARS = 64 * 1024 * 1024;
const DELIMITERS = [',', ';', '\t'] as const;

/**
 * Picks the delimiter with the most occurrences outside quotes on the first line.
 * Comma wins ties and empty input: it is what every scanner writes by default.
 */
export function sniffDelimiter(text: string): string {
  const counts = new Map<string, number>(DELIMITERS.map((d) => [d, 0]));
  let quoted = false;
  for (const char of text.replace(/^\uFEFF/, '')) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char)) counts.set(char, (counts.get(char) ?? 0) + 1);
  }
  let best = ',';
  for (const d of DELIMITERS) if ((counts.get(d) ?? 0) > (counts.get(best) ?? 0)) best = d;
  return best;
}

/**
 * The first records of a file head (the 64 KiB a sniffer sees), parsed leniently: a head
 * cut in the middle of a quoted field yields the complete records before it.
 */
export function readHeadRecords(head: string, maxRecords = 30): string[][] {
  const delimiter = sniffDelimiter(head);
  const records: string[][] = [];
  let cells: string[] = [];
  let cell = '';
  let quoted = false;
  const text = head.replace(/^\uFEFF/, '');
  for (let i = 0; i < text.length && records.length < maxRecords; i++) {
    const char = text[i];
    if (quoted) {
      if (char === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"' && cell === '') quoted = true;
    else if (char === delimiter) {
      cells.push(cell);
      cell = '';
    } else if (char === '\n' || char === '\r') {
      if (char === '\r' && text[i + 1] === '\n') i++;
      cells.push(cell);
      if (cells.some((c) => c.trim() !== '')) records.push(cells);
      cells = [];
      cell = '';
    } else cell += char;
  }
  // A last line without newline is complete only when the head is the whole file; a
  // partial line is still useful to a sniffer (header names), so keep it.
  if (!quoted && (cell !== '' || cells.length > 0) && records.length < maxRecords) {
    cells.push(cell);
    if (cells.some((c) => c.trim() !== '')) records.push(cells);
  }
  return records;
}

interface ParsedRecord {
  cells: string[];
  line: number;
}

/**
 * Opens a CSV stream: reads up to and including the header, then hands out data rows.
 * Throws IMPORT_MALFORMED (no header, bad quoting) or CANCELLED.
 */
export async function openCsv(input: Readable, options: OpenCsvOptions): Promise<OpenedCsv> {
  const { fileName, signal } = options;
  throwIfCancelled(signal, fileName);
  // Cancelling destroys the input, which also wakes a read that is waiting for data.
  if (signal) addAbortSignal(signal, input);
  const source = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  const peeked: Buffer[] = [];
  let peekedText = '';
  // Enough of the start to see the first line, so the delimiter can be chosen.
  try {
    while (!/[\r\n]/.test(peekedText) && peekedText.length < 64 * 1024) {
      const next = await source.next();
      if (next.done) break;
      const chunk = toBuffer(next.value);
      peeked.push(chunk);
      peekedText += chunk.toString('utf8');
    }
  } catch (error) {
    await source.return?.();
    throw toImportError(error, fileName, signal, undefined);
  }
  const delimiter = sniffDelimiter(peekedText);
  // Two trackers of where records end: the parser's (ahead of us, needed for an error at
  // the end of the file) and ours (to give each row the line it starts on).
  const progress = { lastEnd: 0, lastEmpty: 0 };
  const consumed = { lastEnd: 0, lastEmpty: 0 };
  const parser = parse({
    bom: true,
    delimiter,
    info: true,
    relax_column_count: true,
    relax_quotes: false,
    skip_empty_lines: true,
    max_record_size: options.maxRecordChars ?? DEFAULT_MAX_RECORD_CHARS,
    on_record: (record: string[], context: InfoRecord): string[] => {
      progress.lastEnd = context.lines;
      progress.lastEmpty = context.empty_lines;
      return record;
    },
  });
  const feed = Readable.from(prepend(peeked, source));
  if (signal) addAbortSignal(signal, parser);
  // Errors surface through the parser's iterator below; the callback only prevents an
  // unhandled rejection when iteration stops early.
  pipeline(feed, parser, () => undefined);
  const records = parser[Symbol.asyncIterator]() as AsyncIterator<unknown>;

  const nextRecord = async (): Promise<ParsedRecord | undefined> => {
    try {
      const next = await records.next();
      if (next.done) return undefined;
      if (!isInfoRecord(next.value)) throw malformed(fileName, 'unreadable CSV record');
      const { record, info } = next.value;
      const line = consumed.lastEnd + 1 + (info.empty_lines - consumed.lastEmpty);
      consumed.lastEnd = info.lines;
      consumed.lastEmpty = info.empty_lines;
      return { cells: record, line };
    } catch (error) {
      throw toImportError(error, fileName, signal, progress);
    }
  };
  const close = async (): Promise<void> => {
    await records.return?.();
    parser.destroy();
  };

  const limit = options.headerSearchLimit ?? 30;
  let headerRecord: ParsedRecord | undefined;
  let firstRecord: ParsedRecord | undefined;
  try {
    for (let i = 0; i < limit; i++) {
      const record = await nextRecord();
      if (record === undefined) break;
      firstRecord ??= record;
      if (options.isHeader(record.cells)) {
        headerRecord = record;
        break;
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  if (headerRecord === undefined) {
    await close();
    const found = firstRecord
      ? `; the first line has: ${firstRecord.cells
          .slice(0, 12)
          .map((cell) => cell.slice(0, 40))
          .join(', ')}`
      : '; the file is empty';
    throw malformed(
      fileName,
      `not a recognized CSV header: expected the columns ${options.expectedColumns}${found}`,
      firstRecord?.line ?? 1,
    );
  }

  const header = new CsvHeader(headerRecord.cells);
  async function* rows(): AsyncGenerator<CsvRow, void, undefined> {
    try {
      for (;;) {
        throwIfCancelled(signal, fileName);
        const record = await nextRecord();
        if (record === undefined) return;
        if (record.cells.every((cell) => cell.trim() === '')) continue;
        yield makeRow(header, record);
      }
    } finally {
      await close();
    }
  }
  return { header, headerLine: headerRecord.line, delimiter, rows: rows() };
}

function makeRow(header: CsvHeader, record: ParsedRecord): CsvRow {
  const fields: Record<string, string> = {};
  header.names.forEach((name, index) => {
    if (name === '' || Object.prototype.hasOwnProperty.call(fields, name)) return;
    fields[name] = record.cells[index] ?? '';
  });
  return {
    line: record.line,
    fields,
    get(...names: string[]): string | undefined {
      for (const name of names) {
        const column = header.resolve(name);
        if (column === undefined) continue;
        const value = fields[column]?.trim();
        if (value) return value;
      }
      return undefined;
    },
  };
}

async function* prepend(
  first: readonly Buffer[],
  rest: AsyncIterator<unknown>,
): AsyncGenerator<Buffer, void, undefined> {
  let finished = false;
  try {
    for (const chunk of first) yield chunk;
    for (;;) {
      const next = await rest.next();
      if (next.done) {
        finished = true;
        return;
      }
      yield toBuffer(next.value);
    }
  } finally {
    // Stopped early (error, cancel, consumer gave up): release the caller's stream.
    if (!finished) await rest.return?.();
  }
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new TypeError('the input stream must produce bytes or text');
}

interface InfoWrapped {
  record: string[];
  info: { lines: number; empty_lines: number };
}

/** csv-parse with `info: true` yields `{ record, info }`; checked because it is untyped. */
function isInfoRecord(value: unknown): value is InfoWrapped {
  if (typeof value !== 'object' || value === null) return false;
  const { record, info } = value as Partial<InfoWrapped>;
  return (
    Array.isArray(record) &&
    record.every((cell) => typeof cell === 'string') &&
    typeof info === 'object' &&
    info !== null &&
    typeof info.lines === 'number' &&
    typeof info.empty_lines === 'number'
  );
}

const CSV_PROBLEMS: Readonly<Record<string, string>> = {
  CSV_QUOTE_NOT_CLOSED: 'a quoted field is never closed (the file may be truncated)',
  CSV_INVALID_CLOSING_QUOTE: 'a closing quote is followed by other characters',
  INVALID_OPENING_QUOTE: 'a quote appears inside an unquoted field',
  CSV_MAX_RECORD_SIZE: 'a record is too large (wrong delimiter or an unclosed quote)',
  CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE: 'a closing quote is followed by other characters',
};

/** Maps anything thrown while reading CSV to VzError: CANCELLED or IMPORT_MALFORMED. */
function toImportError(
  error: unknown,
  fileName: string,
  signal: AbortSignal | undefined,
  progress: { lastEnd: number; lastEmpty: number } | undefined,
): VzError {
  if (signal?.aborted) return cancelled(fileName);
  if (isVzError(error)) return error;
  if (error instanceof CsvError || isCsvErrorLike(error)) {
    const code = String(error.code);
    const detail = CSV_PROBLEMS[code] ?? error.message;
    const lines = typeof error.lines === 'number' ? error.lines : undefined;
    const field = typeof error.column === 'number' ? error.column + 1 : undefined;
    if (code === 'CSV_QUOTE_NOT_CLOSED' && progress) {
      // csv-parse reports the end of the file; the record that never closed started
      // right after the last complete one.
      const empty = typeof error.empty_lines === 'number' ? error.empty_lines : progress.lastEmpty;
      const start = progress.lastEnd + 1 + (empty - progress.lastEmpty);
      return malformed(fileName, `${detail} (record starting here)`, start);
    }
    return malformed(fileName, detail, lines, field);
  }
  const message = error instanceof Error ? error.message : String(error);
  return malformed(fileName, `could not be read: ${message}`);
}

interface CsvErrorLike {
  code: string;
  message: string;
  lines?: unknown;
  column?: unknown;
  empty_lines?: unknown;
}

function isCsvErrorLike(error: unknown): error is CsvErrorLike {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return typeof code === 'string' && /^(CSV_|INVALID_OPENING_QUOTE)/.test(code);
}
