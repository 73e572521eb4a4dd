/**
 * Asset identity across files and scanners. An asset is known by its identifiers (IP,
 * FQDN, hostname, MAC, container image). A record that matches identifiers of two
 * different assets merges them (the older one survives) and the merge is recorded with
 * the identifiers that caused it, so it can be explained and split later.
 */
import type { AssetCriticality, AssetExposure } from '../../prioritization/ssvc';
import type { Db } from '../../vault/sqlcipher';
import type { NormalizedAsset } from '../types';

export type IdentifierKind = 'ip' | 'fqdn' | 'hostname' | 'mac' | 'image' | 'software' | 'scan';
export interface Identifier {
  kind: IdentifierKind;
  value: string;
}

/** Names too generic to identify a host on their own. */
const GENERIC_NAMES = new Set([
  'localhost',
  'localhost.localdomain',
  'unknown',
  'ubuntu',
  'debian',
  'host',
  '',
]);
const GENERIC_IPS = new Set(['127.0.0.1', '::1', '0.0.0.0']);

export function identifiersOf(asset: NormalizedAsset): Identifier[] {
  const out: Identifier[] = [];
  const ip = asset.ip?.trim().toLowerCase();
  if (ip && !GENERIC_IPS.has(ip)) out.push({ kind: 'ip', value: ip });
  const fqdn = asset.fqdn?.trim().toLowerCase().replace(/\.$/, '');
  if (fqdn && !GENERIC_NAMES.has(fqdn)) out.push({ kind: 'fqdn', value: fqdn });
  const hostname = asset.hostname?.trim().toLowerCase();
  if (hostname && !GENERIC_NAMES.has(hostname) && hostname !== fqdn)
    out.push({ kind: 'hostname', value: hostname });
  const mac = asset.mac?.trim().toLowerCase().replace(/-/g, ':');
  if (mac && /^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac) && mac !== '00:00:00:00:00:00')
    out.push({ kind: 'mac', value: mac });
  const image = asset.image?.trim();
  if (image) out.push({ kind: 'image', value: image });
  const software = asset.software?.name.trim().toLowerCase();
  if (software) out.push({ kind: 'software', value: software });
  return out;
}

/** The identifier of a generic-only asset kept by the operator's choice: this scan and its name. */
export function scanIdentifier(scanId: number, asset: NormalizedAsset): Identifier {
  const name = [asset.fqdn, asset.hostname, asset.ip, asset.mac]
    .map((v) => v?.trim().toLowerCase())
    .find((v) => v !== undefined && v !== '');
  return { kind: 'scan', value: `${scanId}:${name ?? 'unnamed'}` };
}

export function displayName(asset: NormalizedAsset): string {
  return (
    asset.fqdn ??
    asset.hostname ??
    asset.image ??
    asset.software?.name ??
    asset.ip ??
    asset.mac ??
    'unknown asset'
  );
}

/** ip, hostname, fqdn, mac, os, image, software version: the column order of the insert and update below. */
function assetColumns(asset: NormalizedAsset): (string | null)[] {
  return [
    asset.ip,
    asset.hostname,
    asset.fqdn,
    asset.mac,
    asset.os,
    asset.image,
    asset.software?.version,
  ].map((v) => v ?? null);
}

/** What the import needs to know about the asset a record resolved to. */
export interface ResolvedAsset {
  id: number;
  criticality: AssetCriticality;
  exposure: AssetExposure;
  /** Created by this import: it has no findings from earlier files. */
  isNew: boolean;
}

export class AssetResolver {
  private readonly cache = new Map<string, ResolvedAsset>();
  /** Assets created by this import (ids only grow, so "new" is "above the highest id before"). */
  private readonly firstNewId: number;
  private readonly find;
  private readonly info;
  private readonly insertAsset;
  private readonly insertIdentifier;
  private readonly updateAsset;
  private readonly mergedInto;
  readonly merged: { from: number; into: number }[] = [];

