/**
 * "trivy-json": Aqua Trivy JSON reports (`trivy image|fs|rootfs|vm --format json`).
 *
 * Layouts read:
 * - report (SchemaVersion 2): `SchemaVersion`, `CreatedAt`, `ArtifactName`, `ArtifactType`,
 *   `Metadata` (OS, RepoTags, ImageID) then `Results[]` with `Target`, `Class`, `Type` and
 *   `Vulnerabilities[]`;
 * - legacy (before SchemaVersion 2): a top-level array of Results (or `null`);
 * - Kubernetes (`trivy k8s`): `ClusterName` with `Resources[]` (or the older
 *   `Vulnerabilities[]`) of workloads, each with `Namespace`, `Kind`, `Name`, `Results[]`.
 *
 * Package vulnerabilities, misconfigurations (failed checks), secrets and licence
 * findings are imported, each with its kind (trivy-other-findings.ts). Results'
 * `Packages` lists are skipped unread. A legacy report of a clean image is the JSON
 * document `null`: zero findings, not an error.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import {
  walkJson,
  type JsonFrame,
  type JsonImporterOptions,
  type JsonPathSegment,
  type JsonPattern,
} from '../tabular/json-stream';
import {
  normalizedFindingSchema,
  type ImportRecord,
  type Importer,
  type NormalizedAsset,
  type NormalizedFinding,
  type ParseContext,
  type ScanInfo,
  type Severity,
} from '../types';
import { buildAsset } from '../common/asset';
import { throwIfCancelled } from '../common/cancel';
import { extractCves, normalizeVulnerabilityId } from '../common/cves';
import { cleanCvssVector, severityFromCvss } from '../common/cvss';
import { normalizeCwes } from '../common/cwe';
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
import { RecordSpool } from '../common/record-spool';
import { lookupSeverity, type SeverityTable } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';
import { OTHER_FINDINGS, otherFinding, type OtherFindingList } from './trivy-other-findings';

const FORMAT = 'trivy-json';

/** Trivy severities; UNKNOWN means no vendor rated it. */
export const TRIVY_SEVERITY: SeverityTable = {
  critical: 'critical',
  high: 'high',
  medium: 'medium',
  low: 'low',
  unknown: 'info',
  negligible: 'info',
};

/** Where a Result sits in each layout. */
const RESULT_PREFIXES: readonly JsonPattern[] = [
  ['Results', '*'],
  ['*'],
  ['Resources', '*', 'Results', '*'],
  ['Vulnerabilities', '*', 'Results', '*'],
  // trivy k8s (old layout): misconfigured resources beside the vulnerable ones.
  ['Misconfigurations', '*', 'Results', '*'],
];
/** Top-level lists of Kubernetes workloads (each with Namespace, Kind, Name, Results). */
const WORKLOAD_LISTS = new Set(['Resources', 'Vulnerabilities', 'Misconfigurations']);

const ITEMS: readonly JsonPattern[] = RESULT_PREFIXES.flatMap((prefix) => [
  [...prefix, 'Vulnerabilities', '*'],
  ...OTHER_FINDINGS.map((kind) => [...prefix, kind, '*']),
]);
const SKIP: readonly JsonPattern[] = RESULT_PREFIXES.map((prefix) => [...prefix, 'Packages']);

const cvssEntry = z
  .looseObject({
    V2Score: optionalNumber,
    V3Score: optionalNumber,
    V3Vector: optionalString,
  })
  .catch({});

const vulnerabilitySchema = z.looseObject({
  VulnerabilityID: z.string().min(1),
  VendorIDs: stringList,
  PkgName: optionalString,
  PkgPath: optionalString,
  PkgIdentifier: optionalObject({ PURL: optionalString }),
  Ref: optionalString,
  InstalledVersion: optionalString,
  FixedVersion: optionalString,
  Status: optionalString,
  SeveritySource: optionalString,
  PrimaryURL: optionalString,
  Title: optionalString,
  Description: optionalString,
  Severity: optionalString,
  CweIDs: stringList,
  CVSS: z.record(z.string(), cvssEntry).optional().catch(undefined),
  References: stringList,
  Layer: optionalObject({ DiffID: optionalString, Digest: optionalString }),
});
type TrivyVulnerability = z.infer<typeof vulnerabilitySchema>;

