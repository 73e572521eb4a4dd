/**
 * Package URLs (purl, https://github.com/package-url/purl-spec): "pkg:type/namespace/name@version?qualifiers#subpath".
 * Only what a finding's component needs is read: type, namespace, name and version.
 */

export interface Purl {
  type: string;
  namespace?: string;
  name: string;
  version?: string;
}

function decode(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part;
  }
}

export function parsePurl(value: string | null | undefined): Purl | undefined {
  const text = value?.trim();
  if (!text || !/^pkg:/i.test(text)) return undefined;
  const body = text.slice(4).replace(/^\/+/, '').split('#')[0]?.split('?')[0] ?? '';
  const at = body.lastIndexOf('@');
  const path = at > 0 ? body.slice(0, at) : body;
  const version = at > 0 ? decode(body.slice(at + 1)) : undefined;
  const parts = path.split('/').filter(Boolean);
  const type = parts.shift()?.toLowerCase();
  const name = parts.pop();
  if (!type || !name) return undefined;
  const purl: Purl = { type, name: decode(name) };
  if (parts.length > 0) purl.namespace = parts.map(decode).join('/');
  if (version) purl.version = version;
  return purl;
}

/**
 * The package name as the ecosystem writes it: "group:artifact" for Maven, "@scope/name"
 * for npm, "namespace/name" elsewhere (Go modules, Composer, Debian's distro namespace is
 * dropped).
 */
export function packageName(
  type: string | undefined,
  namespace: string | undefined,
  name: string,
): string {
  if (!namespace) return name;
  switch (type) {
    case 'maven':
      return `${namespace}:${name}`;
    case 'deb':
    case 'rpm':
    case 'apk':
    case 'alpm':
      return name;
    default:
      return `${namespace}/${name}`;
  }
}

export function purlPackageName(purl: Purl): string {
  return packageName(purl.type, purl.namespace, purl.name);
}
