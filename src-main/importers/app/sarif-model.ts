/**
 * SARIF 2.1.0 (OASIS, https://docs.oasis-open.org/sarif/sarif/v2.1.0/) pieces the importer
 * reads, as lenient zod schemas: a rule (reportingDescriptor) is reduced to what a finding
 * needs, a result to a compact record that can wait in a spool until its run is complete.
 */
import { z } from 'zod';
import { extractCves } from '../common/cves';
import { extractCwes } from '../common/cwe';
import {
  objectList,
  optionalNumber,
  optionalObject,
  optionalString,
  stringList,
} from '../common/json-fields';
import { cleanText, uniqueStrings } from '../common/text';

const message = optionalObject({
  text: optionalString,
  markdown: optionalString,
  id: optionalString,
  arguments: stringList,
});

const multiformat = optionalObject({ text: optionalString, markdown: optionalString });

const ruleSchema = z.looseObject({
  id: optionalString,
  name: optionalString,
  shortDescription: multiformat,
  fullDescription: multiformat,
  help: multiformat,
  helpUri: optionalString,
  messageStrings: z.record(z.string(), z.unknown()).optional().catch(undefined),
  defaultConfiguration: optionalObject({ level: optionalString }),
  properties: z.record(z.string(), z.unknown()).optional().catch(undefined),
  relationships: objectList({
    target: optionalObject({
      id: optionalString,
      toolComponent: optionalObject({ name: optionalString }),
    }),
  }),
});

/** What a finding needs from a rule; rules are few per tool, so a run keeps them all. */
export interface SarifRule {
  id: string | undefined;
  title: string | undefined;
  description: string | undefined;
  helpUri: string | undefined;
  help: string | undefined;
  defaultLevel: string | undefined;
  securitySeverity: number | undefined;
  severityWord: string | undefined;
  tags: string[];
  cwes: string[];
  cves: string[];
  messageStrings: Map<string, string>;
}

function strings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

function numberOf(value: unknown): number | undefined {
  const n =
    typeof value === 'number' ? value : typeof value === 'string' ? Number.parseFloat(value) : NaN;
  return Number.isFinite(n) && n >= 0 && n <= 10 ? n : undefined;
}

/** `security-severity` (GitHub's convention, a CVSS-like 0..10) from a property bag. */
export function securitySeverityOf(
  properties: Readonly<Record<string, unknown>> | undefined,
): number | undefined {
  return numberOf(properties?.['security-severity']);
}

/** CWE and CVE ids from a property bag: tags ("external/cwe/cwe-079"), "cwe", "cve". */
export function idsInProperties(properties: Readonly<Record<string, unknown>> | undefined): {
  tags: string[];
  cwes: string[];
  cves: string[];
} {
  const tags = strings(properties?.tags);
  const cweTexts = [
    ...tags,
    ...strings(properties?.cwe),
    ...strings(properties?.cwes),
    ...strings(properties?.CWE),
  ];
  const cveTexts = [
    ...tags,
    ...strings(properties?.cve),
    ...strings(properties?.cves),
    ...strings(properties?.CVE),
  ];
  return { tags, cwes: extractCwes(...cweTexts), cves: extractCves(...cveTexts) };
}

export function parseRule(value: unknown): SarifRule | undefined {
  const parsed = ruleSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const r = parsed.data;
  const props = idsInProperties(r.properties);
  const related = (r.relationships ?? [])
    .filter((rel) => /cwe/i.test(rel.target?.toolComponent?.name ?? ''))
    .map((rel) => `CWE-${rel.target?.id ?? ''}`);
  const messageStrings = new Map<string, string>();
  for (const [id, entry] of Object.entries(r.messageStrings ?? {})) {
    const text = multiformatText(entry);
    if (text !== undefined) messageStrings.set(id, text);
  }
  const word = r.properties?.['problem.severity'] ?? r.properties?.severity;
  return {
    id: cleanText(r.id),
    title:
      cleanText(r.shortDescription?.text) ??
      cleanText(r.name) ??
      cleanText(r.properties?.name as string | undefined),
    description: cleanText(r.fullDescription?.text) ?? cleanText(r.help?.text),
    helpUri: cleanText(r.helpUri),
    help: cleanText(r.help?.text),
    defaultLevel: cleanText(r.defaultConfiguration?.level),
    securitySeverity: securitySeverityOf(r.properties),
    severityWord: typeof word === 'string' ? word : undefined,
    tags: props.tags,
    cwes: uniqueStrings([...props.cwes, ...extractCwes(...related)]),
    cves: uniqueStrings([...props.cves, ...extractCves(r.id, r.name)]),
    messageStrings,
  };
}

