/**
 * CycloneDX vulnerabilities (and VEX statements) in a form shared by the JSON and XML
 * readers, and the findings they become (docs/importers-app.md, "cyclonedx"): one finding
 * per vulnerability and affected component; `analysis` becomes the finding's `vex`.
 */
import type { NoteCollector } from '../common/notes';
import { cleanCvssVector, severityFromCvss } from '../common/cvss';
import { normalizeCwe } from '../common/cwe';
import { lookupSeverity } from '../common/severity';
import { cleanText, cleanValue, uniqueStrings } from '../common/text';
import { VEX_STATES } from '../../../src-preload/triage-schemas';
import type { NormalizedAsset, NormalizedFinding, Severity } from '../types';
import { packageName, parsePurl } from './purl';
import { APP_SEVERITY } from './severity-words';
import { pickFixed } from './versions';
import { chooseKey } from './vuln-key';

export interface CdxComponent {
  name: string;
  version?: string;
  group?: string;
  purl?: string;
  path?: string;
}

export interface CdxRating {
  source?: string;
  score?: number;
  severity?: string;
  method?: string;
  vector?: string;
}

export interface CdxAffects {
  ref: string;
  versions: { version?: string; range?: string; status?: string }[];
}

export interface CdxVulnerability {
  id?: string;
  sourceName?: string;
  sourceUrl?: string;
  references: { id?: string; url?: string }[];
  ratings: CdxRating[];
  cwes: (string | number)[];
  description?: string;
  detail?: string;
  recommendation?: string;
  advisories: string[];
  analysis?: { state?: string; justification?: string; responses: string[]; detail?: string };
  affects: CdxAffects[];
}

export function emptyVulnerability(): CdxVulnerability {
  return { references: [], ratings: [], cwes: [], advisories: [], affects: [] };
}

/** A component's display name: "group:name" for Maven, "group/name" for others (purl rules). */
export function componentName(
  name: string,
  group: string | undefined,
  purl: string | undefined,
): string {
  const parsed = parsePurl(purl);
  const ns = cleanValue(group);
  return ns ? packageName(parsed?.type ?? 'generic', ns, name) : name;
}

export function toComponent(raw: {
  name?: string | undefined;
  version?: string | undefined;
  group?: string | undefined;
  purl?: string | undefined;
  path?: string | undefined;
}): CdxComponent | undefined {
  const purl = cleanValue(raw.purl);
  const parsed = parsePurl(purl);
  const name = cleanValue(raw.name) ?? parsed?.name;
  if (name === undefined) return undefined;
  const out: CdxComponent = { name: componentName(name, raw.group ?? parsed?.namespace, purl) };
  const version = cleanValue(raw.version) ?? parsed?.version;
  if (version) out.version = version;
  if (purl) out.purl = purl;
  const path = cleanValue(raw.path);
  if (path) out.path = path;
  return out;
}

const NVD = /^nvd\b/i;
const isCvss3 = (r: CdxRating) =>
  /^cvssv3/i.test(r.method ?? '') || (r.method === undefined && /^CVSS:3/.test(r.vector ?? ''));
const isCvss2 = (r: CdxRating) => /^cvssv2$/i.test(r.method ?? '');
const scored = (r: CdxRating) => r.score !== undefined && r.score >= 0 && r.score <= 10;

/** NVD's ratings first, then the vulnerability's own source, then file order. */
function ordered(ratings: readonly CdxRating[], source: string | undefined): CdxRating[] {
  const rank = (r: CdxRating) =>
    NVD.test(r.source ?? '') ? 0 : source !== undefined && r.source === source ? 1 : 2;
  return ratings
    .map((r, i) => ({ r, i }))
    .sort((a, b) => rank(a.r) - rank(b.r) || a.i - b.i)
    .map((x) => x.r);
}

/** Severity words of CycloneDX ratings; "unknown" is no rating. */
function ratingWord(r: CdxRating): Severity | undefined {
  return lookupSeverity(r.severity, APP_SEVERITY);
}

/**
 * Severity: the rating of the vulnerability's own source, else NVD's, else the first with a
 * severity word; without words, the CVSS v3 (then v2) score's band; else info (noted).
 */
export function cdxSeverity(
  v: CdxVulnerability,
  cvss: { cvss3?: number; cvss2?: number },
): Severity | undefined {
  const words = v.ratings.filter((r) => ratingWord(r) !== undefined);
  const pick =
    words.find((r) => v.sourceName !== undefined && r.source === v.sourceName) ??
    words.find((r) => NVD.test(r.source ?? '')) ??
    words[0];
  if (pick) return ratingWord(pick);
  const score = cvss.cvss3 ?? cvss.cvss2;
  return score !== undefined ? severityFromCvss(score) : undefined;
}

export function cdxCvss(v: CdxVulnerability): { cvss3?: number; vector?: string; cvss2?: number } {
  const list = ordered(v.ratings, v.sourceName);
  const v3 = list.find((r) => isCvss3(r) && scored(r));
  const v2 = list.find((r) => isCvss2(r) && scored(r));
  const out: { cvss3?: number; vector?: string; cvss2?: number } = {};
  if (v3?.score !== undefined) {
    out.cvss3 = v3.score;
    const vector = cleanCvssVector(v3.vector);
    if (vector) out.vector = vector;
  }
  if (v2?.score !== undefined) out.cvss2 = v2.score;
  return out;
}

