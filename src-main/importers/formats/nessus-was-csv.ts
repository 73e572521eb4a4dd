/**
 * "nessus-was-csv": the CSV export of Tenable Web App Scanning (Nessus WAS). Same columns
 * as the Nessus CSV plus "CVSSv3"; "Host" is the web application's host name, "Protocol"
 * is http/https and "Port" is usually empty. "Risk" is lower case ("high", "info").
 */
import type { Readable } from 'node:stream';
import type { Importer, ParseContext } from '../types';
import { buildAsset } from '../common/asset';
import {
  findHeadHeader,
  hasColumns,
  headerNameSet,
  importCsv,
  type CsvFormat,
} from '../common/csv-importer';
import {
  mapNessusStyleRow,
  nessusMergeKey,
  NESSUS_CSV_COLUMNS,
  NESSUS_WAS_MARKER,
} from './nessus-csv';

const FORMAT = 'nessus-was-csv';
const COLUMNS = [...NESSUS_CSV_COLUMNS, ['CVSSv3']];

const format: CsvFormat = {
  format: FORMAT,
  required: COLUMNS,
  scan: () => ({ scanner: 'Nessus WAS' }),
  mapRow(row, notes) {
    const asset = buildAsset({ host: row.get('Host') });
    if (Object.keys(asset).length === 0) {
      notes.add(`line ${row.line}: row without a host skipped.`);
      return undefined;
    }
    const finding = mapNessusStyleRow(row, notes, {
      format: FORMAT,
      scannerName: 'Nessus WAS',
      asset,
    });
    return finding ? { asset, finding } : { asset };
  },
  mergeKey: nessusMergeKey,
};

export const nessusWasCsvImporter: Importer = {
  format: FORMAT,
  label: 'Nessus WAS CSV',
  hints: 'Nessus CSV header with a "CVSSv3" column (Web App Scanning)',
  sniff(head: string): number {
    const cells = findHeadHeader(head, (c) => hasColumns(c, NESSUS_CSV_COLUMNS));
    if (cells === undefined) return 0;
    return headerNameSet(cells).has(NESSUS_WAS_MARKER) ? 0.95 : 0;
  },
  parse(input: Readable, ctx: ParseContext) {
    return importCsv(input, ctx, format);
  },
};