function multiformatText(value: unknown): string | undefined {
  const parsed = multiformat.safeParse(value);
  return parsed.success ? cleanText(parsed.data?.text ?? parsed.data?.markdown) : undefined;
}

const region = optionalObject({
  startLine: optionalNumber,
  startColumn: optionalNumber,
  snippet: optionalObject({ text: optionalString }),
});

const physicalLocation = optionalObject({
  artifactLocation: optionalObject({
    uri: optionalString,
    uriBaseId: optionalString,
    index: optionalNumber,
  }),
  region,
  contextRegion: region,
});

const resultSchema = z.looseObject({
  ruleId: optionalString,
  ruleIndex: optionalNumber,
  rule: optionalObject({ id: optionalString, index: optionalNumber }),
  kind: optionalString,
  level: optionalString,
  message,
  locations: objectList({ physicalLocation }),
  analysisTarget: optionalObject({ uri: optionalString }),
  fingerprints: z.record(z.string(), z.unknown()).optional().catch(undefined),
  partialFingerprints: z.record(z.string(), z.unknown()).optional().catch(undefined),
  suppressions: objectList({
    kind: optionalString,
    status: optionalString,
    state: optionalString,
    justification: optionalString,
  }),
  baselineState: optionalString,
  properties: z.record(z.string(), z.unknown()).optional().catch(undefined),
});

/** A result reduced to what its finding needs; JSON-serializable for the spool. */
export const compactResultSchema = z.object({
  where: z.string(),
  ruleId: z.string().optional(),
  ruleIndex: z.number().optional(),
  kind: z.string().optional(),
  level: z.string().optional(),
  messageText: z.string().optional(),
  messageId: z.string().optional(),
  messageArgs: z.array(z.string()),
  uri: z.string().optional(),
  line: z.number().optional(),
  column: z.number().optional(),
  snippet: z.string().optional(),
  otherLocations: z.number(),
  fingerprint: z.string().optional(),
  suppressed: z.boolean(),
  absent: z.boolean(),
  securitySeverity: z.number().optional(),
  severityWord: z.string().optional(),
  cvss3: z.number().optional(),
  cvss2: z.number().optional(),
  cwes: z.array(z.string()),
  cves: z.array(z.string()),
  tags: z.array(z.string()),
});
export type CompactResult = z.infer<typeof compactResultSchema>;

/**
 * The fingerprint that identifies a result across runs: `fingerprints` (meant to be
 * stable) before `partialFingerprints`, each taken by sorted name so the choice does not
 * depend on the writer's key order. Of the partial ones, a hash of the result's location
 * (GitHub's primaryLocationLineHash, ShellCheck's scanPrimaryLocationHash) is preferred;
 * a hash of the whole file (scanFileHash) is the same for every result in that file, so
 * it does not identify a result and is never used.
 */
function fingerprintOf(
  full: Readonly<Record<string, unknown>> | undefined,
  partial: Readonly<Record<string, unknown>> | undefined,
): string | undefined {
  const usable = (bag: Readonly<Record<string, unknown>> | undefined): string[] =>
    bag === undefined
      ? []
      : Object.keys(bag)
          .filter((k) => typeof bag[k] === 'string' && bag[k] !== '')
          .sort();
  const named = (bag: Readonly<Record<string, unknown>>, name: string | undefined) =>
    name === undefined ? undefined : `${name}=${String(bag[name])}`;
  if (full !== undefined) {
    const first = usable(full)[0];
    if (first !== undefined) return named(full, first);
  }
  if (partial === undefined) return undefined;
  const names = usable(partial).filter((n) => !/file/i.test(n) || /location|line/i.test(n));
  return named(partial, names.find((n) => /location|line/i.test(n)) ?? names[0]);
}

