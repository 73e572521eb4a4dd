/**
 * The assets screen: live assets with their open findings and risk score (the highest
 * stored risk among open findings, read from the covering index), and one asset's
 * identity for the detail panel.
 */
import type { z } from 'zod';
import type { assetDetail, assetRow } from '../../src-preload/triage-schemas';
import { VzError } from '../core/errors';
import type { Db } from '../vault/sqlcipher';
import { listMerges } from './merges';
import type { VaultSession } from '../vault/session';

export type AssetRow = z.infer<typeof assetRow>;
export type AssetDetail = z.infer<typeof assetDetail>;

const COLUMNS = `a.id, a.display_name AS displayName, a.ip, a.hostname, a.fqdn, a.os, a.criticality, a.exposure,
  (SELECT count(*) FROM findings f WHERE f.asset_id = a.id AND f.status = 'open') AS openFindings,
  coalesce((SELECT max(f.risk_score) FROM findings f WHERE f.asset_id = a.id AND f.status = 'open'), 0) AS riskScore`;

export function listAssets(
  db: Db,
  input: { limit: number; afterId?: number; q?: string },
): AssetRow[] {
  const q = input.q
    ? `AND (lower(a.display_name) LIKE ? ESCAPE '\\' OR a.id IN (SELECT asset_id FROM asset_identifiers WHERE value LIKE ? ESCAPE '\\'))`
    : '';
  const like = input.q ? `%${input.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  return db
    .prepare(
      `SELECT ${COLUMNS} FROM assets a WHERE a.merged_into IS NULL AND a.id > ? ${q} ORDER BY a.id LIMIT ?`,
    )
    .all(input.afterId ?? 0, ...(like ? [like, like] : []), input.limit) as AssetRow[];
}

export function assetDetailOf(session: VaultSession, id: number): AssetDetail {
  const db = session.db;
  const row = db
    .prepare(`SELECT ${COLUMNS}, a.mac, a.image, a.merged_into FROM assets a WHERE a.id = ?`)
    .get(id) as
    | (AssetRow & { mac: string | null; image: string | null; merged_into: number | null })
    | undefined;
  if (!row) throw new VzError('NOT_FOUND', `No asset #${id}.`);
  if (row.merged_into !== null)
    throw new VzError('NOT_FOUND', `Asset #${id} was merged into asset #${row.merged_into}.`);
  const { merged_into: _merged, ...asset } = row;
  return {
    ...asset,
    identifiers: db
      .prepare(
        'SELECT kind, value, first_seen AS firstSeen FROM asset_identifiers WHERE asset_id = ? ORDER BY kind, value',
      )
      .all(id) as AssetDetail['identifiers'],
    merges: listMerges(session, id).map(({ identifiers: _ids, ...m }) => m),
  };
}
