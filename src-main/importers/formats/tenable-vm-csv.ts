/**
 * "tenable-vm-csv": CSV exports of Tenable Vulnerability Management (Tenable.io), in the
 * two shapes the product has used:
 *
 * - the vulnerability export (Workbench): the Nessus columns ("Plugin ID","CVE","CVSS",
 *   "Risk","Host",...) plus asset and state columns such as "IP Address","FQDN","NetBios",
 *   "OS","Vulnerability State","First Found","Last Found","Host Start";
 * - the findings export (Explore > Findings): dotted keys such as "asset.name",
 *   "asset.display_ipv4_address","definition.id","definition.cve","output","severity",
 *   "state", often ";"-separated.
 *
 * Findings whose state is Fixed are skipped (the host still counts as covered).
 */
import type { Readable } from 'node:stream';
import type { CsvRow } from '../tabular/csv-rows';
import type { Importer, NormalizedAsset, NormalizedFinding, ParseContext } from '../types';
import { buildAsset, parsePort } from '../common/asset';
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
import { normalizeCwes } from '../common/cwe';
import { toIsoDate } from '../common/dates';
import type { NoteCollector } from '../common/notes';
import { extractPackageFromEvidence } from '../common/package-evidence';
import { lookupSeverity } from '../common/severity';
import { cleanText, cleanValue, splitList, splitReferences } from '../common/text';
import {
  fallbackSeverity,
  mapNessusStyleRow,
  nessusMergeKey,
  NESSUS_RISK,
  TENABLE_VM_MARKERS,
} from './nessus-csv';

const FORMAT = 'tenable-vm-csv';
const SCANNER = 'Tenable Vulnerability Management';

/** Vulnerability export: a plugin id, a title and some host column. */
const VULN_EXPORT_COLUMNS: ColumnGroups = [
  ['Plugin ID'],
  ['Name', 'Plugin Name'],
  ['Host', 'IP Address', 'IPv4 Address', 'FQDN', 'DNS Name', 'Asset UUID'],
];

/** Findings export: dotted keys. */
const FINDINGS_EXPORT_COLUMNS: ColumnGroups = [
  ['definition.id'],
  ['asset.id', 'asset.uuid', 'asset.name', 'asset.display_ipv4_address', 'asset.host_name'],
];

function isVulnExportHeader(cells: readonly string[]): boolean {
  if (!hasColumns(cells, VULN_EXPORT_COLUMNS)) return false;
  const names = headerNameSet(cells);
  return TENABLE_VM_MARKERS.some((marker) => names.has(marker));
}

function isFindingsExportHeader(cells: readonly string[]): boolean {
  return hasColumns(cells, FINDINGS_EXPORT_COLUMNS);
}

function isFixed(state: string | undefined): boolean {
  return state !== undefined && /^(fixed|resolved)$/i.test(state);
}

function vulnExportAsset(row: CsvRow): NormalizedAsset {
  return buildAsset({
    ip: row.get('IP Address', 'IPv4 Address'),
    fqdn: row.get('FQDN', 'DNS Name'),
    hostname: row.get('NetBios', 'NetBIOS Name', 'NetBIOS'),
    mac: row.get('MAC Address'),
    os: row.get('OS', 'Operating System'),
    host: row.get('Host', 'Asset Name'),
  });
}

function findingsExportAsset(row: CsvRow): NormalizedAsset {
  return buildAsset({
    ip: row.get('asset.display_ipv4_address', 'asset.ipv4', 'asset.display_ipv6_address'),
    fqdn: row.get('asset.display_fqdn', 'asset.fqdn'),
    hostname: row.get('asset.host_name', 'asset.netbios_name', 'asset.hostname'),
    mac: row.get('asset.display_mac_address'),
    os: row.get('asset.operating_system'),
    host: row.get('asset.name'),
  });
}