/** SARIF 2.1.0 3.35: a result is suppressed when every suppression is accepted. */
function isSuppressed(
  list: readonly { status?: string | undefined; state?: string | undefined }[] | undefined,
): boolean {
  if (list === undefined || list.length === 0) return false;
  return list.every((s) => {
    const status = (s.status ?? s.state)?.toLowerCase();
    return status === undefined || status === 'accepted';
  });
}

function positive(n: number | undefined): number | undefined {
  return n !== undefined && Number.isInteger(n) && n >= 1 ? n : undefined;
}

export function compactResult(value: unknown, where: string): CompactResult | undefined {
  const parsed = resultSchema.safeParse(value);
  if (!parsed.success) return undefined;
  const r = parsed.data;
  const locations = r.locations ?? [];
  const first = locations.find((l) => l.physicalLocation?.artifactLocation?.uri) ?? locations[0];
  const phys = first?.physicalLocation;
  const props = idsInProperties(r.properties);
  const word = r.properties?.severity ?? r.properties?.issue_severity;
  const out: CompactResult = {
    where,
    messageArgs: r.message?.arguments ?? [],
    otherLocations: Math.max(0, locations.length - 1),
    suppressed: isSuppressed(r.suppressions),
    absent: r.baselineState === 'absent',
    cwes: props.cwes,
    cves: props.cves,
    tags: props.tags,
  };
  const set = <K extends keyof CompactResult>(key: K, v: CompactResult[K] | undefined) => {
    if (v !== undefined) out[key] = v;
  };
  set('ruleId', cleanText(r.ruleId) ?? cleanText(r.rule?.id));
  set('ruleIndex', r.ruleIndex ?? r.rule?.index);
  set('kind', cleanText(r.kind));
  set('level', cleanText(r.level));
  set('messageText', cleanText(r.message?.text) ?? cleanText(r.message?.markdown));
  set('messageId', cleanText(r.message?.id));
  set('uri', cleanText(phys?.artifactLocation?.uri) ?? cleanText(r.analysisTarget?.uri));
  set('line', positive(phys?.region?.startLine ?? phys?.contextRegion?.startLine));
  set('column', positive(phys?.region?.startColumn));
  set(
    'snippet',
    cleanText(phys?.region?.snippet?.text) ?? cleanText(phys?.contextRegion?.snippet?.text),
  );
  set('fingerprint', fingerprintOf(r.fingerprints, r.partialFingerprints));
  set('securitySeverity', securitySeverityOf(r.properties));
  set('severityWord', typeof word === 'string' ? word : undefined);
  // Dependency-Check's SARIF writes NVD's scores as flat properties.
  set('cvss3', numberOf(r.properties?.cvssv3_baseScore));
  set('cvss2', numberOf(r.properties?.cvssv2_score));
  return out;
}

/** "file:///src/index.js" -> "/src/index.js"; "file:///C:/code/a.c" -> "C:/code/a.c". */
export function artifactPath(uri: string | undefined): string | undefined {
  if (uri === undefined) return undefined;
  let path = uri.trim();
  const file = /^file:\/\/([^/]*)(\/.*)$/i.exec(path);
  if (file?.[2] !== undefined) {
    path = file[1] ? `//${file[1]}${file[2]}` : file[2].replace(/^\/{2,}/, '/');
    if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
  }
  try {
    if (/%[0-9A-Fa-f]{2}/.test(path)) path = decodeURIComponent(path);
  } catch {
    // keep the text as written
  }
  return path === '' ? undefined : path;
}

/** Message text, with a rule's messageStrings template filled ({0}, {1}...). */
export function resultMessage(
  result: CompactResult,
  rule: SarifRule | undefined,
): string | undefined {
  if (result.messageText !== undefined) return result.messageText;
  const template =
    result.messageId !== undefined ? rule?.messageStrings.get(result.messageId) : undefined;
  if (template === undefined) return undefined;
  return template.replace(
    /\{(\d+)\}/g,
    (whole, n: string) => result.messageArgs[Number(n)] ?? whole,
  );
}
