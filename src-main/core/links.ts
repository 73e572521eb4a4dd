/**
 * External links leave the app only through this allow-list, checked on the parsed URL
 * (never with string prefixes: "https://nvd.nist.gov.evil.example" must not pass).
 * Air-gapped operators mostly copy these URLs; opening is a convenience.
 */
export const EXTERNAL_HOST_ALLOW_LIST = [
  'nvd.nist.gov',
  'www.cve.org',
  'cve.org',
  'www.cisa.gov',
  'www.first.org',
  'github.com',
] as const;

export type LinkVerdict = { allowed: true; url: string } | { allowed: false; reason: string };

export function checkExternalUrl(
  raw: string,
  allowList: readonly string[] = EXTERNAL_HOST_ALLOW_LIST,
): LinkVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { allowed: false, reason: 'Not a valid URL.' };
  }
  if (url.protocol !== 'https:')
    return {
      allowed: false,
      reason: `Only https links open outside the app (got ${url.protocol}).`,
    };
  if (url.username || url.password)
    return { allowed: false, reason: 'Links with credentials are refused.' };
  if (url.port && url.port !== '443')
    return { allowed: false, reason: 'Links to non-standard ports are refused.' };
  if (!allowList.includes(url.hostname)) {
    return {
      allowed: false,
      reason: `${url.hostname} is not on the list of sites the app may open.`,
    };
  }
  return { allowed: true, url: url.toString() };
}
