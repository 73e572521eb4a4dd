/**
 * "nessus-csv": the CSV export of Nessus Professional / Nessus Manager (Report > CSV).
 * Columns: "Plugin ID","CVE","CVSS" (or "CVSS v2.0 Base Score"),"Risk","Host","Protocol",
 * "Port","Name","Synopsis","Description","Solution","See Also","Plugin Output", plus optional
 * ones ("CVSS v3.0 Base Score", "XREF", ...). Nessus writes one row per CVE of a plugin on a
 * host/port; the importer merges those consecutive rows into one finding.
 *
 * The row mapping is shared with "nessus-was-csv" and "tenable-vm-csv", whose exports
 * start from the same columns.
 */
import type { Readable } from 'node:stream';
import type { CsvRow } from '../tabular/csv-rows';
import type {
  Importer,
  NormalizedAsset,
  NormalizedFinding,
  ParseContext,
  Severity,
} from '../types';
import { assetKey, buildAsset, parsePort } from '../common/asset';
import {
  findHeadHeader,
  hasColumns,
  headerNameSet,
  importCsv,
  rowCvss,
  type ColumnGroups,
  type CsvFormat,
} from '../common/csv-importer';
import { extractCves } from '../common/cves';
import { severityFromCvss } from '../common/cvss';
import { extractCwes } from '../common/cwe';
import { toIsoDate } from '../common/dates';
import type { NoteCollector } from '../common/notes';
import { extractPackageFromEvidence } from '../common/package-evidence';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, cleanValue, splitReferences } from '../common/text';

export const NESSUS_CSV_COLUMNS: ColumnGroups = [
  ['Plugin ID'],
  ['Risk'],
  ['Host'],
  ['Protocol'],
  ['Port'],
  ['Name'],
];

/** Columns only Tenable Vulnerability Management exports have (see tenable-vm-csv). */
export const TENABLE_VM_MARKERS = [
  'vulnerability state',
  'first found',
  'last found',
  'host start',
  'host end',
  'asset uuid',
  'host scan id',
];

/** The Nessus WAS export adds this column to the Nessus ones. */
export const NESSUS_WAS_MARKER = 'cvssv3';

