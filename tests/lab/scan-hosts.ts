/** One scan of the lab as its hosts really are: each host's dpkg read, a Nessus file written. */
import { writeFileSync } from 'node:fs';
import { installedVersions } from './debian-root';
import type { LabHost } from './lab-host';
import { findVulnerable, nessusXml, type Advisory, type ScanItem } from './scan';

export function scanHosts(
  hosts: readonly LabHost[],
  advisories: readonly Advisory[],
  file: string,
  at = new Date(),
): { file: string; items: ScanItem[] } {
  const scanned = hosts.map((h) => ({
    name: h.name,
    address: h.address,
    installed: installedVersions(h.root),
  }));
  const items = findVulnerable(scanned, advisories);
  writeFileSync(file, nessusXml(scanned, items, at));
  return { file, items };
}
