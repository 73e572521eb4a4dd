/**
 * OSV records (https://ossf.github.io/osv-schema/) as OSV-Scanner embeds them: one
 * finding per package and alias group (OSV-Scanner's `groups`: GHSA-x and PYSEC-y for the
 * same flaw are one group). See docs/importers-app.md for the key, severity and fix rules.
 */
import { z } from 'zod';
import type { NoteCollector } from '../common/notes';
import { cleanCvssVector, cvssScore, severityFromCvss } from '../common/cvss';
import { extractCwes } from '../common/cwe';
import { objectList, optionalObject, optionalString, stringList } from '../common/json-fields';
import { lookupSeverity } from '../common/severity';
import { cleanText, cleanValue, uniqueStrings } from '../common/text';
import type { NormalizedAsset, NormalizedFinding, Severity } from '../types';
import { APP_SEVERITY } from './severity-words';
import { compareLoose, pickFixed } from './versions';
import { chooseKey, titleFor } from './vuln-key';

const eventSchema = z.looseObject({
  introduced: optionalString,
  fixed: optionalString,
  last_affected: optionalString,
});

export const osvVulnerabilitySchema = z.looseObject({
  id: z.string().min(1),
  aliases: stringList,
  summary: optionalString,
  details: optionalString,
  severity: objectList({ type: optionalString, score: optionalString }),
  affected: objectList({
    package: optionalObject({
      name: optionalString,
      ecosystem: optionalString,
      purl: optionalString,
    }),
    ranges: objectList({
      type: optionalString,
      repo: optionalString,
      events: objectList(eventSchema.shape),
    }),
    database_specific: z.unknown().optional(),
    ecosystem_specific: z.unknown().optional(),
  }),
  references: objectList({ type: optionalString, url: optionalString }),
  database_specific: z.unknown().optional(),
});
export type OsvVulnerability = z.infer<typeof osvVulnerabilitySchema>;

export const osvPackageSchema = z.looseObject({
  package: z.looseObject({
    name: optionalString,
    version: optionalString,
    ecosystem: optionalString,
    commit: optionalString,
    purl: optionalString,
  }),
  vulnerabilities: z.array(z.unknown()).optional().catch(undefined),
  groups: objectList({ ids: stringList, aliases: stringList, max_severity: optionalString }),
  dependency_groups: stringList,
});
export type OsvPackage = z.infer<typeof osvPackageSchema>;

const severityHolder = z.looseObject({ severity: z.unknown().optional() });
const cweHolder = z.looseObject({
  cwe_ids: stringList,
  cwes: objectList({ cweId: optionalString }),
});

/** A "severity" word in database_specific / ecosystem_specific (GHSA: "MODERATE"). */
function specificSeverity(value: unknown): Severity | undefined {
  const parsed = severityHolder.safeParse(value);
  const word = parsed.success ? parsed.data.severity : undefined;
  return typeof word === 'string' ? lookupSeverity(word, APP_SEVERITY) : undefined;
}

function cwesOf(vuln: OsvVulnerability): string[] {
  const holders = [
    vuln.database_specific,
    ...(vuln.affected ?? []).map((a) => a.database_specific),
  ];
  return holders.flatMap((holder) => {
    const parsed = cweHolder.safeParse(holder);
    if (!parsed.success) return [];
    return extractCwes(
      ...(parsed.data.cwe_ids ?? []),
      ...(parsed.data.cwes ?? []).map((c) => c.cweId),
    );
  });
}

/**
 * The fixed version for `installed`: the "fixed" event of the range that contains it
 * (introduced <= installed < fixed); else the lowest fixed version above it.
 */
export function osvFixedVersion(
  vulns: readonly OsvVulnerability[],
  name: string | undefined,
  installed: string | undefined,
): string | undefined {
  const candidates: string[] = [];
  for (const vuln of vulns) {
    for (const affected of vuln.affected ?? []) {
      if (
        name !== undefined &&
        affected.package?.name !== undefined &&
        affected.package.name !== name
      )
        continue;
      for (const range of affected.ranges ?? []) {
        if (range.type === 'GIT') continue;
        let introduced: string | undefined;
        for (const event of range.events ?? []) {
          if (event.introduced !== undefined) introduced = event.introduced;
          const fixed = cleanText(event.fixed);
          if (fixed === undefined) continue;
          candidates.push(fixed);
          if (
            installed !== undefined &&
            (introduced === undefined ||
              introduced === '0' ||
              compareLoose(introduced, installed) <= 0) &&
            compareLoose(installed, fixed) < 0
          ) {
            return fixed;
          }
        }
      }
    }
  }
  return pickFixed(installed, candidates);
}

export interface OsvGroup {
  ids: string[];
  aliases: string[];
  maxSeverity?: string;
}

