/**
 * "wazuh-json": Wazuh vulnerability detector exports, in the shapes operators save:
 * - Wazuh 4.7 API (`GET /vulnerability/{agent}`): `data.affected_items[]` with `cve`,
 *   `name`, `version`, `condition`, `severity`, `cvss2_score`, `cvss3_score`, `title`,
 *   `external_references`, `detection_time` (agent fields only when the export adds
 *   `agent_name`/`agent_ip`);
 * - Wazuh 4.8+ indexer (`wazuh-states-vulnerabilities-*`): an OpenSearch response
 *   (`hits.hits[]._source`) or an array of documents or hits, each document with `agent`,
 *   `host.os`, `package` and `vulnerability` (`id`, `severity`, `score.base`,
 *   `scanner.condition`, `reference`, `detected_at`); 5.x moves the agent under
 *   `wazuh.agent`.
 *
 * Fixed versions come from the condition ("Package less than 4.3.2" -> 4.3.2).
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { walkJson, type JsonImporterOptions, type JsonPathSegment } from '../tabular/json-stream';
import type {
  ImportRecord,
  Importer,
  NormalizedAsset,
  NormalizedFinding,
  ParseContext,
  Severity,
} from '../types';
import { buildAsset } from '../common/asset';
import { extractCves, normalizeVulnerabilityId } from '../common/cves';
import { severityFromCvss } from '../common/cvss';
import { toIsoDate } from '../common/dates';
import { toImportError } from '../common/import-errors';
import {
  describeIssues,
  optionalNumber,
  optionalObject,
  optionalString,
  stringList,
} from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, splitList, uniqueStrings } from '../common/text';

const FORMAT = 'wazuh-json';

/** Wazuh severity words. "Untriaged", "None", "-" and blanks are rated from the score. */
export const WAZUH_SEVERITY: SeverityTable = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
};

const api47Schema = z.looseObject({
  cve: z.string().min(1),
  name: optionalString,
  version: optionalString,
  condition: optionalString,
  severity: optionalString,
  cvss2_score: optionalNumber,
  cvss3_score: optionalNumber,
  title: optionalString,
  external_references: stringList,
  detection_time: optionalString,
  agent_id: optionalString,
  agent_name: optionalString,
  agent_ip: optionalString,
});

const agentSchema = optionalObject({
  id: optionalString,
  name: optionalString,
  ip: optionalString,
  host: optionalObject({
    hostname: optionalString,
    ip: z
      .union([z.string(), z.array(z.string())])
      .optional()
      .catch(undefined),
    os: optionalObject({ name: optionalString, version: optionalString, full: optionalString }),
  }),
});

const osSchema = optionalObject({
  full: optionalString,
  name: optionalString,
  version: optionalString,
});

const documentSchema = z.looseObject({
  agent: agentSchema,
  host: optionalObject({ os: osSchema }),
  package: optionalObject({
    name: optionalString,
    version: optionalString,
    path: optionalString,
  }),
  vulnerability: z.looseObject({
    id: z.string().min(1),
    severity: optionalString,
    score: optionalObject({ base: optionalNumber, version: optionalString }),
    reference: optionalString,
    detected_at: optionalString,
    scanner: optionalObject({
      condition: optionalString,
      source: optionalString,
      reference: optionalString,
    }),
  }),
  wazuh: optionalObject({ agent: agentSchema }),
});
type WazuhDocument = z.infer<typeof documentSchema>;

/**
 * "Package less than 4.3.2" -> "4.3.2". Other conditions ("Package unfixed", "Package
 * less than or equal to 2.1", "Package default status") give no fixed version.
 */
export function fixedVersionFromCondition(condition: string | undefined): string | undefined {
  const match = /^\s*Package less than\s+(?!or equal)(\S.*?)\s*$/i.exec(condition ?? '');
  return match?.[1];
}

function severityOf(
  word: string | undefined,
  score: number | undefined,
  notes: NoteCollector,
  where: string,
): Severity {
  const known = lookupSeverity(word, WAZUH_SEVERITY);
  if (known !== undefined) return known;
  const rated = score !== undefined ? severityFromCvss(score) : 'info';
  notes.add(`${where}: severity "${word ?? ''}" is not a Wazuh rating; rated ${rated}.`);
  return rated;
}

function api47Finding(item: z.infer<typeof api47Schema>, notes: NoteCollector, where: string) {
  const id = normalizeVulnerabilityId(item.cve);
  // The 4.7 API writes 0 for "not scored".
  const cvss3 =
    item.cvss3_score !== undefined && item.cvss3_score > 0 && item.cvss3_score <= 10
      ? item.cvss3_score
      : undefined;
  const cvss2 =
    item.cvss2_score !== undefined && item.cvss2_score > 0 && item.cvss2_score <= 10
      ? item.cvss2_score
      : undefined;
  const pkg = cleanText(item.name);
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: 'Wazuh' },
    asset: buildAsset({ ip: item.agent_ip, hostname: item.agent_name }),
    vulnerability: {
      key: id,
      cves: extractCves(item.cve),
      title: cleanText(item.title) ?? `${id}${pkg ? ` affects ${pkg}` : ''}`,
      severity: severityOf(item.severity, cvss3 ?? cvss2, notes, where),
      cwes: [],
      references: uniqueStrings(item.external_references ?? []),
    },
  };
  if (cvss3 !== undefined) finding.vulnerability.cvss3 = cvss3;
  if (cvss2 !== undefined) finding.vulnerability.cvss2 = cvss2;
  if (pkg) {
    finding.component = { name: pkg };
    const version = cleanText(item.version);
    if (version) finding.component.version = version;
    const fixed = fixedVersionFromCondition(item.condition);
    if (fixed) finding.component.fixedVersion = fixed;
  }
  const condition = cleanText(item.condition);
  if (condition) finding.evidence = `Condition: ${condition}`;
  const detected = toIsoDate(item.detection_time);
  if (detected) finding.firstSeen = detected;
  return finding;
}