const metadataSchema = optionalObject({
  OS: optionalObject({ Family: optionalString, Name: optionalString }),
  RepoTags: stringList,
  RepoDigests: stringList,
  ImageID: optionalString,
});

const rootSchema = z.looseObject({
  CreatedAt: optionalString,
  ArtifactName: optionalString,
  ArtifactType: optionalString,
  Metadata: metadataSchema,
  Trivy: optionalObject({ Version: optionalString }),
});

const resultSchema = z.looseObject({
  Target: optionalString,
  Class: optionalString,
  Type: optionalString,
});
type TrivyResult = z.infer<typeof resultSchema>;

const resourceSchema = z.looseObject({
  Namespace: optionalString,
  Kind: optionalString,
  Name: optionalString,
  Metadata: metadataSchema,
});

/** "gcr.io/redis-follower:v2 (debian 10.4)" -> image and OS. */
function splitTarget(target: string | undefined): { name?: string; os?: string } {
  const text = cleanText(target);
  if (text === undefined) return {};
  const match = /^(.*\S)\s+\(([^()]+)\)$/.exec(text);
  return match ? { name: match[1], os: match[2] } : { name: text };
}

function osOf(metadata: z.infer<typeof metadataSchema>): string | undefined {
  const os = metadata?.OS;
  return cleanText([os?.Family, os?.Name].filter(Boolean).join(' '));
}

function isOsResult(result: TrivyResult): boolean {
  return result.Class === 'os-pkgs';
}

/** The artifact of a SchemaVersion 2 report; see docs/importers-tabular.md. */
function reportAsset(
  rootFields: Readonly<Record<string, unknown>>,
  result: TrivyResult,
): NormalizedAsset {
  const root = rootSchema.safeParse(rootFields);
  const data = root.success ? root.data : undefined;
  const metadata = data?.Metadata;
  const fromTarget = isOsResult(result) ? splitTarget(result.Target) : {};
  const os = osOf(metadata) ?? fromTarget.os;
  const name = cleanText(data?.ArtifactName);
  if (data?.ArtifactType === 'container_image') {
    const image =
      name ??
      metadata?.RepoTags?.find((tag) => tag.trim() !== '') ??
      fromTarget.name ??
      metadata?.RepoDigests?.find((digest) => digest.trim() !== '') ??
      metadata?.ImageID;
    return buildAsset({ image, os });
  }
  return buildAsset({ hostname: name, os });
}

/** Legacy reports name the image only in the Result target: "debian (debian 10.8)". */
function legacyAsset(result: TrivyResult): NormalizedAsset {
  const { name, os } = splitTarget(result.Target);
  return os !== undefined ? buildAsset({ image: name, os }) : buildAsset({ hostname: name });
}

/**
 * A Kubernetes workload: its image from an OS result target, else the workload named
 * within its cluster ("<cluster>/<namespace>/<kind>/<name>").
 */
function workloadAsset(
  resourceFields: Readonly<Record<string, unknown>>,
  result: TrivyResult,
  cluster: string | undefined,
): NormalizedAsset {
  const parsed = resourceSchema.safeParse(resourceFields);
  const resource = parsed.success ? parsed.data : undefined;
  const target = isOsResult(result) ? splitTarget(result.Target) : {};
  const tag = resource?.Metadata?.RepoTags?.find((t) => t.trim() !== '');
  const image = target.name ?? tag;
  const os = osOf(resource?.Metadata) ?? target.os;
  if (image !== undefined) return buildAsset({ image, os });
  const workload = [cluster, resource?.Namespace, resource?.Kind, resource?.Name]
    .filter(Boolean)
    .join('/');
  return buildAsset({ hostname: workload, os });
}

/**
 * CVSS selection order: NVD, then the source Trivy took the severity from, then the other
 * vendors in report order. Scores outside 0..10 are ignored.
 */
