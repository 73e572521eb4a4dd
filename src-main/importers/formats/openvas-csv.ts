/**
 * "openvas-csv": the CSV results report of OpenVAS / Greenbone (GVM "CSV Results"):
 * "IP","Hostname","Port","Port Protocol","CVSS","Severity","QoD","Solution Type","NVT Name",
 * "Summary","Specific Result","NVT OID","CVEs","Task ID","Task Name","Timestamp",
 * "Result ID","Impact","Solution",... One row per result.
 *
 * The "CVSS" column is the result's severity score; its CVSS version is not stated (old
 * NVTs are scored in v2, newer ones in v3), so it is not stored as cvss2 or cvss3: the
 * "Severity" word decides the rating. CVE scanner results use the CVE id as the NVT OID.
 */
import type { Readable } from 'node:stream';
import type { Importer, NormalizedFinding, ParseContext, Severity } from '../types';
import { assetKey, buildAsset, parsePort } from '../common/asset';
import {
  findHeadHeader,
  hasColumns,
  importCsv,
  type ColumnGroups,
  type CsvFormat,
} from '../common/csv-importer';
import { extractCves } from '../common/cves';
import { cvssScore, severityFromCvss } from '../common/cvss';
import { toIsoDate } from '../common/dates';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, cleanValue, splitReferences } from '../common/text';

const FORMAT = 'openvas-csv';

const COLUMNS: ColumnGroups = [['IP'], ['NVT OID'], ['NVT Name'], ['Severity']];

/** GVM severity classes; "Log" results are informational. */
export const OPENVAS_SEVERITY: SeverityTable = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  log: 'info',
  debug: 'info',
  'false positive': 'info',
};

const format: CsvFormat = {
  format: FORMAT,
  required: COLUMNS,
  scan: () => ({ scanner: 'OpenVAS' }),
  mapRow(row, notes) {
    const asset = buildAsset({ ip: row.get('IP'), hostname: row.get('Hostname') });
    if (Object.keys(asset).length === 0) {
      notes.add(`line ${row.line}: row without a host skipped.`);
      return undefined;
    }
    const oid = row.get('NVT OID');
    if (oid === undefined) {
      notes.add(`line ${row.line}: row without an NVT OID skipped.`);
      return { asset };
    }
    const score = cvssScore(row.get('CVSS'));
    let severity: Severity | undefined = lookupSeverity(row.get('Severity'), OPENVAS_SEVERITY);
    if (severity === undefined) {
      severity = score !== undefined ? severityFromCvss(score) : 'info';
      notes.add(
        `line ${row.line}: severity "${row.get('Severity') ?? ''}" is not known; rated ${severity}.`,
      );
    }
    const finding: NormalizedFinding = {
      format: FORMAT,
      scanner: { name: 'OpenVAS', pluginId: oid },
      asset,
      vulnerability: {
        key: `openvas:${oid}`,
        cves: extractCves(row.get('CVEs'), /^CVE-/i.test(oid) ? oid : undefined),
        title: row.get('NVT Name') ?? oid,
        severity,
        cwes: [],
        references: splitReferences(row.get('Other References')),
      },
    };
    const port = parsePort(row.get('Port'));
    if (port !== undefined) finding.port = port;
    const protocol = row.get('Port Protocol')?.toLowerCase();
    if (protocol) finding.protocol = protocol;
    const solution = cleanValue(row.get('Solution'));
    if (solution) finding.solution = solution;
    const evidence = cleanText(row.get('Specific Result'));
    if (evidence) finding.evidence = evidence;
    const seen = toIsoDate(row.get('Timestamp'));
    if (seen) finding.lastSeen = seen;
    return { asset, finding };
  },
  // The same result can be written twice in a row (report_combine exports); merge it.
  mergeKey: (finding) =>
    JSON.stringify([
      assetKey(finding.asset),
      finding.port ?? '',
      finding.protocol ?? '',
      finding.vulnerability.key,
    ]),
};

export const openvasCsvImporter: Importer = {
  format: FORMAT,
  label: 'OpenVAS / Greenbone CSV',
  hints: 'CSV header with "IP", "NVT OID", "NVT Name", "Severity"',
  sniff(head: string): number {
    return findHeadHeader(head, (cells) => hasColumns(cells, COLUMNS)) ? 0.95 : 0;
  },
  parse(input: Readable, ctx: ParseContext) {
    return importCsv(input, ctx, format);
  },
};