  /**
   * @param keepGenericScan when set, an asset with only generic names (localhost,
   *   127.0.0.1, "ubuntu") is kept as its own asset identified by this scan and its name
   *   (identifier kind 'scan') instead of being skipped: two such hosts of one file stay
   *   apart by name, and the same name in another file is another asset.
   */
  constructor(
    private readonly db: Db,
    private readonly now: string,
    private readonly keepGenericScan?: number,
  ) {
    this.find = db
      .prepare('SELECT asset_id FROM asset_identifiers WHERE kind = ? AND value = ?')
      .pluck();
    this.insertAsset = db.prepare(
      `INSERT INTO assets(display_name, kind, ip, hostname, fqdn, mac, os, image, software_version, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.info = db.prepare('SELECT criticality, exposure FROM assets WHERE id = ?');
    this.firstNewId =
      (db.prepare('SELECT coalesce(max(id), 0) FROM assets').pluck().get() as number) + 1;
    this.insertIdentifier = db.prepare(
      'INSERT OR IGNORE INTO asset_identifiers(asset_id, kind, value, first_seen) VALUES (?, ?, ?, ?)',
    );
    this.mergedInto = db.prepare('SELECT merged_into FROM assets WHERE id = ?').pluck();
    this.updateAsset = db.prepare(
      `UPDATE assets SET ip = coalesce(?, ip), hostname = coalesce(?, hostname), fqdn = coalesce(?, fqdn),
         mac = coalesce(?, mac), os = coalesce(?, os), image = coalesce(?, image),
         software_version = coalesce(?, software_version), updated_at = ? WHERE id = ?`,
    );
  }

  /** The asset a normalized asset resolves to, creating or merging as needed; null if it has no identifier. */
  resolve(asset: NormalizedAsset): ResolvedAsset | null {
    const ids = identifiersOf(asset);
    if (ids.length === 0) {
      if (this.keepGenericScan === undefined) return null;
      ids.push(scanIdentifier(this.keepGenericScan, asset));
    }
    const cacheKey = ids.map((i) => `${i.kind}=${i.value}`).join('|');
    const cached = this.cache.get(cacheKey);
    if (cached !== undefined) return cached;

    const matches = new Set<number>();
    for (const id of ids) {
      const found = this.find.get(id.kind, id.value) as number | undefined;
      if (found !== undefined) matches.add(this.canonical(found));
    }
    let assetId: number;
    if (matches.size === 0) {
      const kind = asset.software && ids.every((i) => i.kind === 'software') ? 'software' : 'host';
      assetId = Number(
        this.insertAsset.run(displayName(asset), kind, ...assetColumns(asset), this.now, this.now)
          .lastInsertRowid,
      );
    } else {
      const sorted = [...matches].sort((a, b) => a - b);
      assetId = sorted[0] as number;
      for (const other of sorted.slice(1)) this.merge(other, assetId, ids);
      this.updateAsset.run(...assetColumns(asset), this.now, assetId);
    }
    for (const id of ids) this.insertIdentifier.run(assetId, id.kind, id.value, this.now);
    const row = this.info.get(assetId) as {
      criticality: AssetCriticality;
      exposure: AssetExposure;
    };
    const resolved: ResolvedAsset = {
      id: assetId,
      criticality: row.criticality,
      exposure: row.exposure,
      isNew: assetId >= this.firstNewId,
    };
    this.cache.set(cacheKey, resolved);
    return resolved;
  }

  private canonical(id: number): number {
    let current = id;
    for (let hops = 0; hops < 20; hops += 1) {
      const next = this.mergedInto.get(current) as number | null;
      if (next === null || next === undefined) return current;
      current = next;
    }
    return current;
  }

  /** Folds `from` into `into` because one record carried identifiers of both. */
  private merge(from: number, into: number, because: Identifier[]): void {
    foldAsset(
      this.db,
      from,
      into,
      `a record carried identifiers of both assets: ${because.map((i) => `${i.kind} ${i.value}`).join(', ')}`,
      this.now,
    );
    this.merged.push({ from, into });
    this.cache.clear();
  }
}

/**
 * Folds asset `from` into `into`: identifiers, findings (unless `into` already has the
 * same finding) and scan coverage move; `from` is marked merged and the merge recorded
 * with the identifiers it had, so it can be split again. Returns the merge id.
 */
export function foldAsset(db: Db, from: number, into: number, reason: string, now: string): number {
  const moved = db
    .prepare('SELECT kind, value FROM asset_identifiers WHERE asset_id = ?')
    .all(from);
  db.prepare('UPDATE asset_identifiers SET asset_id = ? WHERE asset_id = ?').run(into, from);
  const findings = db.prepare('SELECT id, identity FROM findings WHERE asset_id = ?').all(from) as {
    id: number;
    identity: string;
  }[];
  const clash = db.prepare('SELECT id FROM findings WHERE identity = ?').pluck();
  const move = db.prepare('UPDATE findings SET asset_id = ?, identity = ? WHERE id = ?');
  for (const f of findings) {
    const identity = f.identity.replace(/^\d+\|/, `${into}|`);
    if (clash.get(identity) === undefined) move.run(into, identity, f.id);
  }
  db.prepare(
    'UPDATE scan_assets SET asset_id = ? WHERE asset_id = ? AND scan_id NOT IN (SELECT scan_id FROM scan_assets WHERE asset_id = ?)',
  ).run(into, from, into);
  db.prepare('UPDATE assets SET merged_into = ?, updated_at = ? WHERE id = ?').run(into, now, from);
  return Number(
    db
      .prepare(
        'INSERT INTO asset_merges(from_asset_id, into_asset_id, reason, identifiers, merged_at) VALUES (?, ?, ?, ?, ?)',
      )
      .run(from, into, reason, JSON.stringify(moved), now).lastInsertRowid,
  );
}