function pickCvss(vuln: TrivyVulnerability): { cvss3?: number; vector?: string; cvss2?: number } {
  const entries = Object.entries(vuln.CVSS ?? {});
  const rank = (source: string): number =>
    source === 'nvd' ? 0 : source === vuln.SeveritySource ? 1 : 2;
  const ordered = entries
    .map(([source, entry], index) => ({ source, entry, index }))
    .sort((a, b) => rank(a.source) - rank(b.source) || a.index - b.index);
  const valid = (score: number | undefined): score is number =>
    score !== undefined && score >= 0 && score <= 10;
  const v3 = ordered.find(({ entry }) => valid(entry.V3Score));
  const v2 = ordered.find(({ entry }) => valid(entry.V2Score));
  const result: { cvss3?: number; vector?: string; cvss2?: number } = {};
  if (v3) {
    result.cvss3 = v3.entry.V3Score;
    const vector = cleanCvssVector(v3.entry.V3Vector);
    if (vector) result.vector = vector;
  }
  if (v2) result.cvss2 = v2.entry.V2Score;
  return result;
}

function severityOf(
  vuln: TrivyVulnerability,
  score: number | undefined,
  notes: NoteCollector,
  where: string,
): Severity {
  const known = lookupSeverity(vuln.Severity, TRIVY_SEVERITY);
  if (known !== undefined) return known;
  const rated = score !== undefined ? severityFromCvss(score) : 'info';
  notes.add(`${where}: severity "${vuln.Severity ?? ''}" is not known; rated ${rated}.`);
  return rated;
}

function vulnerabilityToFinding(
  vuln: TrivyVulnerability,
  result: TrivyResult,
  notes: NoteCollector,
  where: string,
): NormalizedFinding {
  const id = normalizeVulnerabilityId(vuln.VulnerabilityID);
  const cvss = pickCvss(vuln);
  const pkg = cleanText(vuln.PkgName);
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: 'Trivy' },
    asset: {},
    vulnerability: {
      key: id,
      cves: extractCves(vuln.VulnerabilityID, ...(vuln.VendorIDs ?? [])),
      title: cleanText(vuln.Title) ?? `${id}${pkg ? ` in ${pkg}` : ''}`,
      severity: severityOf(vuln, cvss.cvss3 ?? cvss.cvss2, notes, where),
      cwes: normalizeCwes(vuln.CweIDs ?? []),
      references: uniqueStrings([vuln.PrimaryURL, ...(vuln.References ?? [])]),
    },
  };
  if (cvss.cvss3 !== undefined) finding.vulnerability.cvss3 = cvss.cvss3;
  if (cvss.vector) finding.vulnerability.cvss3Vector = cvss.vector;
  if (cvss.cvss2 !== undefined) finding.vulnerability.cvss2 = cvss.cvss2;
  const description = cleanText(vuln.Description);
  if (description) finding.description = description;
  if (pkg) {
    const component: NonNullable<NormalizedFinding['component']> = { name: pkg };
    const version = cleanText(vuln.InstalledVersion);
    if (version) component.version = version;
    const fixed = cleanText(vuln.FixedVersion);
    if (fixed) component.fixedVersion = fixed;
    // Language packages: the lock file or jar the package was found in.
    const path =
      cleanText(vuln.PkgPath) ??
      (result.Class === 'lang-pkgs' ? cleanText(result.Target) : undefined);
    if (path) component.path = path;
    const purl = cleanText(vuln.PkgIdentifier?.PURL) ?? cleanText(vuln.Ref);
    if (purl) component.purl = purl;
    finding.component = component;
  }
  const evidence = [
    result.Target ? `Target: ${result.Target}` : undefined,
    vuln.Status ? `Status: ${vuln.Status}` : undefined,
    vuln.Layer?.DiffID ? `Layer: ${vuln.Layer.DiffID}` : undefined,
  ].filter((line): line is string => line !== undefined);
  if (evidence.length > 0) finding.evidence = evidence.join('\n');
  return finding;
}

function scanInfo(rootFields: Readonly<Record<string, unknown>>): ScanInfo {
  const root = rootSchema.safeParse(rootFields);
  const scan: ScanInfo = { scanner: 'Trivy' };
  if (!root.success) return scan;
  if (root.data.Trivy?.Version) scan.scannerVersion = root.data.Trivy.Version;
  const started = toIsoDate(root.data.CreatedAt);
  if (started) scan.startedAt = started;
  return scan;
}

