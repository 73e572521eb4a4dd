/**
 * Explaining and undoing asset merges. Each merge records the identifiers the merged
 * asset had and the record that caused it; a split gives those identifiers back to the
 * original asset, which becomes live again. Findings stay where they are until the next
 * scan of the split asset re-attributes new sightings to it (documented limitation).
 */
import { VzError } from '../core/errors';
import { foldAsset } from '../importers/store/asset-identity';
import { refreshPriorities } from '../triage/priorities';
import { forgetAsset, refreshSearchIndex } from '../triage/search-index';
import type { VaultSession } from '../vault/session';
import type { WriteProgress, WriteSession } from '../vault/write-session';

export interface MergeInfo {
  id: number;
  fromAssetId: number;
  intoAssetId: number;
  reason: string;
  identifiers: { kind: string; value: string }[];
  mergedAt: string;
  splitAt: string | null;
}

export function listMerges(session: VaultSession, assetId?: number): MergeInfo[] {
  const rows = session.db
    .prepare(
      `SELECT id, from_asset_id, into_asset_id, reason, identifiers, merged_at, split_at FROM asset_merges
       WHERE ? IS NULL OR from_asset_id = ? OR into_asset_id = ? ORDER BY id`,
    )
    .all(assetId ?? null, assetId ?? null, assetId ?? null) as {
    id: number;
    from_asset_id: number;
    into_asset_id: number;
    reason: string;
    identifiers: string;
    merged_at: string;
    split_at: string | null;
  }[];
  return rows.map((r) => ({
    id: r.id,
    fromAssetId: r.from_asset_id,
    intoAssetId: r.into_asset_id,
    reason: r.reason,
    identifiers: JSON.parse(r.identifiers) as { kind: string; value: string }[],
    mergedAt: r.merged_at,
    splitAt: r.split_at,
  }));
}

export function splitMerge(session: VaultSession, mergeId: number): MergeInfo {
  session.requireRole('admin', 'approver', 'analyst');
  const merge = listMerges(session).find((m) => m.id === mergeId);
  if (!merge) throw new VzError('NOT_FOUND', `No asset merge #${mergeId}.`);
  if (merge.splitAt)
    throw new VzError('ALREADY_SPLIT', `Merge #${mergeId} was already split on ${merge.splitAt}.`);
  const now = new Date().toISOString();
  session.transact(
    (db) => {
      const move = db.prepare(
        'UPDATE asset_identifiers SET asset_id = ? WHERE kind = ? AND value = ? AND asset_id = ?',
      );
      for (const id of merge.identifiers)
        move.run(merge.fromAssetId, id.kind, id.value, merge.intoAssetId);
      db.prepare('UPDATE assets SET merged_into = NULL, updated_at = ? WHERE id = ?').run(
        now,
        merge.fromAssetId,
      );
      db.prepare('UPDATE asset_merges SET split_at = ? WHERE id = ?').run(now, mergeId);
      refreshSearchIndex(db, {
        vulnerabilityIds: [],
        assetIds: [merge.fromAssetId, merge.intoAssetId],
      });
    },
    {
      action: 'assets.split',
      objectType: 'asset',
      objectId: merge.fromAssetId,
      summary: {
        before: { mergedInto: merge.intoAssetId },
        after: { identifiers: merge.identifiers },
      },
    },
  );
  return { ...merge, splitAt: now };
}

/** An operator's merge of two assets they know are the same machine (undo with split). */
export function mergeAssets(
  session: WriteSession,
  fromId: number,
  intoId: number,
  progress?: WriteProgress,
): number {
  session.requireRole('admin', 'approver', 'analyst');
  if (fromId === intoId)
    throw new VzError('INVALID_INPUT', 'An asset cannot be merged into itself.');
  const live = session.db.prepare('SELECT merged_into FROM assets WHERE id = ?').pluck();
  for (const id of [fromId, intoId]) {
    const merged = live.get(id) as number | null | undefined;
    if (merged === undefined) throw new VzError('NOT_FOUND', `No asset #${id}.`);
    if (merged !== null)
      throw new VzError('INVALID_INPUT', `Asset #${id} is already merged into #${merged}.`);
  }
  const now = new Date().toISOString();
  return session.transact(
    (db) => {
      progress?.('move findings', 0, 3);
      const mergeId = foldAsset(db, fromId, intoId, `merged by ${session.operator.name}`, now);
      progress?.('search index', 1, 3);
      forgetAsset(db, fromId);
      refreshSearchIndex(db, { vulnerabilityIds: [], assetIds: [intoId] });
      progress?.('recompute priorities', 2, 3);
      refreshPriorities(db, { assetIds: [intoId] });
      progress?.('recompute priorities', 3, 3);
      return mergeId;
    },
    (mergeId) => ({
      action: 'assets.merge',
      objectType: 'asset',
      objectId: fromId,
      summary: { after: { mergedInto: intoId, mergeId } },
    }),
  );
}
