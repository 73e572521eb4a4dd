/**
 * The lab's scanner: reads each host's installed packages with its own dpkg, compares
 * them with the fixed builds the Debian archive publishes (bookworm-security and
 * bookworm-updates) and writes a Nessus v2 export the way Nessus's "Debian Local
 * Security Checks" plugins report: one item per source package, evidence lines
 * "Remote package installed : NAME_VERSION / Should be : NAME_VERSION".
 */
import { dpkgNewer, type FixedBuild } from './mirror';

export interface ScannedHost {
  name: string;
  address: string;
  installed: Map<string, string>;
}

export interface Advisory {
  /** Debian source package (the unit Debian's advisories and Nessus plugins name). */
  source: string;
  builds: FixedBuild[];
}

export interface ScanItem {
  host: string;
  source: string;
  packages: { name: string; installed: string; fixed: string }[];
}

/** What each host still needs, per advisory. */
export function findVulnerable(
  hosts: readonly ScannedHost[],
  advisories: readonly Advisory[],
): ScanItem[] {
  const items: ScanItem[] = [];
  for (const host of hosts) {
    for (const adv of advisories) {
      const packages = adv.builds.flatMap((b) => {
        const installed = host.installed.get(b.name);
        return installed && dpkgNewer(b.version, installed)
          ? [{ name: b.name, installed, fixed: b.version }]
          : [];
      });
      if (packages.length) items.push({ host: host.name, source: adv.source, packages });
    }
  }
  return items;
}

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A stable plugin id per source package in a range real Nessus does not use. */
function pluginId(source: string): number {
  let h = 0;
  for (const c of source) h = (h * 31 + c.charCodeAt(0)) % 90_000;
  return 990_000 + h;
}

function nessusDate(d: Date): string {
  // Nessus's HOST_START form: "Mon Dec  7 00:50:00 2026" (UTC here).
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getUTCDay()];
  const mon = d.toUTCString().split(' ')[2];
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${day} ${mon} ${String(d.getUTCDate()).padStart(2, ' ')} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

export function nessusXml(
  hosts: readonly ScannedHost[],
  items: readonly ScanItem[],
  at: Date,
): string {
  const out = [
    '<?xml version="1.0" ?>',
    '<NessusClientData_v2>',
    '<Report name="VulnZero lab scan">',
  ];
  for (const host of hosts) {
    out.push(
      `<ReportHost name="${esc(host.name)}"><HostProperties>`,
      `<tag name="HOST_END">${nessusDate(at)}</tag>`,
      `<tag name="HOST_START">${nessusDate(at)}</tag>`,
      `<tag name="host-ip">${esc(host.address)}</tag>`,
      `<tag name="hostname">${esc(host.name)}</tag>`,
      `<tag name="operating-system">Debian GNU/Linux 12 (bookworm)</tag>`,
      `<tag name="Credentialed_Scan">true</tag>`,
      '</HostProperties>',
    );
    for (const item of items.filter((i) => i.host === host.name)) {
      const evidence = item.packages
        .map(
          (p) =>
            `  Remote package installed : ${p.name}_${p.installed}\n  Should be                : ${p.name}_${p.fixed}\n`,
        )
        .join('\n');
      out.push(
        `<ReportItem port="0" svc_name="general" protocol="tcp" severity="2" pluginID="${pluginId(item.source)}" pluginName="Debian 12 : ${esc(item.source)} - security update" pluginFamily="Debian Local Security Checks">`,
        `<description>The remote Debian 12 host has packages installed that are affected by the vulnerabilities fixed in the ${esc(item.source)} update.</description>`,
        `<solution>Upgrade the ${esc(item.source)} packages.</solution>`,
        '<risk_factor>Medium</risk_factor>',
        `<plugin_output>\n${esc(evidence)}</plugin_output>`,
        '</ReportItem>',
      );
    }
    out.push('</ReportHost>');
  }
  out.push('</Report>', '</NessusClientData_v2>', '');
  return out.join('\n');
}
