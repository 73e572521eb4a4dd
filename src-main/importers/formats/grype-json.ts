/**
 * "grype-json": Anchore Grype JSON output (`grype -o json`): `matches[]` (each with
 * `vulnerability`, `relatedVulnerabilities`, `matchDetails`, `artifact`), then `source`
 * (what was scanned), `distro` and `descriptor` (Grype version and time).
 *
 * Grype writes `source` after `matches`, so a match's asset is only known at the end of
 * the document. Matches read before `source` are kept in a RecordSpool (memory for small
 * reports, a private temporary file for large ones) and emitted once the asset is known;
 * the scan and asset records still come first.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { walkJson, type JsonEvent, type JsonImporterOptions } from '../tabular/json-stream';
import {
  normalizedFindingSchema,
  type ImportRecord,
  type Importer,
  type NormalizedAsset,
  type NormalizedFinding,
  type ParseContext,
  type ScanInfo,
} from '../types';
import { buildAsset } from '../common/asset';
import { throwIfCancelled } from '../common/cancel';
import { extractCves, normalizeVulnerabilityId } from '../common/cves';
import { cleanCvssVector } from '../common/cvss';
import { toIsoDate } from '../common/dates';
import {
  describeIssues,
  objectList,
  optionalNumber,
  optionalObject,
  optionalString,
  stringList,
} from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { RecordSpool } from '../common/record-spool';
import { toImportError } from '../common/import-errors';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';

const FORMAT = 'grype-json';

/** Grype severities; Negligible and Unknown carry no rating of their own. */
export const GRYPE_SEVERITY: SeverityTable = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  negligible: 'info',
  unknown: 'info',
};

const cvssEntry = {
  version: optionalString,
  vector: optionalString,
  source: optionalString,
  type: optionalString,
  metrics: optionalObject({ baseScore: optionalNumber }),
};

const legacyCvss = optionalObject({ baseScore: optionalNumber, vector: optionalString });

const matchSchema = z.looseObject({
  vulnerability: z.looseObject({
    id: z.string().min(1),
    severity: optionalString,
    namespace: optionalString,
    dataSource: optionalString,
    description: optionalString,
    urls: stringList,
    links: stringList,
    cvss: objectList(cvssEntry),
    cvssV2: legacyCvss,
    cvssV3: legacyCvss,
    fix: optionalObject({ versions: stringList, state: optionalString }),
    advisories: objectList({ id: optionalString, link: optionalString }),
  }),
  relatedVulnerabilities: objectList({
    id: optionalString,
    namespace: optionalString,
    dataSource: optionalString,
    urls: stringList,
    cvss: objectList(cvssEntry),
  }),
  matchDetails: z.unknown().optional(),
  artifact: z.looseObject({
    name: z.string().min(1),
    version: optionalString,
    type: optionalString,
    purl: optionalString,
    locations: objectList({ path: optionalString }),
  }),
});
type Match = z.infer<typeof matchSchema>;
type CvssEntry = NonNullable<Match['vulnerability']['cvss']>[number];

const rootSchema = z.looseObject({
  source: optionalObject({
    type: optionalString,
    target: z.unknown().optional(),
    name: optionalString,
  }),
  distro: optionalObject({ name: optionalString, version: optionalString }),
  descriptor: optionalObject({
    name: optionalString,
    version: optionalString,
    timestamp: optionalString,
  }),
});

const imageTarget = z.looseObject({
  userInput: optionalString,
  tags: stringList,
  repoDigests: stringList,
  imageID: optionalString,
});
const pathTarget = z.looseObject({ path: optionalString });

/**
 * Selection order (documented in docs/importers-tabular.md): NVD's entries among the
 * related vulnerabilities (primary first), then the match's own (vendor) entries, then
 * other related entries, then the pre-0.20 `cvssV3`/`cvssV2` fields.
 */