/** Nessus "Risk": None is Nessus' word for informational plugins. */
export const NESSUS_RISK: SeverityTable = {
  none: 'info',
  info: 'info',
  informational: 'info',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** Tenable's numeric severity (0 info .. 4 critical), as in Tenable VM "Severity". */
export const TENABLE_SEVERITY_NUMBER: SeverityTable = {
  '0': 'info',
  '1': 'low',
  '2': 'medium',
  '3': 'high',
  '4': 'critical',
};

export interface NessusStyleOptions {
  format: string;
  scannerName: string;
  asset: NormalizedAsset;
}

/**
 * Maps one Nessus-style row (Nessus, Nessus WAS, Tenable VM vulnerability export).
 * Undefined, with a note, for a row without a plugin id.
 */
export function mapNessusStyleRow(
  row: CsvRow,
  notes: NoteCollector,
  options: NessusStyleOptions,
): NormalizedFinding | undefined {
  const pluginId = row.get('Plugin ID', 'Plugin');
  if (pluginId === undefined) {
    notes.add(`line ${row.line}: row without a plugin id skipped.`);
    return undefined;
  }
  const cvss3 = rowCvss(row, notes, [
    'CVSS v3.0 Base Score',
    'CVSS3 Base Score',
    'CVSSv3',
    'CVSS v3.1 Base Score',
  ]);
  const cvss2 = rowCvss(row, notes, ['CVSS v2.0 Base Score', 'CVSS Base Score', 'CVSS']);
  const severity =
    lookupSeverity(row.get('Risk'), NESSUS_RISK) ??
    lookupSeverity(row.get('Severity'), TENABLE_SEVERITY_NUMBER) ??
    lookupSeverity(row.get('Severity'), NESSUS_RISK) ??
    fallbackSeverity(row, notes, cvss3.score ?? cvss2.score);
  const evidence = cleanText(row.get('Plugin Output'));
  const finding: NormalizedFinding = {
    format: options.format,
    scanner: { name: options.scannerName, pluginId },
    asset: options.asset,
    vulnerability: {
      key: `nessus:${pluginId}`,
      cves: extractCves(row.get('CVE')),
      title: row.get('Name', 'Plugin Name') ?? `Plugin ${pluginId}`,
      severity,
      cwes: extractCwes(row.get('XREF', 'Cross References', 'CWE')),
      references: splitReferences(row.get('See Also')),
    },
  };
  if (cvss3.score !== undefined) finding.vulnerability.cvss3 = cvss3.score;
  const vector3 = row.get('CVSS v3.0 Vector', 'CVSS3 Vector', 'CVSS v3.1 Vector');
  if (vector3) finding.vulnerability.cvss3Vector = vector3;
  if (cvss2.score !== undefined) finding.vulnerability.cvss2 = cvss2.score;
  const port = parsePort(row.get('Port'));
  if (port !== undefined) finding.port = port;
  const protocol = row.get('Protocol')?.toLowerCase();
  if (protocol) finding.protocol = protocol;
  const service = cleanValue(row.get('Service', 'Svc Name'));
  if (service) finding.service = service;
  const solution = cleanValue(row.get('Solution', 'Steps to Remediate'));
  if (solution) finding.solution = solution;
  const description = [cleanValue(row.get('Synopsis')), cleanValue(row.get('Description'))]
    .filter(Boolean)
    .join('\n\n');
  if (description) finding.description = description;
  if (evidence) {
    finding.evidence = evidence;
    const pkg = extractPackageFromEvidence(evidence);
    if (pkg) finding.component = pkg;
  }
  const firstSeen = toIsoDate(row.get('First Found', 'First Seen', 'First Discovered'));
  if (firstSeen) finding.firstSeen = firstSeen;
  const lastSeen = toIsoDate(row.get('Last Found', 'Last Seen', 'Last Observed'));
  if (lastSeen) finding.lastSeen = lastSeen;
  return finding;
}

/** No severity word: rate by the CVSS score, else informational, and say so. */
export function fallbackSeverity(
  row: CsvRow,
  notes: NoteCollector,
  score: number | undefined,
): Severity {
  const raw = row.get('Risk', 'Severity');
  const rated = score !== undefined ? severityFromCvss(score) : 'info';
  notes.add(
    `line ${row.line}: severity "${raw ?? ''}" is not known; rated ${rated} from ${
      score !== undefined ? `CVSS ${score}` : 'no score'
    }.`,
  );
  return rated;
}

/** Rows of one plugin on one host/port/protocol merge (one row per CVE). */
export function nessusMergeKey(finding: NormalizedFinding): string {
  return JSON.stringify([
    assetKey(finding.asset),
    finding.port ?? '',
    finding.protocol ?? '',
    finding.scanner.pluginId ?? finding.vulnerability.key,
  ]);
}

function isNessusHeader(cells: readonly string[]): boolean {
  if (!hasColumns(cells, NESSUS_CSV_COLUMNS)) return false;
  const names = headerNameSet(cells);
  return !names.has(NESSUS_WAS_MARKER) && !TENABLE_VM_MARKERS.some((m) => names.has(m));
}

const format: CsvFormat = {
  format: 'nessus-csv',
  required: NESSUS_CSV_COLUMNS,
  scan: () => ({ scanner: 'Nessus' }),
  mapRow(row, notes) {
    const asset = buildAsset({ host: row.get('Host') });
    if (Object.keys(asset).length === 0) {
      notes.add(`line ${row.line}: row without a host skipped.`);
      return undefined;
    }
    const finding = mapNessusStyleRow(row, notes, {
      format: 'nessus-csv',
      scannerName: 'Nessus',
      asset,
    });
    return finding ? { asset, finding } : { asset };
  },
  mergeKey: nessusMergeKey,
};

export const nessusCsvImporter: Importer = {
  format: 'nessus-csv',
  label: 'Nessus CSV',
  hints: 'CSV header with "Plugin ID", "Risk", "Host", "Protocol", "Port", "Name"',
  sniff(head: string): number {
    const cells = findHeadHeader(head, (c) => hasColumns(c, NESSUS_CSV_COLUMNS));
    if (cells === undefined) return 0;
    // Same base columns as the WAS and Tenable VM exports: yield to them when their
    // marker columns are present.
    return isNessusHeader(cells) ? 0.9 : 0.4;
  },
  parse(input: Readable, ctx: ParseContext) {
    return importCsv(input, ctx, format);
  },
};
