import { describe, expect, it } from 'vitest';
import {
  CsvHeader,
  openCsv,
  readHeadRecords,
  sniffDelimiter,
  type CsvRow,
  type OpenCsvOptions,
} from '../../../../src-main/importers/tabular/csv-rows';
import { captureError, streamOf } from './helpers';

const options = (overrides: Partial<OpenCsvOptions> = {}): OpenCsvOptions => ({
  fileName: 'rows.csv',
  isHeader: (cells) => cells.some((cell) => cell.trim().toLowerCase() === 'host'),
  expectedColumns: '"Host"',
  ...overrides,
});

async function readAll(text: string, chunkSize = 3, extra: Partial<OpenCsvOptions> = {}) {
  const csv = await openCsv(streamOf(text, chunkSize), options(extra));
  const rows: CsvRow[] = [];
  for await (const row of csv.rows) rows.push(row);
  return { csv, rows };
}

describe('openCsv', () => {
  it('maps cells by header, gives start lines of multi-line records, skips blank rows', async () => {
    const text = 'Host,Output\n10.0.0.1,"line one\nline two"\n\n,\n10.0.0.2,plain\n';
    const { csv, rows } = await readAll(text);
    expect(csv.header.names).toEqual(['Host', 'Output']);
    expect(csv.headerLine).toBe(1);
    expect(rows.map((r) => [r.line, r.fields])).toEqual([
      [2, { Host: '10.0.0.1', Output: 'line one\nline two' }],
      [6, { Host: '10.0.0.2', Output: 'plain' }],
    ]);
  });

  it('looks names up ignoring case and spacing, and tolerates ragged rows', async () => {
    const { rows } = await readAll(
      '\uFEFFHost ,Plugin  ID,,Extra\n10.0.0.1,19506\n10.0.0.2,1,x,y,z\n',
    );
    expect(rows[0]?.get('plugin id')).toBe('19506');
    expect(rows[0]?.get('HOST')).toBe('10.0.0.1');
    expect(rows[0]?.get('Extra')).toBeUndefined();
    expect(rows[0]?.get('Missing', 'Host')).toBe('10.0.0.1');
    expect(rows[1]?.fields).toEqual({ Host: '10.0.0.2', 'Plugin  ID': '1', Extra: 'y' });
  });

  it('detects ";" and tab delimiters from the first line', async () => {
    const semi = await readAll('Host;Note\n10.0.0.1;"a,b;c"\n');
    expect(semi.csv.delimiter).toBe(';');
    expect(semi.rows[0]?.fields).toEqual({ Host: '10.0.0.1', Note: 'a,b;c' });
    const tab = await readAll('Host\tNote\n10.0.0.1\tx\n');
    expect(tab.rows[0]?.get('Note')).toBe('x');
  });

  it('skips a preamble before the header', async () => {
    const { csv, rows } = await readAll('"Scan Results","2024"\n\nHost,QID\n10.0.0.1,38173\n');
    expect(csv.headerLine).toBe(3);
    expect(rows.map((r) => r.line)).toEqual([4]);
  });

  it('names the expected columns when no header matches', async () => {
    const error = await captureError(() => readAll('Name,Address\nx,y\n'));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.message).toBe(
      'rows.csv: line 1: not a recognized CSV header: expected the columns "Host"; the first line has: Name, Address',
    );
    const empty = await captureError(() => readAll(''));
    expect(empty.message).toContain('the file is empty');
  });

  it('reports a stray quote with its line and field', async () => {
    const error = await captureError(() => readAll('Host,Out\n10.0.0.1,ok\n10.0.0.2,"bad"x\n'));
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.details).toMatchObject({ fileName: 'rows.csv', line: 3, column: 2 });
  });

  it('reports an unclosed quote at the line where its record starts', async () => {
    const error = await captureError(() =>
      readAll('Host,Out\n10.0.0.1,ok\n\n10.0.0.2,"never\nclosed\n', 5),
    );
    expect(error.code).toBe('IMPORT_MALFORMED');
    expect(error.details).toMatchObject({ line: 4 });
    expect(error.message).toContain('never closed');
  });
});

describe('sniffing helpers', () => {
  it('chooses the delimiter outside quotes', () => {
    expect(sniffDelimiter('"a;b;c",d,e\n1;2;3;4;5')).toBe(',');
    expect(sniffDelimiter('a;b;c\n')).toBe(';');
    expect(sniffDelimiter('')).toBe(',');
  });

  it('reads the records of a head cut in the middle of a quoted field', () => {
    expect(readHeadRecords('A,B\n"1","x\ny"\n2,"unfinish')).toEqual([
      ['A', 'B'],
      ['1', 'x\ny'],
    ]);
    expect(readHeadRecords('A,B')).toEqual([['A', 'B']]);
  });

  it('reports missing column groups', () => {
    const header = new CsvHeader(['Plugin ID', 'Host']);
    expect(header.missing([['plugin id'], ['Risk', 'Severity']])).toEqual([['Risk', 'Severity']]);
    expect(header.resolve(' host ')).toBe('Host');
  });
});