function pickCvss(match: Match): { cvss3?: number; vector?: string; cvss2?: number } {
  const related = match.relatedVulnerabilities ?? [];
  const nvd = related.filter((r) => r.namespace?.startsWith('nvd') === true);
  const others = related.filter((r) => r.namespace?.startsWith('nvd') !== true);
  const byPrimary = (entries: CvssEntry[]): CvssEntry[] =>
    [...entries].sort((a, b) => Number(b.type === 'Primary') - Number(a.type === 'Primary'));
  const ordered: CvssEntry[] = [
    ...byPrimary(nvd.flatMap((r) => r.cvss ?? [])),
    ...(match.vulnerability.cvss ?? []),
    ...others.flatMap((r) => r.cvss ?? []),
  ];
  const score = (entry: CvssEntry): number | undefined => {
    const value = entry.metrics?.baseScore;
    return value !== undefined && value >= 0 && value <= 10 ? value : undefined;
  };
  const v3 = ordered.find((e) => e.version?.startsWith('3') === true && score(e) !== undefined);
  const v2 = ordered.find((e) => e.version?.startsWith('2') === true && score(e) !== undefined);
  const result: { cvss3?: number; vector?: string; cvss2?: number } = {};
  const legacy3 = match.vulnerability.cvssV3;
  const legacy2 = match.vulnerability.cvssV2;
  if (v3) {
    result.cvss3 = score(v3);
    const vector = cleanCvssVector(v3.vector);
    if (vector) result.vector = vector;
  } else if (
    legacy3?.baseScore !== undefined &&
    legacy3.baseScore >= 0 &&
    legacy3.baseScore <= 10
  ) {
    result.cvss3 = legacy3.baseScore;
    const vector = cleanCvssVector(legacy3.vector);
    if (vector) result.vector = vector;
  }
  if (v2) result.cvss2 = score(v2);
  else if (legacy2?.baseScore !== undefined && legacy2.baseScore >= 0 && legacy2.baseScore <= 10) {
    result.cvss2 = legacy2.baseScore;
  }
  return result;
}

const detailSchema = z.looseObject({
  type: optionalString,
  matcher: optionalString,
  found: optionalObject({ versionConstraint: optionalString }),
  matchedOn: optionalObject({ constraint: optionalString }),
});

/** "rpm-matcher (exact-indirect-match): < 0:0.7-21.el8_9.1 (rpm)" per match detail. */
function describeMatch(details: unknown): string | undefined {
  const list = Array.isArray(details) ? details : details === undefined ? [] : [details];
  const lines = list.flatMap((item) => {
    const parsed = detailSchema.safeParse(item);
    if (!parsed.success) return [];
    const { type, matcher, found, matchedOn } = parsed.data;
    const constraint = found?.versionConstraint ?? matchedOn?.constraint;
    const who = [matcher, type ? `(${type})` : undefined].filter(Boolean).join(' ');
    return who || constraint
      ? [`Matched by ${who || 'grype'}${constraint ? `: ${constraint}` : ''}`]
      : [];
  });
  return lines.length > 0 ? uniqueStrings(lines).join('\n') : undefined;
}

function matchToFinding(match: Match): NormalizedFinding {
  const { vulnerability: vuln, artifact } = match;
  const id = normalizeVulnerabilityId(vuln.id);
  const related = match.relatedVulnerabilities ?? [];
  const cvss = pickCvss(match);
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: 'Grype' },
    asset: {},
    vulnerability: {
      key: id,
      cves: extractCves(vuln.id, ...related.map((r) => r.id)),
      title: `${id} in ${artifact.name}${artifact.version ? ` ${artifact.version}` : ''}`,
      severity: lookupSeverity(vuln.severity, GRYPE_SEVERITY) ?? 'info',
      cwes: [],
      references: uniqueStrings([
        vuln.dataSource,
        ...(vuln.urls ?? []),
        ...(vuln.links ?? []),
        ...(vuln.advisories ?? []).map((a) => a.link),
      ]),
    },
  };
  if (cvss.cvss3 !== undefined) finding.vulnerability.cvss3 = cvss.cvss3;
  if (cvss.vector) finding.vulnerability.cvss3Vector = cvss.vector;
  if (cvss.cvss2 !== undefined) finding.vulnerability.cvss2 = cvss.cvss2;
  const description = cleanText(vuln.description);
  if (description) finding.description = description;
  const component: NonNullable<NormalizedFinding['component']> = { name: artifact.name };
  const version = cleanText(artifact.version);
  if (version) component.version = version;
  const fixed = uniqueStrings(vuln.fix?.versions ?? []);
  if (vuln.fix?.state === 'fixed' && fixed.length > 0) component.fixedVersion = fixed.join(', ');
  const path = cleanText(artifact.locations?.[0]?.path);
  if (path) component.path = path;
  const purl = cleanText(artifact.purl);
  if (purl) component.purl = purl;
  finding.component = component;
  const evidence = describeMatch(match.matchDetails);
  if (evidence) finding.evidence = evidence;
  return finding;
}

