/**
 * What a rule needs to know about a finding: the host's OS family and the packages to
 * upgrade (name, installed version, fixed version). Package facts come from the
 * component fields (Trivy, Grype, Wazuh) or from the scanner's evidence: Nessus local
 * checks print "Remote package installed : TOKEN / Should be : TOKEN" (TOKEN an RPM N-V-R,
 * or a Debian name_version on Debian hosts) and "Installed package : name_version /
 * Fixed package : name_version" (Debian).
 */
export type OsFamily = 'debian' | 'rhel' | 'suse' | 'alpine';

export interface PackageFix {
  name: string;
  installed: string | null;
  fixed: string;
}

/** Package names and versions must be this plain to appear in a script (quoted). */
export const SAFE_TOKEN = /^[A-Za-z0-9][A-Za-z0-9+._:~-]{0,127}$/;

const FAMILY_PATTERNS: [OsFamily, RegExp][] = [
  ['debian', /\b(ubuntu|debian|mint|kali|raspbian)\b|[0-9]ubuntu[0-9]|\+deb[0-9]/i],
  [
    'rhel',
    /\b(red ?hat|rhel|centos|alma ?linux|rocky|oracle linux|amazon linux|fedora|scientific linux)\b|\.el[5-9](_\d+)?\b|\.amzn[12]\b|\.fc[0-9]{2}\b/i,
  ],
  ['suse', /\b(suse|sles|opensuse)\b/i],
  ['alpine', /\balpine\b|-r[0-9]+$/i],
];

/** The OS family from the asset's OS string, else from package version strings. */
export function osFamily(os: string | null, versions: readonly string[] = []): OsFamily | null {
  for (const text of [os ?? '', ...versions]) {
    for (const [family, pattern] of FAMILY_PATTERNS) {
      if (family === 'alpine' && text !== os && !/\balpine\b/i.test(text)) continue;
      if (pattern.test(text)) return family;
    }
  }
  return null;
}

/** Splits an RPM "name-version-release" into name and "version-release". */
export function splitNevr(nevr: string): { name: string; version: string } | null {
  const m = /^(.+)-([^-]+-[^-]+)$/.exec(
    nevr.replace(/\.(x86_64|aarch64|i686|noarch|ppc64le|s390x)$/, ''),
  );
  return m ? { name: m[1] as string, version: m[2] as string } : null;
}

/** Splits a Debian "name_version" token. */
function splitDebian(token: string): { name: string; version: string } | null {
  const i = token.indexOf('_');
  return i > 0
    ? {
        name: token.slice(0, i),
        version: token.slice(i + 1).replace(/_(amd64|arm64|all|i386)$/, ''),
      }
    : null;
}

/**
 * Nessus writes "Remote package installed / Should be" for every distribution; the token
 * is an RPM N-V-R on RPM hosts and a Debian "name_version" on Debian hosts. The token's
 * shape alone is ambiguous (RPM releases such as `el7_9` carry underscores, Debian names
 * such as `libgssapi-krb5-2` carry dashes), so the host's OS family decides.
 */
export function packagesFromEvidence(
  evidence: string | null,
  family: OsFamily | null = null,
): PackageFix[] {
  if (!evidence) return [];
  const fixes: PackageFix[] = [];
  const split = family === 'debian' ? splitDebian : splitNevr;
  const remote = /Remote package installed\s*:\s*(\S+)\s*\n\s*Should be\s*:\s*(\S+)/g;
  for (const m of evidence.matchAll(remote)) {
    const installed = split(m[1] as string);
    const fixed = split(m[2] as string);
    if (installed && fixed && installed.name === fixed.name)
      fixes.push({ name: fixed.name, installed: installed.version, fixed: fixed.version });
  }
  const deb = /Installed package\s*:\s*(\S+)\s*\n\s*Fixed package\s*:\s*(\S+)/g;
  for (const m of evidence.matchAll(deb)) {
    const installed = splitDebian(m[1] as string);
    const fixed = splitDebian(m[2] as string);
    if (installed && fixed && installed.name === fixed.name)
      fixes.push({ name: fixed.name, installed: installed.version, fixed: fixed.version });
  }
  return fixes.filter((f) => SAFE_TOKEN.test(f.name) && SAFE_TOKEN.test(f.fixed));
}

export interface FindingFacts {
  os: string | null;
  evidence: string | null;
  componentName: string | null;
  componentVersion: string | null;
  componentFixedVersion: string | null;
  image: string | null;
}

/** The package upgrades a finding asks for (deduplicated by name). */
export function packageFixes(f: FindingFacts): PackageFix[] {
  const fixes = packagesFromEvidence(f.evidence, osFamily(f.os));
  if (f.componentName && f.componentFixedVersion) {
    // Trivy/Grype may list several fixed versions ("1.2.3, 1.3.1"): the first is the lowest line.
    const fixed = f.componentFixedVersion.split(/[,\s]+/)[0] ?? '';
    if (SAFE_TOKEN.test(f.componentName) && SAFE_TOKEN.test(fixed))
      fixes.push({ name: f.componentName, installed: f.componentVersion, fixed });
  }
  const seen = new Set<string>();
  return fixes.filter((fix) => !seen.has(fix.name) && seen.add(fix.name));
}