/** The package's alias groups; without `groups` (older OSV-Scanner) each record is one. */
export function groupsOf(pkg: OsvPackage, vulns: readonly OsvVulnerability[]): OsvGroup[] {
  const groups: OsvGroup[] = (pkg.groups ?? [])
    .map((g) => ({
      ids: uniqueStrings(g.ids ?? []),
      aliases: uniqueStrings(g.aliases ?? []),
      ...(g.max_severity ? { maxSeverity: g.max_severity } : {}),
    }))
    .filter((g) => g.ids.length > 0);
  const grouped = new Set(groups.flatMap((g) => g.ids));
  for (const vuln of vulns) {
    if (!grouped.has(vuln.id)) groups.push({ ids: [vuln.id], aliases: vuln.aliases ?? [] });
  }
  return groups;
}

export interface OsvFindingContext {
  format: string;
  scanner: string;
  asset: NormalizedAsset;
  path: string | undefined;
  notes: NoteCollector;
  where: string;
}

export function groupFinding(
  pkg: OsvPackage,
  group: OsvGroup,
  byId: ReadonlyMap<string, OsvVulnerability>,
  ctx: OsvFindingContext,
): NormalizedFinding | undefined {
  const vulns = group.ids.flatMap((id) => {
    const vuln = byId.get(id);
    return vuln ? [vuln] : [];
  });
  const primary = vulns[0];
  const aliases = uniqueStrings([
    ...group.aliases,
    ...vulns.flatMap((v) => [v.id, ...(v.aliases ?? [])]),
  ]);
  const ids = chooseKey(primary?.id ?? group.ids[0], aliases);
  if (ids === undefined) return undefined;
  const gitRepo = vulns
    .flatMap((v) => v.affected ?? [])
    .flatMap((a) => a.ranges ?? [])
    .find((r) => r.type === 'GIT' && r.repo)?.repo;
  const name = cleanValue(pkg.package.name) ?? cleanValue(gitRepo) ?? ctx.path ?? 'unknown package';
  const version = cleanValue(pkg.package.version) ?? cleanValue(pkg.package.commit);

  const vectors = vulns.flatMap((v) => v.severity ?? []);
  const v3 = vectors.find((s) => s.type === 'CVSS_V3' && s.score);
  const onlyV3 = vectors.length > 0 && vectors.every((s) => s.type === 'CVSS_V3');
  const maxScore = cvssScore(group.maxSeverity);
  let severity =
    vulns.map((v) => specificSeverity(v.database_specific)).find((s) => s !== undefined) ??
    vulns
      .flatMap((v) => v.affected ?? [])
      .map((a) => specificSeverity(a.ecosystem_specific) ?? specificSeverity(a.database_specific))
      .find((s) => s !== undefined);
  if (severity === undefined && maxScore !== undefined) severity = severityFromCvss(maxScore);
  if (severity === undefined && group.ids.some((id) => id.startsWith('MAL-'))) {
    // OSV's malicious-packages records carry no score: the package itself is malware.
    severity = 'critical';
  }
  if (severity === undefined) {
    severity = 'info';
    ctx.notes.add(`${ctx.where} (${ids.key}): no severity in the record; rated info.`);
  }
  const title = cleanText(primary?.summary);
  const finding: NormalizedFinding = {
    format: ctx.format,
    scanner: { name: ctx.scanner, ...(primary ? { pluginId: primary.id } : {}) },
    asset: ctx.asset,
    vulnerability: {
      key: ids.key,
      cves: ids.cves,
      title: titleFor(title, ids.key, name),
      severity,
      cwes: uniqueStrings(vulns.flatMap(cwesOf)),
      references: uniqueStrings(vulns.flatMap((v) => (v.references ?? []).map((r) => r.url))),
    },
  };
  const vector = cleanCvssVector(v3?.score);
  if (vector?.startsWith('CVSS:3')) finding.vulnerability.cvss3Vector = vector;
  if (onlyV3 && maxScore !== undefined) finding.vulnerability.cvss3 = maxScore;
  const description = cleanText(primary?.details);
  if (description) finding.description = description;
  const component: NonNullable<NormalizedFinding['component']> = { name };
  if (version) component.version = version;
  const fixed = osvFixedVersion(
    vulns,
    cleanValue(pkg.package.name),
    cleanValue(pkg.package.version),
  );
  if (fixed) component.fixedVersion = fixed;
  if (ctx.path) component.path = ctx.path;
  const purl =
    cleanValue(pkg.package.purl) ??
    vulns.flatMap((v) => v.affected ?? []).find((a) => a.package?.purl)?.package?.purl;
  if (purl) component.purl = version && !purl.includes('@') ? `${purl}@${version}` : purl;
  finding.component = component;
  const evidence = [
    pkg.package.ecosystem ? `Ecosystem: ${pkg.package.ecosystem}` : '',
    `OSV records: ${group.ids.join(', ')}`,
    pkg.dependency_groups?.length ? `Dependency groups: ${pkg.dependency_groups.join(', ')}` : '',
  ].filter(Boolean);
  finding.evidence = evidence.join('\n');
  return finding;
}
