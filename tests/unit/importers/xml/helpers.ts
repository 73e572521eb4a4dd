/** Shared helpers of the XML importer tests: fixtures, record collection, error capture. */
import { createReadStream, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { VzError } from '../../../../src-main/core/errors';
import {
  normalizedFindingSchema,
  type ImportRecord,
  type Importer,
  type NormalizedAsset,
  type NormalizedFinding,
  type ScanInfo,
} from '../../../../src-main/importers/types';

const FIXTURES = fileURLToPath(new URL('../../../fixtures/', import.meta.url));

/** Absolute path of a fixture, e.g. fixture('nmap/issue4406.xml'). */
export function fixture(relative: string): string {
  return FIXTURES + relative;
}

export function fixtureText(relative: string): string {
  return readFileSync(fixture(relative), 'utf8');
}

export interface Collected {
  records: ImportRecord[];
  scans: ScanInfo[];
  assets: NormalizedAsset[];
  findings: NormalizedFinding[];
  notes: string[];
}

export async function collect(source: AsyncIterable<ImportRecord>): Promise<Collected> {
  const out: Collected = { records: [], scans: [], assets: [], findings: [], notes: [] };
  for await (const record of source) {
    out.records.push(record);
    if (record.kind === 'scan') out.scans.push(record.scan);
    else if (record.kind === 'asset') out.assets.push(record.asset);
    else if (record.kind === 'finding') out.findings.push(record.finding);
    else out.notes.push(record.message);
  }
  return out;
}

/** Imports a fixture file through a real file stream and validates every finding. */
export async function importFixture(importer: Importer, relative: string): Promise<Collected> {
  const result = await collect(
    importer.parse(createReadStream(fixture(relative), { highWaterMark: 16 * 1024 }), {
      fileName: basename(relative),
    }),
  );
  for (const finding of result.findings) normalizedFindingSchema.parse(finding);
  return result;
}

/** Runs an import of in-memory text and returns what it threw (or undefined). */
export async function importError(
  importer: Importer,
  text: string | Buffer,
  fileName = 'input.xml',
  signal?: AbortSignal,
): Promise<unknown> {
  try {
    await collect(importer.parse(Readable.from([Buffer.from(text)]), { fileName, signal }));
    return undefined;
  } catch (e) {
    return e;
  }
}

export function expectVzError(error: unknown, code: string): VzError {
  expect(error).toBeInstanceOf(VzError);
  const vz = error as VzError;
  expect(vz.code).toBe(code);
  return vz;
}

/** The finding of `key` on `ip` (and `port` when given); fails when missing or ambiguous. */
export function findingOf(
  findings: NormalizedFinding[],
  key: string,
  ip: string | undefined,
  port?: number,
): NormalizedFinding {
  const matches = findings.filter(
    (f) =>
      f.vulnerability.key === key &&
      (ip === undefined || f.asset.ip === ip) &&
      (port === undefined || f.port === port),
  );
  expect(matches, `${key} on ${ip ?? '?'}:${port ?? '-'}`).toHaveLength(1);
  return matches[0]!;
}

/** Every XML fixture and the format it must be recognised as. */
export const XML_FIXTURES: [string, string][] = [
  ['nessus_xml/nessus_with_cvssv3.nessus', 'nessus'],
  ['nessus_xml/nessus_v_unknown.xml', 'nessus'],
  ['nessus_was/nessus_was_many_vuln.xml', 'nessus-was-xml'],
  ['nessus_was/nessus_was_no_vuln.xml', 'nessus-was-xml'],
  ['openvas_xml/many_vuln.xml', 'openvas-xml'],
  ['openvas_xml/no_vuln.xml', 'openvas-xml'],
  ['openvas_xml/one_vuln.xml', 'openvas-xml'],
  ['openvas_xml/report_detail_v2.xml', 'openvas-xml'],
  ['qualys_xml/Qualys_Sample_Report.xml', 'qualys-xml'],
  ['qualys_xml/empty.xml', 'qualys-xml'],
  ['qualys_scan_xml/qualys_infrascan_webgui_multiple.xml', 'qualys-scan-xml'],
  ['qualys_scan_xml/qualys_infrascan_webgui_0.xml', 'qualys-scan-xml'],
  ['nexpose/many_vulns.xml', 'nexpose-xml'],
  ['nexpose/no_vuln.xml', 'nexpose-xml'],
  ['nexpose/dns.xml', 'nexpose-xml'],
  ['nmap/nmap_script_vulners.xml', 'nmap-xml'],
  ['nmap/issue4406.xml', 'nmap-xml'],
  ['nmap/nmap_0port.xml', 'nmap-xml'],
  ['nmap/issue12411.xml', 'nmap-xml'],
];
