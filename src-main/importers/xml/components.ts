/**
 * The affected software component (package or application with installed and fixed
 * versions) read from scanner evidence text. The layouts recognised, and the rules that
 * split "name_version" (Debian) and "name-version-release" (rpm), are documented in
 * docs/importers-xml.md.
 */

export interface Component {
  name: string;
  version?: string;
  fixedVersion?: string;
  path?: string;
}

/** A package file name split into name and version. */
export interface PackageId {
  name: string;
  version?: string;
}

const DEB_ARCH = /_(?:amd64|i386|i686|all|arm64|armhf|armel|ppc64el|s390x|mips\w*)$/;
const RPM_ARCH = /\.(?:x86_64|i[3-6]86|noarch|aarch64|ppc64le|ppc64|s390x|src)$/;

/**
 * Debian and Ubuntu write "name_version[_arch]"; a package name cannot contain "_", so
 * the first "_" separates name and version.
 */
export function splitDebianPackage(raw: string): PackageId {
  const value = raw.trim().replace(DEB_ARCH, '');
  const at = value.indexOf('_');
  if (at <= 0 || at === value.length - 1) return { name: value };
  return { name: value.slice(0, at), version: value.slice(at + 1) };
}

/**
 * rpm writes "name-[epoch:]version-release[.arch]"; names may contain "-" (e.g.
 * "kernel-tools"), versions and releases may not, so the last two "-" separate them.
 * The version reported is "[epoch:]version-release", what `rpm -q` and `yum` compare.
 */
export function splitRpmPackage(raw: string): PackageId {
  const value = raw.trim().replace(RPM_ARCH, '');
  const releaseAt = value.lastIndexOf('-');
  const versionAt = releaseAt > 0 ? value.lastIndexOf('-', releaseAt - 1) : -1;
  if (versionAt <= 0 || !/\d/.test(value.charAt(versionAt + 1))) {
    // Without version-release (or a digit-led version) the split would be a guess.
    return { name: value };
  }
  return { name: value.slice(0, versionAt), version: value.slice(versionAt + 1) };
}

/**
 * Splits a package file name the way its packaging system writes it: Debian when an "_"
 * comes before the last "-" or there is no "-" after it ("openssl_1.1.1f-1ubuntu2.16",
 * "tzdata_2021a"); rpm otherwise, including releases with "_" ("openssl-1.0.2k-21.el7_9").
 */
export function splitPackage(raw: string): PackageId {
  const value = raw.trim();
  const underscore = value.indexOf('_');
  if (underscore <= 0 || value.includes('/')) return splitRpmPackage(value);
  const lastDash = value.lastIndexOf('-');
  return lastDash < 0 || underscore < lastDash ? splitDebianPackage(value) : splitRpmPackage(value);
}

const labelPatterns = new Map<string, RegExp>();

/** "Label : value" on one line, as Nessus and OpenVAS align them (any spacing around ':'). */
function labelled(text: string, label: string): string | undefined {
  let pattern = labelPatterns.get(label);
  if (pattern === undefined) {
    pattern = new RegExp(`^[ \\t]*(?:-[ \\t]*)?${label}[ \\t]*:[ \\t]*(\\S.*?)[ \\t]*$`, 'im');
    labelPatterns.set(label, pattern);
  }
  return pattern.exec(text)?.[1];
}

/**
 * Nessus local checks:
 *   "  - Installed package : openssl_1.1.1f-1ubuntu2.16\n  - Fixed package : openssl_1.1.1f-1ubuntu2.17"
 *   "Remote package installed : openssl-1.0.2k-19.el7\nShould be : openssl-1.0.2k-21.el7_9"
 */
export function nessusPackage(text: string): Component | undefined {
  const installed =
    labelled(text, 'Installed package') ?? labelled(text, 'Remote package installed');
  if (installed === undefined) return undefined;
  const fixed = labelled(text, 'Fixed package') ?? labelled(text, 'Should be');
  const have = splitPackage(installed);
  const want = fixed === undefined ? undefined : splitPackage(fixed);
  return compact({
    name: have.name,
    version: have.version,
    fixedVersion: want?.version ?? fixed,
  });
}

/**
 * Application checks (Nessus, OpenVAS): "Installed version : 5.1.6" with "Fixed version : 5.2"
 * and maybe "Path : /usr/sbin/httpd" or OpenVAS's "Installation\npath / port: C:\\...".
 * The name comes from a "Product :" line or from `nameHint` (plugin title, CPE).
 */
export function installedVersion(text: string, nameHint?: string): Component | undefined {
  const version = labelled(text, 'Installed version');
  if (version === undefined) return undefined;
  const name = labelled(text, 'Product') ?? nameHint;
  if (name === undefined) return undefined;
  const path =
    labelled(text, 'Path') ?? /Installation\s+path \/ port:[ \t]*(\S.*?)[ \t]*$/im.exec(text)?.[1];
  return compact({ name, version, fixedVersion: labelled(text, 'Fixed version'), path });
}