/** Tenable prefixes some cells with "'" so spreadsheets do not run them as formulas. */
function withoutFormulaGuard(value: string | undefined): string | undefined {
  return cleanText(value?.replace(/^'(?=\s)/, ''));
}

function mapFindingsExportRow(
  row: CsvRow,
  notes: NoteCollector,
  asset: NormalizedAsset,
): NormalizedFinding | undefined {
  const pluginId = row.get('definition.id');
  if (pluginId === undefined) {
    notes.add(`line ${row.line}: row without definition.id skipped.`);
    return undefined;
  }
  const cvss3 = rowCvss(row, notes, ['definition.cvss3.base_score']);
  const cvss2 = rowCvss(row, notes, ['definition.cvss2.base_score']);
  const severity =
    lookupSeverity(row.get('severity', 'definition.severity'), NESSUS_RISK) ??
    fallbackSeverity(row, notes, cvss3.score ?? cvss2.score);
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: SCANNER, pluginId },
    asset,
    vulnerability: {
      key: `nessus:${pluginId}`,
      cves: extractCves(row.get('definition.cve')),
      title: row.get('definition.name') ?? `Plugin ${pluginId}`,
      severity,
      cwes: normalizeCwes(splitList(row.get('definition.cwe'))),
      references: splitReferences(row.get('definition.see_also')),
    },
  };
  if (cvss3.score !== undefined) finding.vulnerability.cvss3 = cvss3.score;
  const vector = row.get('definition.cvss3.base_vector');
  if (vector) finding.vulnerability.cvss3Vector = vector;
  if (cvss2.score !== undefined) finding.vulnerability.cvss2 = cvss2.score;
  const port = parsePort(row.get('port'));
  if (port !== undefined) finding.port = port;
  const protocol = row.get('protocol')?.toLowerCase();
  if (protocol) finding.protocol = protocol;
  const solution = cleanValue(row.get('definition.solution'));
  if (solution) finding.solution = solution;
  const description = [
    cleanValue(row.get('definition.synopsis')),
    cleanValue(row.get('definition.description')),
  ]
    .filter(Boolean)
    .join('\n\n');
  if (description) finding.description = description;
  const evidence = withoutFormulaGuard(row.get('output'));
  if (evidence) {
    finding.evidence = evidence;
    const pkg = extractPackageFromEvidence(evidence);
    if (pkg) finding.component = pkg;
  }
  const firstSeen = toIsoDate(row.get('first_observed', 'first_found'));
  if (firstSeen) finding.firstSeen = firstSeen;
  const lastSeen = toIsoDate(row.get('last_seen', 'last_found'));
  if (lastSeen) finding.lastSeen = lastSeen;
  return finding;
}

const format: CsvFormat = {
  format: FORMAT,
  required: VULN_EXPORT_COLUMNS,
  isHeader: (cells) => isVulnExportHeader(cells) || isFindingsExportHeader(cells),
  scan: () => ({ scanner: SCANNER }),
  mapRow(row, notes, header) {
    const findingsExport = header.has('definition.id');
    const asset = findingsExport ? findingsExportAsset(row) : vulnExportAsset(row);
    if (Object.keys(asset).length === 0) {
      notes.add(`line ${row.line}: row without a host skipped.`);
      return undefined;
    }
    const state = row.get('state', 'Vulnerability State', 'Vuln State');
    if (isFixed(state)) {
      notes.add(`line ${row.line}: finding in state "${state ?? ''}" skipped.`);
      return { asset };
    }
    const finding = findingsExport
      ? mapFindingsExportRow(row, notes, asset)
      : mapNessusStyleRow(row, notes, { format: FORMAT, scannerName: SCANNER, asset });
    return finding ? { asset, finding } : { asset };
  },
  mergeKey: nessusMergeKey,
};

export const tenableVmCsvImporter: Importer = {
  format: FORMAT,
  label: 'Tenable Vulnerability Management CSV',
  hints:
    'CSV with "Plugin ID" and "Vulnerability State"/"First Found"/"Host Start", or "definition.id" and "asset.*" keys',
  sniff(head: string): number {
    const cells = findHeadHeader(head, (c) => isVulnExportHeader(c) || isFindingsExportHeader(c));
    return cells === undefined ? 0 : 0.95;
  },
  parse(input: Readable, ctx: ParseContext) {
    return importCsv(input, ctx, format);
  },
};
