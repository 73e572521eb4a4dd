/**
 * "tenable-sc-csv": the vulnerability CSV export of Tenable Security Center
 * (Tenable.sc / SecurityCenter): "Plugin","Plugin Name","Family","Severity","IP Address",
 * "Protocol","Port","Exploit?","Repository","MAC Address","DNS Name","NetBIOS Name",
 * "Plugin Output" (older: "Plugin Text"), "CVSS V2 Base Score","CVSS V3 Base Score","CVE",
 * "Cross References","First Discovered","Last Observed", ... CVEs of one plugin share one
 * cell ("CVE-2013-2566,CVE-2015-2808"); consecutive rows with the same key still merge.
 * The component comes from the plugin text: the package of a local check ("Installed
 * package : ..."), or the application of a version check ("Installed version : ...").
 */
import type { Readable } from 'node:stream';
import type { Importer, NormalizedFinding, ParseContext } from '../types';
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
import { extractCwes } from '../common/cwe';
import { toIsoDate } from '../common/dates';
import {
  extractApplicationFromEvidence,
  extractPackageFromEvidence,
} from '../common/package-evidence';
import { lookupSeverity } from '../common/severity';
import { cleanText, cleanValue, splitReferences } from '../common/text';
import { fallbackSeverity, nessusMergeKey, NESSUS_RISK } from './nessus-csv';

const FORMAT = 'tenable-sc-csv';
const SCANNER = 'Tenable Security Center';

const COLUMNS: ColumnGroups = [
  ['Plugin'],
  ['Plugin Name'],
  ['Severity'],
  ['IP Address', 'DNS Name'],
];

/** Tenable.sc prefixes the output cell with "Plugin Output:" (export artefact). */
function pluginOutput(value: string | undefined): string | undefined {
  return cleanText(value?.replace(/^\s*Plugin Output:[ \t]*/i, ''));
}

const format: CsvFormat = {
  format: FORMAT,
  required: COLUMNS,
  scan: () => ({ scanner: SCANNER }),
  mapRow(row, notes) {
    const asset = buildAsset({
      ip: row.get('IP Address'),
      fqdn: row.get('DNS Name'),
      hostname: row.get('NetBIOS Name'),
      mac: row.get('MAC Address'),
      os: row.get('OS', 'Operating System'),
    });
    if (Object.keys(asset).length === 0) {
      notes.add(`line ${row.line}: row without a host skipped.`);
      return undefined;
    }
    const pluginId = row.get('Plugin');
    if (pluginId === undefined) {
      notes.add(`line ${row.line}: row without a plugin id skipped.`);
      return { asset };
    }
    const cvss3 = rowCvss(row, notes, ['CVSS V3 Base Score']);
    const cvss2 = rowCvss(row, notes, ['CVSS V2 Base Score']);
    const severity =
      lookupSeverity(row.get('Severity'), NESSUS_RISK) ??
      fallbackSeverity(row, notes, cvss3.score ?? cvss2.score);
    const finding: NormalizedFinding = {
      format: FORMAT,
      scanner: { name: SCANNER, pluginId },
      asset,
      vulnerability: {
        key: `nessus:${pluginId}`,
        cves: extractCves(row.get('CVE')),
        title: row.get('Plugin Name') ?? `Plugin ${pluginId}`,
        severity,
        cwes: extractCwes(row.get('Cross References')),
        references: splitReferences(row.get('See Also')),
      },
    };
    if (cvss3.score !== undefined) finding.vulnerability.cvss3 = cvss3.score;
    const vector = row.get('CVSS V3 Vector');
    if (vector) finding.vulnerability.cvss3Vector = vector;
    if (cvss2.score !== undefined) finding.vulnerability.cvss2 = cvss2.score;
    const port = parsePort(row.get('Port'));
    if (port !== undefined) finding.port = port;
    const protocol = row.get('Protocol')?.toLowerCase();
    if (protocol) finding.protocol = protocol;
    const solution = cleanValue(row.get('Solution', 'Steps to Remediate'));
    if (solution) finding.solution = solution;
    const description = [cleanValue(row.get('Synopsis')), cleanValue(row.get('Description'))]
      .filter(Boolean)
      .join('\n\n');
    if (description) finding.description = description;
    const evidence = pluginOutput(row.get('Plugin Output', 'Plugin Text'));
    if (evidence) {
      finding.evidence = evidence;
      // A package of a local check first, else the application a version check names.
      const component =
        extractPackageFromEvidence(evidence) ??
        extractApplicationFromEvidence(evidence, row.get('Plugin Name'));
      if (component) finding.component = component;
    }
    const firstSeen = toIsoDate(row.get('First Discovered'));
    if (firstSeen) finding.firstSeen = firstSeen;
    const lastSeen = toIsoDate(row.get('Last Observed'));
    if (lastSeen) finding.lastSeen = lastSeen;
    return { asset, finding };
  },
  mergeKey: nessusMergeKey,
};

export const tenableScCsvImporter: Importer = {
  format: FORMAT,
  label: 'Tenable Security Center CSV',
  hints: 'CSV header with "Plugin", "Plugin Name", "Severity", "IP Address"',
  sniff(head: string): number {
    return findHeadHeader(head, (cells) => hasColumns(cells, COLUMNS)) ? 0.95 : 0;
  },
  parse(input: Readable, ctx: ParseContext) {
    return importCsv(input, ctx, format);
  },
};
