/**
 * Writes a large, realistic .nessus (NessusClientData_v2) file for the import
 * benchmark: `hosts` hosts with `itemsPerHost` report items each, mixing package
 * checks (with installed/fixed versions in the plugin output), service findings and
 * informational plugins. Written as a stream; returns the size in bytes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function hostBlock(h: number, items: number): string {
  const ip = `10.${(h >> 16) & 255}.${(h >> 8) & 255}.${h & 255}`;
  const parts = [
    `<ReportHost name="${ip}"><HostProperties>`,
    `<tag name="HOST_END">Wed Mar 23 15:07:52 2022</tag><tag name="HOST_END_TIMESTAMP">1648044472</tag>`,
    `<tag name="operating-system">Ubuntu 22.04 Linux Kernel 5.15</tag><tag name="host-ip">${ip}</tag>`,
    `<tag name="host-fqdn">srv${h}.corp.example</tag><tag name="netbios-name">SRV${h}</tag>`,
    `<tag name="mac-address">00:16:3e:${((h >> 16) & 255).toString(16).padStart(2, '0')}:${((h >> 8) & 255).toString(16).padStart(2, '0')}:${(h & 255).toString(16).padStart(2, '0')}</tag>`,
    `<tag name="HOST_START">Wed Mar 23 14:31:51 2022</tag><tag name="HOST_START_TIMESTAMP">1648042311</tag>`,
    `</HostProperties>`,
  ];
  for (let i = 0; i < items; i += 1) {
    const plugin = 150000 + i;
    const severity = i % 5;
    const risk = ['None', 'Low', 'Medium', 'High', 'Critical'][severity];
    const port = i % 3 === 0 ? 0 : [22, 80, 443, 3306, 8080][i % 5];
    parts.push(
      `<ReportItem port="${port}" svc_name="${port === 0 ? 'general' : 'www'}" protocol="tcp" severity="${severity}" pluginID="${plugin}" pluginName="Ubuntu 22.04 LTS : package ${i} vulnerabilities (USN-${6000 + i}-1)" pluginFamily="Ubuntu Local Security Checks">`,
      `<description>The remote Ubuntu 22.04 LTS host has packages installed that are affected by multiple vulnerabilities as referenced in the USN-${6000 + i}-1 advisory. A remote attacker could exploit these issues to cause a denial of service or possibly execute arbitrary code.</description>`,
      `<solution>Update the affected packages.</solution><risk_factor>${risk}</risk_factor>`,
      `<cvss3_base_score>${(severity * 2 + 1.5).toFixed(1)}</cvss3_base_score><cvss3_vector>CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H</cvss3_vector>`,
      `<cve>CVE-2023-${10000 + i}</cve><cve>CVE-2024-${20000 + ((h + i) % 500)}</cve><xref>USN:${6000 + i}-1</xref>`,
      `<see_also>https://ubuntu.com/security/notices/USN-${6000 + i}-1</see_also>`,
      `<plugin_output>\n  - Installed package : libpkg${i}_1.2.${h % 10}-0ubuntu1\n  - Fixed package     : libpkg${i}_1.2.${h % 10}-0ubuntu1.1\n\nThe package was found in /var/lib/dpkg/status and is older than the fixed version listed in the advisory.</plugin_output>`,
      `</ReportItem>`,
    );
  }
  parts.push('</ReportHost>');
  return parts.join('');
}

export async function generateNessus(
  path: string,
  hosts: number,
  itemsPerHost: number,
): Promise<number> {
  const out = createWriteStream(path);
  let size = 0;
  const write = async (text: string) => {
    size += Buffer.byteLength(text);
    if (!out.write(text)) await once(out, 'drain');
  };
  await write(
    '<?xml version="1.0" ?>\n<NessusClientData_v2><Policy><policyName>Bench</policyName></Policy><Report name="bench" xmlns:cm="http://www.nessus.org/cm">',
  );
  for (let h = 0; h < hosts; h += 1) await write(hostBlock(h, itemsPerHost));
  await write('</Report></NessusClientData_v2>\n');
  out.end();
  await once(out, 'finish');
  return size;
}
