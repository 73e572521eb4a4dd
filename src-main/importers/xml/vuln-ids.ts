/**
 * Collects a finding's CVE ids, CWE ids and references while its elements stream by:
 * normalized, de-duplicated, in order of appearance.
 */
import { cvesIn, normalizeCwe } from './values';

export class VulnIds {
  readonly cves = new Set<string>();
  readonly cwes = new Set<string>();
  readonly references = new Set<string>();

  /** Every CVE id found in `text` (one id, a comma list, an advisory name...). */
  addCves(text: string): void {
    for (const id of cvesIn(text)) this.cves.add(id);
  }

  addCwe(raw: string): void {
    const cwe = normalizeCwe(raw);
    if (cwe !== undefined) this.cwes.add(cwe);
  }

  /** URLs separated by white space (Nessus see_also holds several, one per line). */
  addUrls(text: string): void {
    for (const part of text.split(/\s+/)) {
      if (/^(?:https?|ftp):\/\/\S+$/i.test(part)) this.references.add(part);
    }
  }

  addReference(raw: string): void {
    const value = raw.trim();
    if (value !== '') this.references.add(value);
  }

  /**
   * A typed cross-reference such as Nessus xref "CWE:79", "CVE:CVE-2020-1", "IAVA:2020-A-0510-S"
   * or OpenVAS ref type/id: CWEs and CVEs go to their lists, URLs and others to references.
   */
  addTyped(type: string, id: string): void {
    const kind = type.trim().toUpperCase();
    const value = id.trim();
    if (value === '') return;
    if (kind === 'CWE') this.addCwe(value);
    else if (kind === 'CVE') this.addCves(value);
    else if (kind === 'URL') this.addUrls(value);
    else this.references.add(`${kind}:${value}`);
  }

  get parts(): { cves: string[]; cwes: string[]; references: string[] } {
    return { cves: [...this.cves], cwes: [...this.cwes], references: [...this.references] };
  }
}
