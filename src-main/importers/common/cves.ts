/**
 * CVE identifiers: scanners write them upper or lower case, one per cell or as lists with
 * any separator, and sometimes inside longer ids ("CVE-2021-44228,CVE-2021-45046").
 */

const CVE_PATTERN = /\bCVE-\d{4}-\d{4,}\b/gi;

/**
 * Returns every CVE id found in the given texts, upper-cased, without duplicates, in order
 * of first appearance. Ids that are not CVEs (GHSA-..., RHSA-...) are ignored.
 */
export function extractCves(...texts: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(CVE_PATTERN)) {
      const id = match[0].toUpperCase();
      if (!seen.has(id)) {
        seen.add(id);
        out.push(id);
      }
    }
  }
  return out;
}

/**
 * Canonical form of a vulnerability id used as a key: CVE ids are upper-cased (scanners
 * disagree on case), every other id (GHSA-xxxx-..., ALAS-..., vendor ids) is kept as written.
 */
export function normalizeVulnerabilityId(id: string): string {
  const text = id.trim();
  return /^cve-/i.test(text) ? text.toUpperCase() : text;
}
