/**
 * Asset identity from the columns scanners give: a "Host" cell can hold an IP address, a
 * short name or a fully qualified name, and NetBIOS names carry a "WORKGROUP\" prefix.
 * Nothing is invented: a dotted name is an fqdn, an undotted one a hostname, and no short
 * name is derived from an fqdn.
 */
import { isIP } from 'node:net';
import type { NormalizedAsset } from '../types';
import { cleanValue } from './text';

export function isIpAddress(value: string): boolean {
  return isIP(value.trim()) !== 0;
}

/** Classifies one host cell: IP address, fqdn (has a dot) or hostname. */
export function assetFromHost(host: string | null | undefined): NormalizedAsset {
  const text = cleanValue(host);
  if (text === undefined) return {};
  if (isIpAddress(text)) return { ip: text };
  return text.includes('.') ? { fqdn: text.toLowerCase() } : { hostname: text };
}

export interface AssetParts {
  ip?: string | null;
  hostname?: string | null;
  fqdn?: string | null;
  mac?: string | null;
  os?: string | null;
  image?: string | null;
  /** A cell of unknown kind ("Host"); fills ip/fqdn/hostname when those are empty. */
  host?: string | null;
}

/**
 * Builds an asset from named parts, dropping blanks and placeholders. An "fqdn" column
 * without a dot is really a short name and becomes the hostname; a NetBIOS
 * "DOMAIN\NAME" keeps only NAME.
 */
export function buildAsset(parts: AssetParts): NormalizedAsset {
  const asset: NormalizedAsset = {};
  const ip = cleanValue(parts.ip);
  if (ip) asset.ip = ip;
  const fqdn = cleanValue(parts.fqdn);
  const hostname = cleanValue(parts.hostname)?.replace(/^.*\\/, '');
  if (fqdn && isIpAddress(fqdn)) {
    asset.ip ??= fqdn;
  } else if (fqdn && fqdn.includes('.')) {
    asset.fqdn = fqdn.toLowerCase();
  } else if (fqdn && !hostname) {
    asset.hostname = fqdn;
  }
  if (hostname) asset.hostname = hostname;
  const fromHost = assetFromHost(parts.host);
  if (fromHost.ip && !asset.ip) asset.ip = fromHost.ip;
  if (fromHost.fqdn && !asset.fqdn) asset.fqdn = fromHost.fqdn;
  if (fromHost.hostname && !asset.hostname) asset.hostname = fromHost.hostname;
  const mac = cleanValue(parts.mac);
  if (mac) asset.mac = mac.toLowerCase();
  const os = cleanValue(parts.os);
  if (os) asset.os = os;
  const image = cleanValue(parts.image);
  if (image) asset.image = image;
  return canonicalAsset(asset);
}

/** The same asset with its fields in schema order, as findings carry it after validation. */
export function canonicalAsset(asset: NormalizedAsset): NormalizedAsset {
  const out: NormalizedAsset = {};
  for (const key of ['ip', 'hostname', 'fqdn', 'mac', 'os', 'image'] as const) {
    const value = asset[key];
    if (value !== undefined) out[key] = value;
  }
  if (asset.software !== undefined) out.software = asset.software;
  return out;
}

/**
 * Identity key for de-duplicating asset records within one file: the identifying fields
 * only (os and mac can be missing on some rows of the same host; a software asset is
 * known by its name, its version is an attribute).
 */
export function assetKey(asset: NormalizedAsset): string {
  return JSON.stringify([
    asset.ip ?? '',
    asset.fqdn ?? '',
    asset.hostname ?? '',
    asset.image ?? '',
    asset.software?.name ?? '',
  ]);
}

/** Emits each asset once per file: `firstSighting` is true the first time a key is seen. */
export class AssetRegistry {
  private readonly seen = new Set<string>();

  firstSighting(asset: NormalizedAsset): boolean {
    const key = assetKey(asset);
    if (this.seen.has(key)) return false;
    this.seen.add(key);
    return true;
  }

  get size(): number {
    return this.seen.size;
  }
}

/** A port number from a cell ("443", "0"); undefined when blank or not a valid port. */
export function parsePort(value: string | number | null | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (!/^\d{1,5}$/.test(text)) return undefined;
  const port = Number(text);
  return port <= 65535 ? port : undefined;
}
