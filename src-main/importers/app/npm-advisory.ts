/**
 * The npm advisory object shared by `npm audit --json` up to npm 6 (`advisories` map) and
 * `yarn audit --json` (yarn 1, `auditAdvisory` lines): one finding per advisory and
 * installed version of the module (`findings[]`).
 */
import { z } from 'zod';
import type { NoteCollector } from '../common/notes';
import { cleanCvssVector, cvssScore, severityFromCvss } from '../common/cvss';
import { extractCwes } from '../common/cwe';
import { objectList, optionalObject, optionalString, stringList } from '../common/json-fields';
import { lookupSeverity } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';
import type { NormalizedAsset, NormalizedFinding, Severity } from '../types';
import { APP_SEVERITY } from './severity-words';
import { fixedFromPatchedRange } from './versions';
import { chooseKey, ghsaIn, titleFor } from './vuln-key';

const idValue = z
  .union([z.string(), z.number()])
  .transform((v) => String(v))
  .optional()
  .catch(undefined);

export const npmAdvisorySchema = z.looseObject({
  id: idValue,
  title: optionalString,
  module_name: z.string().min(1),
  cves: stringList,
  github_advisory_id: optionalString,
  vulnerable_versions: optionalString,
  patched_versions: optionalString,
  overview: optionalString,
  recommendation: optionalString,
  references: optionalString,
  severity: optionalString,
  cwe: z
    .union([z.string(), z.array(z.unknown())])
    .optional()
    .catch(undefined),
  url: optionalString,
  cvss: optionalObject({ score: z.unknown().optional(), vectorString: optionalString }),
  findings: objectList({ version: optionalString, paths: stringList }),
});
export type NpmAdvisory = z.infer<typeof npmAdvisorySchema>;

/** How many dependency paths the evidence lists before summarizing the rest. */
const MAX_PATHS = 20;

function cwesOf(cwe: NpmAdvisory['cwe']): string[] {
  if (cwe === undefined) return [];
  const texts = Array.isArray(cwe) ? cwe.filter((c): c is string => typeof c === 'string') : [cwe];
  return extractCwes(...texts);
}

function severityOf(
  advisory: NpmAdvisory,
  score: number | undefined,
  notes: NoteCollector,
  where: string,
): Severity {
  const known = lookupSeverity(advisory.severity, APP_SEVERITY);
  if (known !== undefined) return known;
  const rated = score !== undefined && score > 0 ? severityFromCvss(score) : 'info';
  notes.add(`${where}: severity "${advisory.severity ?? ''}" is not known; rated ${rated}.`);
  return rated;
}

function describePaths(paths: readonly string[]): string | undefined {
  if (paths.length === 0) return undefined;
  const shown = paths.slice(0, MAX_PATHS);
  const more = paths.length - shown.length;
  return `Dependency paths:\n${shown.join('\n')}${more > 0 ? `\n... and ${more} more` : ''}`;
}

export interface NpmAdvisoryContext {
  format: string;
  scanner: string;
  asset: NormalizedAsset;
  notes: NoteCollector;
  where: string;
}

/**
 * One finding per installed version of the module. `versions` narrows the findings to
 * the ones not emitted yet (yarn repeats an advisory once per resolution path).
 */
export function advisoryFindings(
  advisory: NpmAdvisory,
  ctx: NpmAdvisoryContext,
  accept: (version: string | undefined) => boolean = () => true,
): NormalizedFinding[] {
  const ownId =
    cleanText(advisory.github_advisory_id) ??
    ghsaIn(advisory.url) ??
    (advisory.id !== undefined ? `npm:${advisory.id}` : undefined);
  const ids = chooseKey(ownId, advisory.cves ?? []);
  if (ids === undefined) {
    ctx.notes.add(`${ctx.where}: skipped, the advisory has no id.`);
    return [];
  }
  const rawScore = cvssScore(advisory.cvss?.score);
  const vector = cleanCvssVector(advisory.cvss?.vectorString);
  const score = rawScore !== undefined && rawScore > 0 ? rawScore : undefined;
  const module = advisory.module_name.trim();
  const title = cleanText(advisory.title);
  const references = uniqueStrings([
    advisory.url,
    ...[...(advisory.references ?? '').matchAll(/https?:\/\/[^\s)\]>"']+/g)].map((m) => m[0]),
  ]);
  const severity = severityOf(advisory, score, ctx.notes, ctx.where);
  const description = cleanText(advisory.overview);
  const solution = cleanText(advisory.recommendation);
  // Advisories without findings[] still name the module: one finding without a version.
  const installs = advisory.findings?.length ? advisory.findings : [{ paths: [] }];
  const out: NormalizedFinding[] = [];
  const seenVersions = new Set<string>();
  for (const install of installs) {
    const version = cleanText(install.version);
    if (seenVersions.has(version ?? '') || !accept(version)) continue;
    seenVersions.add(version ?? '');
    const paths = uniqueStrings(install.paths ?? []);
    const finding: NormalizedFinding = {
      format: ctx.format,
      scanner: {
        name: ctx.scanner,
        ...(advisory.id !== undefined ? { pluginId: advisory.id } : {}),
      },
      asset: ctx.asset,
      vulnerability: {
        key: ids.key,
        cves: ids.cves,
        title: titleFor(title, ids.key, module),
        severity,
        cwes: cwesOf(advisory.cwe),
        references,
      },
    };
    if (score !== undefined && (vector === undefined || vector.startsWith('CVSS:3'))) {
      finding.vulnerability.cvss3 = score;
      if (vector) finding.vulnerability.cvss3Vector = vector;
    }
    const component: NonNullable<NormalizedFinding['component']> = { name: module };
    if (version) component.version = version;
    const fixed = fixedFromPatchedRange(advisory.patched_versions, version);
    if (fixed) component.fixedVersion = fixed;
    if (paths[0]) component.path = paths[0];
    finding.component = component;
    if (description) finding.description = description;
    if (solution) finding.solution = solution;
    const evidence = [
      advisory.vulnerable_versions ? `Vulnerable versions: ${advisory.vulnerable_versions}` : '',
      advisory.patched_versions ? `Patched versions: ${advisory.patched_versions}` : '',
      describePaths(paths) ?? '',
    ].filter(Boolean);
    if (evidence.length > 0) finding.evidence = evidence.join('\n');
    out.push(finding);
  }
  return out;
}