/**
 * OpenVAS local security checks:
 *   "Vulnerable package: openssl\nInstalled version: openssl-1.1.1f-1ubuntu2.16\nFixed version: >=openssl-1.1.1f-1ubuntu2.17"
 */
export function openvasPackage(text: string): Component | undefined {
  const name = labelled(text, 'Vulnerable package');
  if (name === undefined) return undefined;
  const strip = (v: string | undefined): string | undefined => {
    if (v === undefined) return undefined;
    const bare = v.replace(/^(?:>=|<=|==|=|<|>)\s*/, '');
    return bare.startsWith(`${name}-`) || bare.startsWith(`${name}_`)
      ? bare.slice(name.length + 1)
      : bare;
  };
  return compact({
    name,
    version: strip(labelled(text, 'Installed version')),
    fixedVersion: strip(labelled(text, 'Fixed version')),
  });
}

/**
 * Qualys RESULTS tables (tab or column aligned):
 *   "Package\tInstalled Version\tRequired Version\nopenssl\t1.0.2k-19.el7\t1.0.2k-21.el7_9"
 * The first package row is taken; the whole table stays in the evidence.
 */
export function qualysPackageTable(text: string): Component | undefined {
  const header =
    /^[ \t]*(?:vulnerable )?package(?: name)?[ \t]+installed version[ \t]+required version[ \t]*$/im.exec(
      text,
    );
  if (!header) return undefined;
  const rest = text.slice(header.index + header[0].length).split('\n');
  for (const line of rest) {
    if (line.trim() === '') continue;
    const cells = line
      .trim()
      .split(/\t| {2,}/)
      .map((c) => c.trim())
      .filter((c) => c !== '');
    const parts = cells.length === 3 ? cells : line.trim().split(/\s+/);
    if (parts.length !== 3) return undefined;
    const [name = '', version, fixedVersion] = parts;
    return compact({ name, version, fixedVersion });
  }
  return undefined;
}

/** Nexpose proofs: "* Ubuntu libssl1.1 - version 1.1.1f-1ubuntu2.8 is installed". */
export function nexposeInstalled(text: string): Component | undefined {
  const match = /(\S+) - version (\S+) is installed/i.exec(text);
  if (match?.[1] && match[2]) return { name: match[1], version: match[2] };
  const software = /Vulnerable software installed:[ \t]*(.+?)[ \t]+v?(\d[\w.:+~-]*)[ \t]*$/im.exec(
    text,
  );
  return software?.[1] && software[2] ? { name: software[1], version: software[2] } : undefined;
}

const TITLE_STOP_WORDS = new Set(
  (
    'multiple security remote denial xss cross cross-site information unsupported detection ' +
    'update updates end sql buffer privilege arbitrary directory default weak unpatched prior ' +
    'before critical patch and for on vulnerable authentication spoofing injection command ' +
    'execution bypass disclosure overflow traversal'
  ).split(' '),
);

function endsProductName(word: string): boolean {
  return (
    /\d/.test(word) ||
    /^[<>=(-]/.test(word) ||
    /[_/]/.test(word) ||
    /^vulnerabilit/i.test(word) ||
    TITLE_STOP_WORDS.has(word.toLowerCase().replace(/[:,;]$/, ''))
  );
}

/**
 * The product a plugin title names: the words before the first version, comparison or
 * generic word ("PHP 5.x < 5.2 Multiple Vulnerabilities" → "PHP",
 * "jQuery < 1.9.0 XSS Vulnerability" → "jQuery").
 */
export function productFromTitle(title: string): string | undefined {
  const words: string[] = [];
  for (const word of title.trim().split(/\s+/)) {
    if (endsProductName(word)) break;
    words.push(word);
  }
  const product = words.join(' ');
  return product.length >= 2 && product.length <= 60 ? product : undefined;
}

/** The product of a CPE ("cpe:/a:php:php:5.1.6", "cpe:2.3:a:php:php:...") with its version. */
export function cpeProduct(cpe: string): PackageId | undefined {
  const parts = cpe
    .trim()
    .replace(/^cpe:2\.3:/i, 'cpe:/')
    .split(':');
  const product = parts[3];
  if (!product || !/^cpe$/i.test(parts[0] ?? '')) return undefined;
  const version = parts[4];
  return version && version !== '*' && version !== '-'
    ? { name: product, version }
    : { name: product };
}

/** Drops undefined and empty fields so records stay minimal. */
function compact(c: {
  name: string;
  version?: string | undefined;
  fixedVersion?: string | undefined;
  path?: string | undefined;
}): Component | undefined {
  const name = c.name.trim();
  if (name === '') return undefined;
  const out: Component = { name };
  if (c.version?.trim()) out.version = c.version.trim();
  if (c.fixedVersion?.trim()) out.fixedVersion = c.fixedVersion.trim();
  if (c.path?.trim()) out.path = c.path.trim();
  return out;
}
