/**
 * "npm_audit_7_plus": `npm audit --json` of npm 7 and later (`auditReportVersion` 2):
 * `vulnerabilities` maps each vulnerable package to its advisories (`via` objects), the
 * packages it is vulnerable through (`via` names), its `nodes` (node_modules paths) and
 * `fixAvailable`. One finding per package and advisory; packages that are vulnerable only
 * through a dependency are counted in a note (their advisories are on that dependency).
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { ANY_KEY, walkJson, type JsonImporterOptions } from '../tabular/json-stream';
import type {
  ImportRecord,
  Importer,
  NormalizedAsset,
  NormalizedFinding,
  ParseContext,
} from '../types';
import { cleanCvssVector, cvssScore, severityFromCvss } from '../common/cvss';
import { extractCwes } from '../common/cwe';
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
import { lookupSeverity } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';
import { APP_SEVERITY } from '../app/severity-words';
import { softwareAssetOr } from '../app/software-asset';
import { fixedFromVulnerableRange } from '../app/versions';
import { chooseKey, ghsaIn, titleFor } from '../app/vuln-key';
import { NPM_SCANNER, npmErrorOf } from './npm-audit';

const FORMAT = 'npm_audit_7_plus';
const MAX_NODES = 20;

const viaSchema = z.looseObject({
  source: z.union([z.number(), z.string()]).optional().catch(undefined),
  name: optionalString,
  dependency: optionalString,
  title: optionalString,
  url: optionalString,
  severity: optionalString,
  cwe: stringList,
  cvss: optionalObject({ score: optionalNumber, vectorString: optionalString }),
  range: optionalString,
});
type Via = z.infer<typeof viaSchema>;

const packageSchema = z.looseObject({
  name: optionalString,
  severity: optionalString,
  isDirect: z.boolean().optional().catch(undefined),
  via: z.array(z.unknown()).optional().catch(undefined),
  range: optionalString,
  nodes: stringList,
  fixAvailable: z
    .union([
      z.boolean(),
      z.looseObject({
        name: optionalString,
        version: optionalString,
        isSemVerMajor: z.boolean().optional().catch(undefined),
      }),
    ])
    .optional()
    .catch(undefined),
});
type VulnerablePackage = z.infer<typeof packageSchema>;

function fixOf(pkg: VulnerablePackage, name: string, via: Via): { fixed?: string; note?: string } {
  const fix = pkg.fixAvailable;
  if (typeof fix === 'object') {
    const target = cleanText(fix.name);
    const version = cleanText(fix.version);
    const major = fix.isSemVerMajor === true ? ' (semver-major)' : '';
    if (target === name && version)
      return { fixed: version, note: `Fix available: ${name}@${version}${major}` };
    const fromRange = fixedFromVulnerableRange(via.range);
    const note =
      target && version ? `Fix available: update ${target} to ${version}${major}` : undefined;
    return { ...(fromRange ? { fixed: fromRange } : {}), ...(note ? { note } : {}) };
  }
  const fromRange = fixedFromVulnerableRange(via.range);
  return {
    ...(fromRange ? { fixed: fromRange } : {}),
    ...(fix === true
      ? { note: 'Fix available (npm audit fix)' }
      : fix === false
        ? { note: 'No fix available' }
        : {}),
  };
}

function viaFinding(
  pkg: VulnerablePackage,
  packageKey: string,
  via: Via,
  asset: NormalizedAsset,
  notes: NoteCollector,
  where: string,
): NormalizedFinding | undefined {
  const source = via.source !== undefined ? String(via.source) : undefined;
  const ids = chooseKey(ghsaIn(via.url) ?? (source !== undefined ? `npm:${source}` : undefined));
  if (ids === undefined) {
    notes.add(`${where}: an advisory without id or URL was skipped.`);
    return undefined;
  }
  const name = cleanText(via.name) ?? cleanText(pkg.name) ?? packageKey;
  const rawScore = via.cvss?.score;
  const score =
    rawScore !== undefined && rawScore > 0 && rawScore <= 10 ? cvssScore(rawScore) : undefined;
  let severity = lookupSeverity(via.severity ?? pkg.severity, APP_SEVERITY);
  if (severity === undefined) {
    severity = score !== undefined ? severityFromCvss(score) : 'info';
    notes.add(`${where}: severity "${via.severity ?? ''}" is not known; rated ${severity}.`);
  }
  const title = cleanText(via.title);
  const finding: NormalizedFinding = {
    format: FORMAT,
    scanner: { name: NPM_SCANNER, ...(source !== undefined ? { pluginId: source } : {}) },
    asset,
    vulnerability: {
      key: ids.key,
      cves: ids.cves,
      title: titleFor(title, ids.key, name),
      severity,
      cwes: extractCwes(...(via.cwe ?? [])),
      references: uniqueStrings([via.url]),
    },
  };
  const vector = cleanCvssVector(via.cvss?.vectorString);
  if (score !== undefined && (vector === undefined || vector.startsWith('CVSS:3'))) {
    finding.vulnerability.cvss3 = score;
    if (vector) finding.vulnerability.cvss3Vector = vector;
  }
  const component: NonNullable<NormalizedFinding['component']> = { name };
  const fix = fixOf(pkg, name, via);
  if (fix.fixed) component.fixedVersion = fix.fixed;
  const nodes = uniqueStrings(pkg.nodes ?? []);
  if (nodes[0]) component.path = nodes[0];
  finding.component = component;
  const more = nodes.length - MAX_NODES;
  const evidence = [
    via.range ? `Vulnerable versions: ${via.range}` : '',
    pkg.range ? `Installed range: ${pkg.range}` : '',
    pkg.isDirect === true ? 'Direct dependency' : '',
    fix.note ?? '',
    nodes.length > 0
      ? `Installed at:\n${nodes.slice(0, MAX_NODES).join('\n')}${more > 0 ? `\n... and ${more} more` : ''}`
      : '',
  ].filter(Boolean);
  if (evidence.length > 0) finding.evidence = evidence.join('\n');
  return finding;
}

async function* parseNpm7(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const asset = softwareAssetOr(undefined, fileName, notes, 'npm audit does not name the project');
  let rootFields: Readonly<Record<string, unknown>> = {};
  let sawVulnerabilities = false;
  let transitiveOnly = 0;
  const start = function* (): Generator<ImportRecord> {
    yield* out.scan({ scanner: NPM_SCANNER });
    yield* out.asset(asset);
  };
  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [['vulnerabilities', ANY_KEY]],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object') {
          throw malformed(fileName, 'not an npm audit report: the document is not a JSON object');
        }
        continue;
      }
      if (event.kind === 'close') {
        if (event.frame.path.length === 0) rootFields = event.frame.fields;
        else if (event.frame.path.length === 1 && event.frame.path[0] === 'vulnerabilities')
          sawVulnerabilities = true;
        continue;
      }
      yield* start();
      const packageKey = String(event.path[1]);
      const where = `vulnerabilities.${packageKey}`;
      const parsed = packageSchema.safeParse(event.value);
      if (!parsed.success) {
        notes.add(`${where}: skipped, not an npm audit entry (${describeIssues(parsed.error)}).`);
        yield* out.pendingNotes();
        continue;
      }
      const advisories = (parsed.data.via ?? []).flatMap((item) => {
        if (typeof item !== 'object' || item === null) return [];
        const via = viaSchema.safeParse(item);
        return via.success ? [via.data] : [];
      });
      if (advisories.length === 0) transitiveOnly += 1;
      const seen = new Set<string>();
      for (const via of advisories) {
        const finding = viaFinding(parsed.data, packageKey, via, asset, notes, where);
        if (finding === undefined || seen.has(finding.vulnerability.key)) continue;
        seen.add(finding.vulnerability.key);
        yield* out.finding(finding, where);
      }
      yield* out.pendingNotes();
    }
    const error = npmErrorOf(fileName, rootFields);
    if (error) throw error;
    if (!sawVulnerabilities && !('vulnerabilities' in rootFields)) {
      throw malformed(fileName, 'not an npm 7+ audit report: no "vulnerabilities"');
    }
    if (transitiveOnly > 0) {
      notes.add(
        `${transitiveOnly} package(s) are vulnerable only through their dependencies; the advisories are reported on those dependencies.`,
      );
    }
    yield* start();
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}

export function createNpmAudit7Importer(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'npm audit JSON (npm 7 and later)',
    hints:
      'JSON object with "auditReportVersion": 2 and "vulnerabilities" (package -> via/nodes/fixAvailable)',
    sniff(head: string): number {
      if (!/^\s*\{/.test(head)) return 0;
      if (/"auditReportVersion"\s*:\s*2\b/.test(head)) return 0.95;
      return /"vulnerabilities"\s*:\s*\{/.test(head) &&
        /"fixAvailable"\s*:/.test(head) &&
        /"via"\s*:/.test(head)
        ? 0.8
        : 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseNpm7(input, ctx, options);
    },
  };
}

export const npmAudit7Importer: Importer = createNpmAudit7Importer();
