/**
 * The vulnerability key of the application formats (docs/importers-app.md): the CVE when
 * the record names exactly one (as its id or among its aliases), else the record's own id
 * (GHSA-..., MAL-..., npm:1179), so the same flaw found by two dependency scanners on one
 * project lands on one finding. CVE ids are upper-cased; other ids are kept as written.
 */
import { extractCves, normalizeVulnerabilityId } from '../common/cves';
import { cleanText } from '../common/text';

export interface VulnerabilityIds {
  key: string;
  cves: string[];
}

export function chooseKey(
  ownId: string | null | undefined,
  aliases: readonly (string | null | undefined)[] = [],
): VulnerabilityIds | undefined {
  const own = cleanText(ownId);
  const cves = extractCves(own, ...aliases);
  const onlyCve = cves.length === 1 ? cves[0] : undefined;
  const key = onlyCve ?? (own !== undefined ? normalizeVulnerabilityId(own) : cves[0]);
  return key === undefined ? undefined : { key, cves };
}

/** The GHSA id in an advisory URL ("https://github.com/advisories/GHSA-xxxx-xxxx-xxxx"). */
export function ghsaIn(text: string | null | undefined): string | undefined {
  const match = text ? /\bGHSA(?:-[23456789cfghjmpqrvwx]{4}){3}\b/i.exec(text) : null;
  return match ? `GHSA${match[0].slice(4).toLowerCase()}` : undefined;
}

/** "<title> in <package>", unless the title already names the package. */
export function titleFor(title: string | undefined, key: string, name: string): string {
  if (title === undefined) return `${key} in ${name}`;
  return title.toLowerCase().includes(name.toLowerCase()) ? title : `${title} in ${name}`;
}
