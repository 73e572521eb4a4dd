/**
 * Output of the `vulners` NSE script: structured <table>/<elem> entries in current Nmap,
 * or only the text of the `output` attribute (older script versions), for example
 *   "\n  cpe:/a:openbsd:openssh:7.4: \n    \tCVE-2018-15919\t5.0\thttps://vulners.com/cve/CVE-2018-15919"
 */

export interface VulnersEntry {
  /** The CPE the entry was found for (the outer table's key). */
  cpe: string | undefined;
  id: string;
  /** vulners collection: cve, exploitdb, metasploit, packetstorm... */
  type: string | undefined;
  cvss: string | undefined;
  exploit: boolean;
}

/** Parses the text form, used when the script wrote no tables. */
export function vulnersFromOutput(output: string): VulnersEntry[] {
  const entries: VulnersEntry[] = [];
  let cpe: string | undefined;
  for (const line of output.split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '') continue;
    if (/^cpe:\S+:$/.test(trimmed)) {
      cpe = trimmed.slice(0, -1);
      continue;
    }
    const [id, cvss, url, flag] = trimmed.split('\t').map((c) => c.trim());
    if (!id || (cvss !== undefined && !/^\d+(?:\.\d+)?$/.test(cvss))) continue;
    entries.push({
      cpe,
      id,
      type: url ? /vulners\.com\/([^/]+)\//.exec(url)?.[1] : undefined,
      cvss,
      exploit: flag === '*EXPLOIT*',
    });
  }
  return entries;
}

/** Collects structured entries while the script element streams. */
export class VulnersTables {
  readonly entries: VulnersEntry[] = [];
  private cpe: string | undefined;
  private current: Map<string, string> | undefined;

  /** Outer table: one per CPE. */
  openCpe(key: string | undefined): void {
    this.cpe = key;
  }

  openEntry(): void {
    this.current = new Map();
  }

  elem(key: string | undefined, value: string): void {
    if (this.current !== undefined && key !== undefined) this.current.set(key, value.trim());
  }

  closeEntry(): void {
    const entry = this.current;
    this.current = undefined;
    const id = entry?.get('id');
    if (entry === undefined || !id) return;
    this.entries.push({
      cpe: this.cpe,
      id,
      type: entry.get('type'),
      cvss: entry.get('cvss'),
      exploit: entry.get('is_exploit') === 'true',
    });
  }
}