/** The cluster a trivy k8s report covers (an EKS ARN, a kube context name...). */
function clusterOf(fields: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const name = fields?.['ClusterName'];
  return typeof name === 'string' ? cleanText(name) : undefined;
}

function describePath(path: readonly JsonPathSegment[]): string {
  return path
    .map((segment) => (typeof segment === 'number' ? `[${segment}]` : `.${segment}`))
    .join('')
    .replace(/^\./, '');
}

const spooledSchema = z.object({
  where: z.string(),
  result: z.looseObject({ Target: optionalString, Class: optionalString, Type: optionalString }),
  finding: normalizedFindingSchema,
});

async function* parseTrivy(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const spool = new RecordSpool((value) => spooledSchema.parse(value), options.spoolMemoryChars);
  let passed = 0;
  let notAffected = 0;
  const workloadsWithFindings = new Set<string>();
  let documentAsset: NormalizedAsset | undefined;
  let deferring = false;
  let rootFields: Readonly<Record<string, unknown>> = {};
  const frameFields = (frames: readonly JsonFrame[], fromEnd: number) =>
    frames[frames.length - fromEnd]?.fields ?? {};

  function* emitWithAsset(finding: NormalizedFinding, asset: NormalizedAsset, where: string) {
    if (Object.keys(asset).length > 0) yield* out.asset(asset);
    yield* out.finding({ ...finding, asset }, where);
  }

  /**
   * Scanned things without vulnerabilities still count as covered: a legacy Result naming
   * an image, a Kubernetes workload whose image was scanned.
   */
  function* coverage(frame: JsonFrame, parents: readonly JsonFrame[]): Generator<ImportRecord> {
    const [first, index] = frame.path;
    if (frame.path.length === 1 && typeof first === 'number' && documentAsset === undefined) {
      const result = resultSchema.safeParse(frame.fields);
      const asset = result.success ? legacyAsset(result.data) : {};
      if (Object.keys(asset).length === 0) return;
      yield* out.scan(scanInfo({}));
      documentAsset = asset;
      yield* out.asset(asset);
    } else if (
      frame.path.length === 2 &&
      typeof first === 'string' &&
      WORKLOAD_LISTS.has(first) &&
      typeof index === 'number'
    ) {
      const resource = resourceSchema.safeParse(frame.fields);
      const metadata = resource.success ? resource.data.Metadata : undefined;
      const scannedImage =
        metadata?.OS !== undefined || (metadata?.RepoTags ?? []).some((t) => t.trim() !== '');
      if (!scannedImage || workloadsWithFindings.has(JSON.stringify(frame.path))) return;
      yield* out.scan(scanInfo(parents[0]?.fields ?? {}));
      yield* out.asset(workloadAsset(frame.fields, {}, clusterOf(parents[0]?.fields)));
    }
  }

  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: ITEMS,
      skip: SKIP,
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'close') {
        const { frame, parents } = event;
        if (frame.path.length === 0) rootFields = frame.fields;
        else yield* coverage(frame, parents);
        continue;
      }
      if (event.kind === 'end') {
        if (event.rootKind === 'scalar' && event.rootValue !== null) {
          throw malformed(fileName, 'not a Trivy report: expected a JSON object or array');
        }
        if (event.rootKind === 'scalar') {
          yield* out.scan(scanInfo({}));
          notes.add('an empty legacy Trivy report (null): the scanned artifact had no findings.');
        }
        continue;
      }
      if (event.kind !== 'item') continue;
      const { path, frames } = event;
      const list = path[path.length - 2];
      const where = describePath(path);
      const resultParsed = resultSchema.safeParse(frameFields(frames, 2));
      const result: TrivyResult = resultParsed.success ? resultParsed.data : {};
      let finding: NormalizedFinding;
      if (list === 'Vulnerabilities') {
        const parsed = vulnerabilitySchema.safeParse(event.value);
        if (!parsed.success) {
          notes.add(
            `${where}: skipped, not a Trivy vulnerability (${describeIssues(parsed.error)}).`,
          );
          yield* out.pendingNotes();
          continue;
        }
        if (parsed.data.Status === 'not_affected') {
          notAffected += 1;
          continue;
        }
        finding = vulnerabilityToFinding(parsed.data, result, notes, where);
      } else {
        const other = otherFinding(list as OtherFindingList, event.value, {
          format: FORMAT,
          target: cleanText(result.Target),
          severities: TRIVY_SEVERITY,
        });
        if (!other.ok) {
          if (other.skipped === 'passed') passed += 1;
          else {
            notes.add(`${where}: skipped, not a Trivy ${String(list).toLowerCase()} entry.`);
            yield* out.pendingNotes();
          }
          continue;
        }
        finding = other.finding;
      }
      const root = frames[0]?.fields ?? {};
      const layout = path[0];
      if (layout === 'Results') {
        // One artifact per report. Trivy writes it before Results; if a file does not,
        // hold the findings until the end, when the artifact is known.
        if (documentAsset === undefined && !deferring) {
          if ('ArtifactName' in root || 'ArtifactType' in root) {
            yield* out.scan(scanInfo(root));
            documentAsset = reportAsset(root, result);
          } else {
            deferring = true;
          }
        }
        if (documentAsset !== undefined) yield* emitWithAsset(finding, documentAsset, where);
        else await spool.push({ where, result, finding });
        continue;
      }
      yield* out.scan(scanInfo(root));
      if (typeof layout === 'number') {
        documentAsset ??= legacyAsset(result);
        yield* emitWithAsset(finding, documentAsset, where);
      } else {
        workloadsWithFindings.add(JSON.stringify(path.slice(0, 2)));
        const asset = workloadAsset(frameFields(frames, 4), result, clusterOf(root));
        yield* emitWithAsset(finding, asset, where);
      }
    }
    yield* out.scan(scanInfo(rootFields));
    if (deferring) {
      for await (const held of spool.drain()) {
        throwIfCancelled(signal, fileName);
        documentAsset ??= reportAsset(rootFields, held.result);
        yield* emitWithAsset(held.finding, documentAsset, held.where);
      }
    }
    // A report without vulnerabilities still covers its artifact.
    if (documentAsset === undefined && 'ArtifactName' in rootFields) {
      const asset = reportAsset(rootFields, {});
      if (Object.keys(asset).length > 0) yield* out.asset(asset);
    }
    if (notAffected > 0) {
      notes.add(`${notAffected} vulnerabilities with status not_affected were not imported.`);
    }
    if (passed > 0) {
      notes.add(`${passed} passed or excepted misconfiguration checks were not imported.`);
    }
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  } finally {
    await spool.dispose();
  }
}

