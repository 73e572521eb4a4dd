/**
 * OWASP Dependency-Check dependencies and their vulnerabilities, in a form shared by the
 * JSON and XML readers, and the findings they become (docs/importers-app.md,
 * "dependency_check"): one finding per dependency and vulnerability.
 */
import type { NoteCollector } from '../common/notes';
import { severityFromCvss } from '../common/cvss';
import { extractCwes } from '../common/cwe';
import { lookupSeverity } from '../common/severity';
import { cleanText, cleanValue, uniqueStrings } from '../common/text';
import type { NormalizedAsset, NormalizedFinding } from '../types';
import { parsePurl, purlPackageName } from './purl';
import { APP_SEVERITY } from './severity-words';
import { chooseKey } from './vuln-key';

export const DC_SCANNER = 'Dependency-Check';

export interface DcVulnerability {
  source?: string;
  name?: string;
  severity?: string;
  cvss2?: number;
  cvss3?: number;
  cwes: string[];
  description?: string;
  references: string[];
  /** versionEndExcluding of the matched vulnerable-software entry: the fixed version. */
  fixedVersion?: string;
}

export interface DcDependency {
  fileName?: string;
  filePath?: string;
  /** Package ids (purls from 2.x reports, "group:artifact:version" maven names from 1.x). */
  packages: string[];
  vulnerabilities: DcVulnerability[];
  suppressed: number;
}

export function emptyDependency(): DcDependency {
  return { packages: [], vulnerabilities: [], suppressed: 0 };
}

/** Ids that are vulnerability ids on their own; other names (RetireJS titles) get a prefix. */
const ID_LIKE = /^(?:CVE|GHSA|OSSINDEX|SONATYPE|NPM|RUSTSEC|PYSEC|GO|GHSL|SNYK)-\S+$/i;

function componentOf(dep: DcDependency): NonNullable<NormalizedFinding['component']> | undefined {
  const path = cleanValue(dep.filePath);
  for (const id of dep.packages) {
    const purl = parsePurl(id);
    if (purl) {
      const out: NonNullable<NormalizedFinding['component']> = { name: purlPackageName(purl) };
      if (purl.version) out.version = purl.version;
      out.purl = id.trim();
      if (path) out.path = path;
      return out;
    }
    const maven = /^([^:\s]+):([^:\s]+):([^:\s]+)$/.exec(id.trim());
    if (maven?.[1] && maven[2] && maven[3]) {
      return { name: `${maven[1]}:${maven[2]}`, version: maven[3], ...(path ? { path } : {}) };
    }
  }
  const name = cleanValue(dep.fileName);
  return name ? { name, ...(path ? { path } : {}) } : undefined;
}

export interface DcContext {
  asset: NormalizedAsset;
  notes: NoteCollector;
  where: string;
}

export function dependencyFindings(dep: DcDependency, ctx: DcContext): NormalizedFinding[] {
  const component = componentOf(dep);
  const out: NormalizedFinding[] = [];
  for (const [i, v] of dep.vulnerabilities.entries()) {
    const where = `${ctx.where} vulnerability ${i + 1}`;
    const name = cleanText(v.name);
    if (name === undefined) {
      ctx.notes.add(`${where}: skipped, the vulnerability has no name.`);
      continue;
    }
    const ids = ID_LIKE.test(name)
      ? chooseKey(name)
      : { key: `${v.source ?? 'dependency-check'}:${name}`, cves: [] };
    if (ids === undefined) continue;
    let severity = lookupSeverity(v.severity, APP_SEVERITY);
    const score = v.cvss3 ?? v.cvss2;
    if (severity === undefined) {
      severity = score !== undefined ? severityFromCvss(score) : 'info';
      if (score === undefined)
        ctx.notes.add(`${where} (${ids.key}): no severity or score; rated info.`);
    }
    const finding: NormalizedFinding = {
      format: 'dependency_check',
      scanner: { name: DC_SCANNER, ...(v.source ? { pluginId: v.source } : {}) },
      asset: ctx.asset,
      vulnerability: {
        key: ids.key,
        cves: ids.cves,
        title: component
          ? `${name} in ${component.name}${component.version ? ` ${component.version}` : ''}`
          : name,
        severity,
        cwes: extractCwes(...v.cwes),
        references: uniqueStrings(v.references),
      },
    };
    if (v.cvss3 !== undefined) finding.vulnerability.cvss3 = v.cvss3;
    if (v.cvss2 !== undefined) finding.vulnerability.cvss2 = v.cvss2;
    if (component) {
      finding.component = { ...component };
      if (v.fixedVersion) finding.component.fixedVersion = v.fixedVersion;
    }
    const description = cleanText(v.description);
    if (description) finding.description = description;
    const evidence = [
      dep.fileName ? `File: ${dep.fileName}` : '',
      v.source ? `Source: ${v.source}` : '',
    ].filter(Boolean);
    if (evidence.length > 0) finding.evidence = evidence.join('\n');
    out.push(finding);
  }
  return out;
}

/** A CVSS score field ("4.3"), undefined unless 0..10. */
export function dcScore(value: unknown): number | undefined {
  const n =
    typeof value === 'number'
      ? value
      : typeof value === 'string'
        ? Number.parseFloat(value)
        : Number.NaN;
  return Number.isFinite(n) && n >= 0 && n <= 10 ? n : undefined;
}