/** The scanned image or directory, from `source` and `distro`. */
function documentAsset(fields: Readonly<Record<string, unknown>>): NormalizedAsset {
  const root = rootSchema.safeParse(fields);
  const source = root.success ? root.data.source : undefined;
  const distro = root.success ? root.data.distro : undefined;
  const os = cleanText([distro?.name, distro?.version].filter(Boolean).join(' '));
  if (source?.type === 'image') {
    const target = imageTarget.safeParse(source.target);
    const t = target.success ? target.data : undefined;
    return buildAsset({
      image: t?.userInput ?? t?.tags?.[0] ?? t?.repoDigests?.[0] ?? t?.imageID ?? source.name,
      os,
    });
  }
  let location: string | undefined;
  if (typeof source?.target === 'string') location = source.target;
  else {
    const target = pathTarget.safeParse(source?.target);
    location = target.success ? target.data.path : undefined;
  }
  // Old Grype versions quote the directory: "\".\"".
  location = cleanText(location?.replace(/^"(.*)"$/, '$1')) ?? source?.name;
  return buildAsset({ hostname: location, os });
}

function scanInfo(fields: Readonly<Record<string, unknown>>): ScanInfo {
  const root = rootSchema.safeParse(fields);
  const descriptor = root.success ? root.data.descriptor : undefined;
  const scan: ScanInfo = { scanner: 'Grype' };
  if (descriptor?.version) scan.scannerVersion = descriptor.version;
  const started = toIsoDate(descriptor?.timestamp);
  if (started) scan.startedAt = started;
  return scan;
}

async function* parseGrype(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const spool = new RecordSpool((value) => spooledSchema.parse(value), options.spoolMemoryChars);
  let asset: NormalizedAsset | undefined;
  let rootFields: Readonly<Record<string, unknown>> = {};
  let index = 0;

  /** Scan and asset records, then the matches held back until the asset was known. */
  async function* startReport(
    fields: Readonly<Record<string, unknown>>,
  ): AsyncGenerator<ImportRecord, NormalizedAsset, undefined> {
    const documentAssetValue = documentAsset(fields);
    yield* out.scan(scanInfo(fields));
    if (Object.keys(documentAssetValue).length === 0) {
      notes.add('the report names no scanned source; findings have no asset.');
      yield* out.pendingNotes();
    } else {
      yield* out.asset(documentAssetValue);
    }
    for await (const held of spool.drain()) {
      throwIfCancelled(signal, fileName);
      yield* out.finding({ ...held.finding, asset: documentAssetValue }, held.where);
    }
    return documentAssetValue;
  }

  try {
    const events = walkJson(input, {
      fileName,
      signal,
      items: [['matches', '*']],
      skip: [['ignoredMatches']],
      thresholdBytes: options.streamThresholdBytes,
    });
    for await (const event of events) {
      if (event.kind === 'close' && event.frame.path.length === 0) rootFields = event.frame.fields;
      if (event.kind === 'end') checkRoot(event, fileName);
      if (event.kind !== 'item') continue;
      const where = `match ${index++}`;
      const parsed = matchSchema.safeParse(event.value);
      if (!parsed.success) {
        notes.add(`${where}: skipped, not a Grype match (${describeIssues(parsed.error)}).`);
        yield* out.pendingNotes();
        continue;
      }
      const finding = matchToFinding(parsed.data);
      const root = event.frames[0]?.fields ?? {};
      if (asset === undefined && 'source' in root) {
        // `source` came before this match: the asset is known from here on.
        asset = yield* startReport(root);
      }
      if (asset !== undefined) yield* out.finding({ ...finding, asset }, where);
      else await spool.push({ where, finding });
    }
    asset ??= yield* startReport(rootFields);
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  } finally {
    await spool.dispose();
  }
}

/** A match held back until the asset is known (see RecordSpool). */
const spooledSchema = z.object({ where: z.string(), finding: normalizedFindingSchema });

function checkRoot(event: Extract<JsonEvent, { kind: 'end' }>, fileName: string): void {
  if (event.rootKind !== 'object') {
    throw malformed(fileName, 'not a Grype report: the document is not a JSON object');
  }
}

export function createGrypeImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'Grype JSON',
    hints: 'JSON object with "matches" (vulnerability/artifact/matchDetails) and "descriptor"',
    sniff(head: string): number {
      if (!/^\s*\{/.test(head.replace(/^\uFEFF/, ''))) return 0;
      const matches = /"matches"\s*:/.test(head);
      if (!matches) return 0;
      const grype =
        /"descriptor"\s*:\s*\{[^}]*"name"\s*:\s*"grype"/.test(head) ||
        /"matchDetails"\s*:/.test(head) ||
        /"matcher"\s*:\s*"[a-z-]+-matcher"/.test(head);
      if (grype) return 0.95;
      return /"artifact"\s*:/.test(head) && /"vulnerability"\s*:/.test(head) ? 0.7 : 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseGrype(input, ctx, options);
    },
  };
}

export const grypeJsonImporter: Importer = createGrypeImporter();
