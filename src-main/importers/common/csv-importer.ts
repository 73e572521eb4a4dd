/**
 * The loop every CSV importer shares: open the rows, emit the scan record, each asset
 * once, findings (merged across consecutive rows when the format asks for it), and notes.
 * A format only describes its columns (see CsvFormat).
 */
import type { Readable } from 'node:stream';
import {
  normalizeHeaderName,
  openCsv,
  readHeadRecords,
  type CsvHeader,
  type CsvRow,
} from '../tabular/csv-rows';
import type {
  ImportRecord,
  NormalizedAsset,
  NormalizedFinding,
  ParseContext,
  ScanInfo,
} from '../types';
import { AssetRegistry } from './asset';
import { parseCvss } from './cvss';
import { ConsecutiveMerger, mergeFindings } from './finding-merge';
import { finalizeFinding } from './finalize';
import { NoteCollector } from './notes';

export interface CsvRowResult {
  /** The host the row is about; rows without a host identity are skipped with a note. */
  asset: NormalizedAsset;
  /** Absent for coverage-only rows (a host scanned without findings). */
  finding?: NormalizedFinding;
}

/** Column groups: each inner list names alternatives, one of which must be present. */
export type ColumnGroups = readonly (readonly string[])[];

export interface CsvFormat {
  format: string;
  /** Columns the header must have; used to find the header and in the error message. */
  required: ColumnGroups;
  /** Stricter header test for formats whose required columns other formats share. */
  isHeader?: (cells: readonly string[]) => boolean;
  /** Scan record, emitted as soon as the header is read. */
  scan(header: CsvHeader): ScanInfo;
  /** Maps one data row; undefined skips it (the format adds a note saying why). */
  mapRow(row: CsvRow, notes: NoteCollector, header: CsvHeader): CsvRowResult | undefined;
  /** When set, consecutive rows whose findings share this key become one finding. */
  mergeKey?: (finding: NormalizedFinding) => string;
}

/** "Plugin ID, Host, ..." with alternatives as "Plugin ID/Plugin". */
export function describeColumns(groups: ColumnGroups): string {
  return groups.map((group) => group.map((name) => `"${name}"`).join(' or ')).join(', ');
}

/** True when `cells` (a header row) has every group of `groups`, case-insensitively. */
export function hasColumns(cells: readonly string[], groups: ColumnGroups): boolean {
  const names = headerNameSet(cells);
  return groups.every((group) => group.some((name) => names.has(normalizeHeaderName(name))));
}

/**
 * The header among the first records of a sniffer's head, by the same rule the importer
 * uses, or undefined. Sniffers score from its column names.
 */
export function findHeadHeader(
  head: string,
  accept: (cells: readonly string[]) => boolean,
): string[] | undefined {
  return readHeadRecords(head).find((cells) => accept(cells));
}

/** Normalized header names, for sniffers that look for marker columns. */
export function headerNameSet(cells: readonly string[]): Set<string> {
  return new Set(cells.map(normalizeHeaderName));
}

/**
 * The CVSS score in the first of `columns` present in the row; a value that is not a score
 * between 0 and 10 is ignored with a note naming the line and the column.
 */
export function rowCvss(
  row: CsvRow,
  notes: NoteCollector,
  columns: readonly string[],
): { score?: number; vector?: string } {
  for (const column of columns) {
    const raw = row.get(column);
    if (raw === undefined) continue;
    const parsed = parseCvss(raw);
    if (parsed.rejected !== undefined) {
      notes.add(
        `line ${row.line}: ${column} "${parsed.rejected}" is not a CVSS score from 0 to 10; ignored.`,
      );
      continue;
    }
    if (parsed.score !== undefined) return parsed;
  }
  return {};
}

export async function* importCsv(
  input: Readable,
  ctx: ParseContext,
  format: CsvFormat,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const csv = await openCsv(input, {
    fileName,
    signal,
    isHeader: format.isHeader ?? ((cells) => hasColumns(cells, format.required)),
    expectedColumns: describeColumns(format.required),
  });
  const notes = new NoteCollector(fileName);
  const assets = new AssetRegistry();
  const merger = format.mergeKey
    ? new ConsecutiveMerger<NormalizedFinding>(format.mergeKey, mergeFindings)
    : undefined;

  // A row the schema rejects is skipped with a note: one odd row must not fail the file.
  function* finish(finding: NormalizedFinding, line: number): Generator<ImportRecord> {
    const where = `line ${line} (${finding.vulnerability.key})`;
    const result = finalizeFinding(finding, notes, where);
    if (result.ok) yield { kind: 'finding', finding: result.finding };
    else notes.add(`${where}: finding skipped: ${result.problem}`);
  }

  try {
    yield { kind: 'scan', scan: format.scan(csv.header) };
    for await (const row of csv.rows) {
      const result = format.mapRow(row, notes, csv.header);
      if (result !== undefined) {
        if (assets.firstSighting(result.asset)) yield { kind: 'asset', asset: result.asset };
        if (result.finding !== undefined) {
          if (merger === undefined) {
            yield* finish(result.finding, row.line);
          } else {
            const closed = merger.push(result.finding, row.line);
            if (closed) yield* finish(closed.value, closed.line);
          }
        }
      }
      yield* notes.take();
    }
    const last = merger?.flush();
    if (last) yield* finish(last.value, last.line);
    yield* notes.finish();
  } finally {
    await csv.rows.return();
  }
}