function documentAsset(doc: WazuhDocument): NormalizedAsset {
  const agent = doc.agent ?? doc.wazuh?.agent;
  const hostIp = agent?.host?.ip ?? doc.wazuh?.agent?.host?.ip;
  const ip = agent?.ip ?? (Array.isArray(hostIp) ? hostIp[0] : hostIp);
  const os = doc.host?.os ?? agent?.host?.os;
  return buildAsset({
    ip,
    hostname: agent?.name ?? agent?.host?.hostname,
    os: os?.full ?? cleanText([os?.name, os?.version].filter(Boolean).join(' ')),
  });
}

function documentFinding(doc: WazuhDocument, notes: NoteCollector, where: string) {
  const vuln = doc.vulnerability;
  const id = normalizeVulnerabilityId(vuln.id);
  const base = vuln.score?.base;
  const scored = base !== undefined && base > 0 && base <= 10 ? base : undefined;
  const version = vuln.score?.version ?? '';
  const pkg = cleanText(doc.package?.name);
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: 'Wazuh' },
    asset: documentAsset(doc),
    vulnerability: {
      key: id,
      cves: extractCves(vuln.id),
      title: `${id}${pkg ? ` affects ${pkg}` : ''}`,
      severity: severityOf(vuln.severity, scored, notes, where),
      cwes: [],
      references: uniqueStrings([...splitList(vuln.reference, /\s*,\s*/), vuln.scanner?.reference]),
    },
  };
  if (scored !== undefined && version.startsWith('2')) finding.vulnerability.cvss2 = scored;
  else if (scored !== undefined) finding.vulnerability.cvss3 = scored;
  if (pkg) {
    finding.component = { name: pkg };
    const installed = cleanText(doc.package?.version);
    if (installed) finding.component.version = installed;
    const fixed = fixedVersionFromCondition(vuln.scanner?.condition);
    if (fixed) finding.component.fixedVersion = fixed;
    const path = cleanText(doc.package?.path);
    if (path) finding.component.path = path;
  }
  const evidence = [
    vuln.scanner?.condition ? `Condition: ${vuln.scanner.condition}` : undefined,
    vuln.scanner?.source ? `Source: ${vuln.scanner.source}` : undefined,
  ].filter((line): line is string => line !== undefined);
  if (evidence.length > 0) finding.evidence = evidence.join('\n');
  const detected = toIsoDate(vuln.detected_at);
  if (detected) finding.firstSeen = detected;
  return finding;
}

const hitSchema = z.looseObject({ _source: z.unknown() });

/** The vulnerability document of an item: itself, or the `_source` of a search hit. */
function unwrap(value: unknown): unknown {
  const hit = hitSchema.safeParse(value);
  return hit.success && hit.data._source !== undefined ? hit.data._source : value;
}

function describePath(path: readonly JsonPathSegment[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
}

async function* parseWazuh(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  let unnamed = 0;
  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [['data', 'affected_items', '*'], ['hits', 'hits', '*'], ['*']],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end' && event.rootKind === 'scalar') {
        throw malformed(fileName, 'not a Wazuh export: expected a JSON object or array');
      }
      if (event.kind !== 'item') continue;
      yield* out.scan({ scanner: 'Wazuh' });
      const where = describePath(event.path);
      const value = unwrap(event.value);
      let finding: NormalizedFinding;
      const doc = documentSchema.safeParse(value);
      if (doc.success) {
        finding = documentFinding(doc.data, notes, where);
      } else {
        const api = api47Schema.safeParse(value);
        if (!api.success) {
          notes.add(`${where}: skipped, not a Wazuh vulnerability (${describeIssues(doc.error)}).`);
          yield* out.pendingNotes();
          continue;
        }
        finding = api47Finding(api.data, notes, where);
      }
      if (Object.keys(finding.asset).length === 0) unnamed += 1;
      else yield* out.asset(finding.asset);
      yield* out.finding(finding, where);
    }
    yield* out.scan({ scanner: 'Wazuh' });
    if (unnamed > 0) {
      notes.add(
        `${unnamed} vulnerabilities name no agent (the 4.7 API export is per agent); they have no asset.`,
      );
    }
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}

export function createWazuhImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'Wazuh vulnerabilities JSON',
    hints:
      'JSON with "affected_items" (cve, condition) or wazuh-states-vulnerabilities documents (agent, package, vulnerability)',
    sniff(head: string): number {
      const text = head.replace(/^\uFEFF/, '');
      if (/"affected_items"\s*:/.test(text)) {
        return /"cve"\s*:/.test(text) && /"condition"\s*:/.test(text) ? 0.95 : 0.6;
      }
      if (/wazuh-states-vulnerabilities/.test(text)) return 0.95;
      const doc =
        /"vulnerability"\s*:\s*\{/.test(text) &&
        /"package"\s*:\s*\{/.test(text) &&
        /"agent"\s*:\s*\{/.test(text);
      if (doc) return /"vendor"\s*:\s*"Wazuh"|"wazuh"\s*:\s*\{/.test(text) ? 0.9 : 0.5;
      return 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseWazuh(input, ctx, options);
    },
  };
}

export const wazuhJsonImporter: Importer = createWazuhImporter();