type Vex = NonNullable<NormalizedFinding['vex']>;

function vexOf(v: CdxVulnerability, notes: NoteCollector, where: string): Vex | undefined {
  const state = cleanText(v.analysis?.state);
  if (state === undefined) return undefined;
  const known = (VEX_STATES as readonly string[]).find((s) => s === state);
  if (known === undefined) {
    notes.add(`${where}: VEX analysis state "${state}" is not a CycloneDX state; ignored.`);
    return undefined;
  }
  const vex: Vex = { state: known as Vex['state'] };
  const justification = cleanText(v.analysis?.justification);
  if (justification) vex.justification = justification;
  const detail = cleanText(v.analysis?.detail);
  if (detail) vex.detail = detail;
  return vex;
}

export type CdxTarget =
  { component: CdxComponent; ref?: string } | { unresolved: string } | { none: true };

export interface CdxContext {
  scanner: string;
  asset: NormalizedAsset;
  notes: NoteCollector;
  where: string;
}

export function cdxFindings(
  v: CdxVulnerability,
  targets: readonly CdxTarget[],
  ctx: CdxContext,
): NormalizedFinding[] {
  const ids = chooseKey(
    v.id,
    v.references.map((r) => r.id),
  );
  if (ids === undefined) {
    ctx.notes.add(`${ctx.where}: skipped, the vulnerability has no id.`);
    return [];
  }
  const cvss = cdxCvss(v);
  let severity = cdxSeverity(v, cvss);
  if (severity === undefined) {
    severity = 'info';
    ctx.notes.add(`${ctx.where} (${ids.key}): no rating with a severity or score; rated info.`);
  }
  const vex = vexOf(v, ctx.notes, ctx.where);
  const cwes = uniqueStrings(v.cwes.map((c) => normalizeCwe(c)));
  const references = uniqueStrings([
    v.sourceUrl,
    ...v.references.map((r) => r.url),
    ...v.advisories,
  ]);
  const description = cleanText(v.description) ?? cleanText(v.detail);
  const detail = cleanText(v.description) !== undefined ? cleanText(v.detail) : undefined;
  const out: NormalizedFinding[] = [];
  for (const target of targets.length > 0 ? targets : [{ none: true } as const]) {
    if ('unresolved' in target) {
      ctx.notes.add(
        `${ctx.where} (${ids.key}): affects "${target.unresolved}", which is not a component of the BOM; no component recorded.`,
      );
    }
    const component = 'component' in target ? target.component : undefined;
    const finding: NormalizedFinding = {
      format: 'cyclonedx',
      scanner: { name: ctx.scanner },
      asset: ctx.asset,
      vulnerability: {
        key: ids.key,
        cves: ids.cves,
        title: component
          ? `${ids.key} in ${component.name}${component.version ? ` ${component.version}` : ''}`
          : ids.key,
        severity,
        cwes,
        references,
      },
    };
    if (cvss.cvss3 !== undefined) finding.vulnerability.cvss3 = cvss.cvss3;
    if (cvss.vector) finding.vulnerability.cvss3Vector = cvss.vector;
    if (cvss.cvss2 !== undefined) finding.vulnerability.cvss2 = cvss.cvss2;
    if (component) {
      const c: NonNullable<NormalizedFinding['component']> = { name: component.name };
      if (component.version) c.version = component.version;
      const ref = 'component' in target ? target.ref : undefined;
      const affects = ref !== undefined ? v.affects.find((a) => a.ref === ref) : undefined;
      const unaffected = (affects?.versions ?? v.affects.flatMap((a) => a.versions))
        .filter((x) => x.status === 'unaffected' && x.version)
        .map((x) => x.version ?? '');
      const fixed = pickFixed(component.version, unaffected);
      if (fixed) c.fixedVersion = fixed;
      if (component.path) c.path = component.path;
      if (component.purl) c.purl = component.purl;
      finding.component = c;
    }
    if (vex) finding.vex = vex;
    if (description) finding.description = description;
    const solution = cleanText(v.recommendation);
    if (solution) finding.solution = solution;
    const evidence = [
      detail ? `Detail: ${detail}` : '',
      v.analysis?.responses.length ? `VEX response: ${v.analysis.responses.join(', ')}` : '',
      'unresolved' in target ? `Affects: ${target.unresolved}` : '',
    ].filter(Boolean);
    if (evidence.length > 0) finding.evidence = evidence.join('\n');
    out.push(finding);
  }
  return out;
}

/** The BOM's components by bom-ref, reduced to what a finding needs. */
export class ComponentIndex {
  private readonly byRef = new Map<string, CdxComponent>();

  add(ref: string | undefined, component: CdxComponent | undefined): void {
    const key = cleanText(ref);
    if (key !== undefined && component !== undefined && !this.byRef.has(key))
      this.byRef.set(key, component);
  }

  target(ref: string): CdxTarget {
    const found = this.byRef.get(ref.trim());
    if (found) return { component: found, ref };
    // A purl used as the reference still names the package.
    const fromPurl = parsePurl(ref) ? toComponent({ purl: ref }) : undefined;
    return fromPurl ? { component: fromPurl, ref } : { unresolved: ref };
  }

  get size(): number {
    return this.byRef.size;
  }
}