export function createTrivyImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'Trivy JSON',
    hints: 'JSON with "SchemaVersion" and "Results" (or Trivy k8s "ClusterName"/"Resources")',
    sniff(head: string): number {
      const text = head.replace(/^\uFEFF/, '').trimStart();
      if (text.startsWith('{')) {
        if (/"SchemaVersion"\s*:/.test(text) && /"(Results|ArtifactName)"\s*:/.test(text))
          return 0.95;
        if (
          /"ClusterName"\s*:/.test(text) &&
          /"(Resources|Vulnerabilities|Misconfigurations)"\s*:/.test(text)
        ) {
          return 0.9;
        }
        return 0;
      }
      // Legacy report of a clean image: the document is `null`. Nothing else writes that.
      if (/^null\s*$/.test(text)) return 0.55;
      // Legacy: an array of Results.
      if (
        text.startsWith('[') &&
        /"Target"\s*:/.test(text) &&
        /"(Vulnerabilities|Type)"\s*:/.test(text)
      ) {
        return /"VulnerabilityID"\s*:/.test(text) || /"Vulnerabilities"\s*:\s*null/.test(text)
          ? 0.85
          : 0.6;
      }
      return 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseTrivy(input, ctx, options);
    },
  };
}

export const trivyJsonImporter: Importer = createTrivyImporter();
