/**
 * "qualys-csv": Qualys VM CSV reports. Two column sets are read:
 * - scan / host-based report: "IP","DNS","NetBIOS","OS","QID","Title","Vuln Status","Type",
 *   "Severity","Port","Protocol","FQDN","First Detected","Last Detected","CVE ID",
 *   "Vendor Reference","CVSS Base","CVSS3 Base","Threat","Impact","Solution","Results", ...
 *   (a preamble of report lines before the header is skipped);
 * - PCI report: "IP","HOSTNAME","QID","VULN TITLE","TYPE","SEVERITY","PORT","PROTOCOL",
 *   "OPERATING SYSTEM","CVSS_BASE","Q_SEVERITY","SOLUTION","RESULT","CVEID", ...
 *
 * Severity is Qualys' 1-5 level; "Ig" (information gathered) rows are informational
 * whatever their level. Rows whose "Vuln Status" is Fixed are skipped; rows with an IP and
 * no QID only record the host as covered.
 */
import type { Readable } from 'node:stream';
import type { CsvRow } from '../tabular/csv-rows';
import type { Importer, NormalizedFinding, ParseContext, Severity } from '../types';
import { buildAsset, parsePort } from '../common/asset';
import {
  findHeadHeader,
  hasColumns,
  importCsv,
  rowCvss,
  type ColumnGroups,
  type CsvFormat,
} from '../common/csv-importer';
import { extractCves } from '../common/cves';
import { severityFromCvss } from '../common/cvss';
import { toIsoDate } from '../common/dates';
import type { NoteCollector } from '../common/notes';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, cleanValue, splitList } from '../common/text';

const FORMAT = 'qualys-csv';

const COLUMNS: ColumnGroups = [
  ['IP'],
  ['QID'],
  ['Title', 'VULN TITLE'],
  ['Severity', 'Q_SEVERITY'],
];

/** Qualys levels 1 (minimal) .. 5 (urgent). */
export const QUALYS_LEVEL: SeverityTable = {
  '1': 'info',
  '2': 'low',
  '3': 'medium',
  '4': 'high',
  '5': 'critical',
};

/** Qualys level names, used only when no number is given. */
export const QUALYS_LEVEL_NAME: SeverityTable = {
  minimal: 'info',
  medium: 'low',
  serious: 'medium',
  critical: 'high',
  urgent: 'critical',
};

const INFORMATION_TYPES = /^(ig|info|information gathered)$/i;

function qualysSeverity(row: CsvRow, notes: NoteCollector, score: number | undefined): Severity {
  const type = row.get('Type', 'TYPE');
  if (type !== undefined && INFORMATION_TYPES.test(type)) return 'info';
  const level =
    lookupSeverity(row.get('Q_SEVERITY'), QUALYS_LEVEL) ??
    lookupSeverity(row.get('Severity'), QUALYS_LEVEL) ??
    lookupSeverity(row.get('Severity'), QUALYS_LEVEL_NAME);
  if (level !== undefined) return level;
  const rated = score !== undefined ? severityFromCvss(score) : 'info';
  notes.add(
    `line ${row.line}: severity "${row.get('Severity') ?? ''}" is not known; rated ${rated}.`,
  );
  return rated;
}

const format: CsvFormat = {
  format: FORMAT,
  required: COLUMNS,
  scan: () => ({ scanner: 'Qualys' }),
  mapRow(row, notes) {
    const asset = buildAsset({
      ip: row.get('IP'),
      fqdn: row.get('DNS', 'FQDN', 'HOSTNAME'),
      hostname: row.get('NetBIOS'),
      os: row.get('OS', 'OPERATING SYSTEM'),
    });
    if (Object.keys(asset).length === 0) {
      notes.add(`line ${row.line}: row without a host skipped.`);
      return undefined;
    }
    const qid = row.get('QID');
    if (qid === undefined) return { asset };
    const status = row.get('Vuln Status');
    if (status !== undefined && /^fixed$/i.test(status)) {
      notes.add(`line ${row.line}: QID ${qid} with status Fixed skipped.`);
      return { asset };
    }
    const cvss3 = rowCvss(row, notes, ['CVSS3 Base', 'CVSS3.1 Base', 'CVSS_V3_BASE']);
    const cvss2 = rowCvss(row, notes, ['CVSS Base', 'CVSS_BASE']);
    const finding: NormalizedFinding = {
      format: FORMAT,
      scanner: { name: 'Qualys', pluginId: qid },
      asset,
      vulnerability: {
        key: `qualys:${qid}`,
        cves: extractCves(row.get('CVE ID', 'CVEID', 'CVE')),
        title: row.get('Title', 'VULN TITLE') ?? `QID ${qid}`,
        severity: qualysSeverity(row, notes, cvss3.score ?? cvss2.score),
        cwes: [],
        // Vendor references are ids or names ("MS21-MAY", "Microsoft ASP.NET End of Life").
        references: splitList(row.get('Vendor Reference'), /\s*,\s*/),
      },
    };
    if (cvss3.score !== undefined) finding.vulnerability.cvss3 = cvss3.score;
    if (cvss3.vector) finding.vulnerability.cvss3Vector = cvss3.vector;
    if (cvss2.score !== undefined) finding.vulnerability.cvss2 = cvss2.score;
    const port = parsePort(row.get('Port', 'PORT'));
    if (port !== undefined) finding.port = port;
    const protocol = row.get('Protocol', 'PROTOCOL')?.toLowerCase();
    if (protocol) finding.protocol = protocol;
    const solution = cleanValue(row.get('Solution', 'SOLUTION'));
    if (solution) finding.solution = solution;
    const evidence = cleanText(row.get('Results', 'RESULT'));
    if (evidence) finding.evidence = evidence;
    const firstSeen = toIsoDate(row.get('First Detected'));
    if (firstSeen) finding.firstSeen = firstSeen;
    const lastSeen = toIsoDate(row.get('Last Detected', 'LAST SCAN'));
    if (lastSeen) finding.lastSeen = lastSeen;
    return { asset, finding };
  },
};

export const qualysCsvImporter: Importer = {
  format: FORMAT,
  label: 'Qualys CSV',
  hints: 'CSV header with "IP", "QID", "Title", "Severity" (preamble lines allowed)',
  sniff(head: string): number {
    return findHeadHeader(head, (cells) => hasColumns(cells, COLUMNS)) ? 0.95 : 0;
  },
  parse(input: Readable, ctx: ParseContext) {
    return importCsv(input, ctx, format);
  },
};
