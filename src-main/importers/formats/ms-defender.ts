/**
 * "ms_defender": Microsoft Defender for Endpoint vulnerability exports, the JSON the API
 * returns: `{"@odata.context": ..., "value": [...]}` with one item per machine, CVE and
 * product. Two item shapes are read:
 * - `GET /api/vulnerabilities/machinesVulnerabilities`: `machineId`, `cveId`,
 *   `productVendor`, `productName`, `productVersion`, `severity`, `fixingKbId`;
 * - the software-vulnerabilities-by-machine export: `deviceName`, `softwareVendor`,
 *   `softwareName`, `softwareVersion`, `vulnerabilitySeverityLevel`, `cvssScore`,
 *   `recommendedSecurityUpdate`, `diskPaths`, `first/lastSeenTimestamp`.
 *
 * Defender reports machines, so the asset is a host: its `deviceName` when the item has
 * one, else the Defender machine id as the hostname (the machines-vulnerabilities export
 * names machines by id only; a note says so). A machine list (`$metadata#Machines`) is
 * refused: it has no vulnerabilities. The zip bundles some tools build from the two API
 * answers (machines/ + vulnerabilities/) are not read; import the JSON inside.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { walkJson, type JsonImporterOptions } from '../tabular/json-stream';
import type {
  ImportRecord,
  Importer,
  NormalizedAsset,
  NormalizedFinding,
  ParseContext,
} from '../types';
import { buildAsset } from '../common/asset';
import { cvssScore, severityFromCvss } from '../common/cvss';
import { toIsoDate } from '../common/dates';
import { toImportError } from '../common/import-errors';
import { describeIssues, optionalString, stringList } from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { lookupSeverity } from '../common/severity';
import { cleanText, cleanValue } from '../common/text';
import { APP_SEVERITY } from '../app/severity-words';
import { chooseKey } from '../app/vuln-key';

const FORMAT = 'ms_defender';
const SCANNER = 'Microsoft Defender for Endpoint';

const itemSchema = z.looseObject({
  id: optionalString,
  cveId: optionalString,
  machineId: optionalString,
  deviceName: optionalString,
  fixingKbId: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
  productName: optionalString,
  productVendor: optionalString,
  productVersion: optionalString,
  softwareName: optionalString,
  softwareVendor: optionalString,
  softwareVersion: optionalString,
  severity: optionalString,
  vulnerabilitySeverityLevel: optionalString,
  cvssScore: z.unknown().optional(),
  recommendedSecurityUpdate: optionalString,
  recommendedSecurityUpdateId: optionalString,
  recommendationReference: optionalString,
  diskPaths: stringList,
  firstSeenTimestamp: optionalString,
  lastSeenTimestamp: optionalString,
});
type DefenderItem = z.infer<typeof itemSchema>;

function assetOf(item: DefenderItem): NormalizedAsset {
  const device = cleanValue(item.deviceName);
  if (device !== undefined) return buildAsset({ host: device });
  return buildAsset({ hostname: cleanValue(item.machineId) });
}

function itemFinding(
  item: DefenderItem,
  asset: NormalizedAsset,
  notes: NoteCollector,
  where: string,
): NormalizedFinding | undefined {
  const ids = chooseKey(item.cveId);
  if (ids === undefined) {
    notes.add(`${where}: skipped, the item names no CVE.`);
    return undefined;
  }
  const product = cleanValue(item.productName) ?? cleanValue(item.softwareName);
  const vendor = cleanValue(item.productVendor) ?? cleanValue(item.softwareVendor);
  const version = cleanValue(item.productVersion) ?? cleanValue(item.softwareVersion);
  const score = cvssScore(item.cvssScore);
  const word = item.severity ?? item.vulnerabilitySeverityLevel;
  let severity = lookupSeverity(word, APP_SEVERITY);
  if (severity === undefined) {
    severity = score !== undefined ? severityFromCvss(score) : 'info';
    notes.add(`${where}: severity "${word ?? ''}" is not known; rated ${severity}.`);
  }
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: SCANNER },
    asset,
    vulnerability: {
      key: ids.key,
      cves: ids.cves,
      title: product ? `${ids.key} in ${product}${version ? ` ${version}` : ''}` : ids.key,
      severity,
      cwes: [],
      references: [],
    },
  };
  if (score !== undefined && score > 0) finding.vulnerability.cvss3 = score;
  if (product) {
    const component: NonNullable<NormalizedFinding['component']> = { name: product };
    if (version) component.version = version;
    const path = cleanText(item.diskPaths?.[0]);
    if (path) component.path = path;
    finding.component = component;
  }
  const kb = cleanValue(item.fixingKbId) ?? cleanValue(item.recommendedSecurityUpdateId);
  const update = cleanValue(item.recommendedSecurityUpdate);
  if (kb || update) {
    const label = kb ? (/^kb/i.test(kb) ? kb.toUpperCase() : `KB${kb}`) : undefined;
    finding.solution = [
      update,
      label && (!update || !update.includes(label)) ? `Install ${label}` : undefined,
    ]
      .filter(Boolean)
      .join('; ');
  }
  const evidence = [
    vendor ? `Vendor: ${vendor}` : '',
    item.machineId ? `Defender machine id: ${item.machineId}` : '',
    item.id ? `Defender id: ${item.id}` : '',
  ].filter(Boolean);
  if (evidence.length > 0) finding.evidence = evidence.join('\n');
  const first = toIsoDate(item.firstSeenTimestamp);
  if (first) finding.firstSeen = first;
  const last = toIsoDate(item.lastSeenTimestamp);
  if (last) finding.lastSeen = last;
  return finding;
}

function checkContext(fileName: string, fields: Readonly<Record<string, unknown>>): void {
  const context = fields['@odata.context'];
  if (typeof context === 'string' && /#Machines\b/i.test(context)) {
    throw malformed(fileName, 'this is a Defender machine list, not a vulnerability export');
  }
}

async function* parseDefender(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  let rootFields: Readonly<Record<string, unknown>> = {};
  let sawValue = false;
  let byIdOnly = 0;
  let index = 0;
  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [['value', '*']],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object') {
          throw malformed(fileName, 'not a Defender export: the document is not a JSON object');
        }
        continue;
      }
      if (event.kind === 'close') {
        if (event.frame.path.length === 0) rootFields = event.frame.fields;
        else if (event.frame.path.length === 1 && event.frame.path[0] === 'value') sawValue = true;
        continue;
      }
      checkContext(fileName, event.frames[0]?.fields ?? {});
      yield* out.scan({ scanner: SCANNER });
      const where = `value[${index++}]`;
      const parsed = itemSchema.safeParse(event.value);
      if (!parsed.success) {
        notes.add(
          `${where}: skipped, not a Defender vulnerability (${describeIssues(parsed.error)}).`,
        );
        yield* out.pendingNotes();
        continue;
      }
      const asset = assetOf(parsed.data);
      if (Object.keys(asset).length === 0) {
        notes.add(`${where}: skipped, the item names no machine.`);
        yield* out.pendingNotes();
        continue;
      }
      const first = out.asset(asset);
      if (first.length > 0 && cleanValue(parsed.data.deviceName) === undefined) byIdOnly += 1;
      yield* first;
      const finding = itemFinding(parsed.data, asset, notes, where);
      if (finding) yield* out.finding(finding, where);
      yield* out.pendingNotes();
    }
    checkContext(fileName, rootFields);
    if (!sawValue) throw malformed(fileName, 'not a Defender export: no "value" list');
    if (byIdOnly > 0) {
      notes.add(
        `${byIdOnly} machine(s) are named only by their Defender machine id, used as the hostname.`,
      );
    }
    yield* out.scan({ scanner: SCANNER });
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}

export function createDefenderImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'Microsoft Defender for Endpoint vulnerabilities (API JSON)',
    hints:
      'JSON object with "@odata.context" and "value" items with "cveId" and "machineId" (or "deviceName")',
    sniff(head: string): number {
      if (!/^\s*\{/.test(head)) return 0;
      const context = /"@odata\.context"\s*:\s*"([^"]*)"/.exec(head)?.[1];
      if (context === undefined || /#Machines\b/i.test(context) || !/"value"\s*:\s*\[/.test(head))
        return 0;
      if (/"cveId"\s*:/.test(head) && /"(?:machineId|deviceName)"\s*:/.test(head)) return 0.95;
      return /securitycenter\.(?:windows|microsoft)\.com|api\.security\.microsoft\.com|windowsDefenderATP/i.test(
        context,
      )
        ? 0.7
        : 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseDefender(input, ctx, options);
    },
  };
}

export const msDefenderImporter: Importer = createDefenderImporter();
