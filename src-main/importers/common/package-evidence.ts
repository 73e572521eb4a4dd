/**
 * Nessus local checks print the vulnerable package and the fixed one in the plugin output.
 * Two layouts cover the Linux distributions:
 *
 *   Debian/Ubuntu:   "Installed package : openssl_1.1.1f-1ubuntu2.16"
 *                    "Fixed package     : openssl_1.1.1f-1ubuntu2.17"
 *                    (name_version; Debian names and versions never contain "_")
 *
 *   RPM family:      "Remote package installed : kernel-4.14.314-237.533.amzn2"
 *                    "Should be                : kernel-4.14.314-238.539.amzn2"
 *                    (name-version-release; the last two "-" separate version and release)
 *
 * Only the first package of the output is returned: the finding has one component slot,
 * and the first line names the package the plugin is about.
 */

export interface EvidencePackage {
  name: string;
  version?: string;
  fixedVersion?: string;
}

const DEB_INSTALLED = /Installed package\s*:\s*(\S+)/i;
const DEB_FIXED = /Fixed package\s*:\s*(\S+)/i;
const RPM_INSTALLED = /Remote package installed\s*:\s*(\S+)/i;
const RPM_FIXED = /Should be\s*:\s*(\S+)/i;

/** The first package named in a Nessus plugin output, with its fixed version when given. */
export function extractPackageFromEvidence(
  text: string | null | undefined,
): EvidencePackage | undefined {
  if (!text) return undefined;
  const deb = pairAfter(text, DEB_INSTALLED, DEB_FIXED);
  if (deb) return fromPair(deb, splitDebian);
  const rpm = pairAfter(text, RPM_INSTALLED, RPM_FIXED);
  if (rpm) return fromPair(rpm, splitRpm);
  return undefined;
}

interface Pair {
  installed: string;
  fixed?: string;
}

/** The first `installed` match and the `fixed` match that follows it before the next package. */
function pairAfter(text: string, installed: RegExp, fixed: RegExp): Pair | undefined {
  const first = installed.exec(text);
  if (!first?.[1]) return undefined;
  const rest = text.slice(first.index + first[0].length);
  const next = installed.exec(rest);
  const window = next ? rest.slice(0, next.index) : rest;
  const fix = fixed.exec(window);
  return { installed: first[1], fixed: fix?.[1] };
}

interface NameVersion {
  name: string;
  version?: string;
}

function fromPair(pair: Pair, split: (value: string) => NameVersion): EvidencePackage | undefined {
  const installed = split(pair.installed);
  if (!installed.name) return undefined;
  const result: EvidencePackage = { name: installed.name };
  if (installed.version) result.version = installed.version;
  if (pair.fixed) {
    const fixed = split(pair.fixed);
    // A fixed line for another package (should not happen) is not this package's fix.
    if (fixed.name === installed.name && fixed.version) result.fixedVersion = fixed.version;
  }
  return result;
}

/** "openssl_1.1.1f-1ubuntu2.16" -> openssl / 1.1.1f-1ubuntu2.16. */
function splitDebian(value: string): NameVersion {
  const at = value.indexOf('_');
  if (at <= 0) return { name: value };
  return { name: value.slice(0, at), version: value.slice(at + 1) || undefined };
}

/**
 * "java-1.8.0-openjdk-1.8.0.262.b10-1.el7" -> java-1.8.0-openjdk / 1.8.0.262.b10-1.el7:
 * RPM names may contain "-", but version and release never do, so the last two "-"
 * separate name, version and release. An epoch ("1:1.0.2k-25.el7_9") stays in the version.
 */
function splitRpm(value: string): NameVersion {
  const release = value.lastIndexOf('-');
  if (release <= 0) return { name: value };
  const version = value.lastIndexOf('-', release - 1);
  if (version <= 0) return { name: value.slice(0, release), version: value.slice(release + 1) };
  return { name: value.slice(0, version), version: value.slice(version + 1) };
}

const APP_INSTALLED = /^[ \t]*Installed version\s*:[ \t]*(\S[^\n]*)$/im;
const APP_FIXED = /^[ \t]*Fixed version\s*:[ \t]*(\S[^\n]*)$/im;
const APP_PATH = /^[ \t]*(?:Path|File)\s*:[ \t]*(\S[^\n]*)$/im;
const APP_PRODUCT = /^[ \t]*Product\s*:[ \t]*(\S[^\n]*)$/im;
/** "The following unsupported installation of Microsoft SQL Server was detected". */
const APP_INSTALLATION = /installations? of\s+([^\n]+?)\s+(?:was|were)\s+detected/i;
/** Plugin-name tails that are not part of the product ("Apache < 2.4.58 Multiple ..."). */
const NAME_TAIL = /\s+(?:<|<=|Unsupported|Multiple|Detection|Remote|Denial|Information|\().*$/;
const VERSION_LIKE = /^\d[\w.:+~-]*$/;

/**
 * The application a Nessus/Tenable remote or local application check names in its output
 * ("Path : ...", "Installed version : 10.50.6560.0", "Fixed version : 10.50.6785.2"): the
 * product comes from a "Product :" line, the "installation of X was detected" sentence,
 * or the plugin name up to its version condition. A fixed "version" that is prose ("This
 * version is no longer supported.") is not kept.
 */
export function extractApplicationFromEvidence(
  text: string | null | undefined,
  pluginName: string | undefined,
): (EvidencePackage & { path?: string }) | undefined {
  if (!text) return undefined;
  const installed = APP_INSTALLED.exec(text)?.[1]?.trim();
  if (!installed || !VERSION_LIKE.test(installed)) return undefined;
  const name =
    APP_PRODUCT.exec(text)?.[1]?.trim() ??
    APP_INSTALLATION.exec(text)?.[1]?.replace(/\s+/g, ' ').trim() ??
    pluginName?.replace(NAME_TAIL, '').trim();
  if (!name) return undefined;
  const result: EvidencePackage & { path?: string } = { name, version: installed };
  const fixed = APP_FIXED.exec(text)?.[1]?.trim();
  if (fixed && VERSION_LIKE.test(fixed)) result.fixedVersion = fixed;
  const path = APP_PATH.exec(text)?.[1]?.trim();
  if (path) result.path = path;
  return result;
}
