/** The vault's trusted feed-bundle keys and the feed status shown to operators. */
import { VzError } from '../core/errors';
import { readPrioritization } from '../prioritization/config';
import { feedFreshness, type FeedAge } from '../prioritization/sla';
import type { VaultSession } from '../vault/session';
import { keyFingerprint } from './bundle';
import { LAST_SEQUENCE_SETTING } from './store/import-feeds';
import { FEED_KINDS, type FeedKind } from './types';

export interface TrustedKeyInfo {
  fingerprint: string;
  name: string;
  addedAt: string;
  addedBy: string;
}

export function listTrustedKeys(session: VaultSession): TrustedKeyInfo[] {
  return session.db
    .prepare(
      'SELECT fingerprint, name, added_at AS addedAt, added_by AS addedBy FROM feed_trust_keys ORDER BY added_at',
    )
    .all() as TrustedKeyInfo[];
}

export function addTrustedKey(
  session: VaultSession,
  name: string,
  publicKeyPem: string,
): TrustedKeyInfo {
  session.requireRole('admin');
  const fingerprint = keyFingerprint(publicKeyPem);
  if (session.db.prepare('SELECT 1 FROM feed_trust_keys WHERE fingerprint = ?').get(fingerprint)) {
    throw new VzError(
      'FEED_KEY_EXISTS',
      `The key ${fingerprint.slice(0, 16)}… is already trusted.`,
    );
  }
  const info = {
    fingerprint,
    name,
    addedAt: new Date().toISOString(),
    addedBy: session.operator.name,
  };
  session.transact(
    (db) =>
      db
        .prepare(
          'INSERT INTO feed_trust_keys(fingerprint, name, public_key_pem, added_at, added_by) VALUES (?, ?, ?, ?, ?)',
        )
        .run(fingerprint, name, publicKeyPem, info.addedAt, info.addedBy),
    {
      action: 'feeds.trust_add',
      objectType: 'feed_key',
      objectId: fingerprint,
      summary: { after: { name } },
    },
  );
  return info;
}

export function removeTrustedKey(session: VaultSession, fingerprint: string): void {
  session.requireRole('admin');
  const row = session.db
    .prepare(
      'SELECT name FROM feed_trust_keys WHERE fingerprint = ? OR substr(fingerprint, 1, ?) = ?',
    )
    .get(fingerprint, fingerprint.length, fingerprint) as { name: string } | undefined;
  if (!row || fingerprint.length < 16)
    throw new VzError(
      'NOT_FOUND',
      `No trusted key with fingerprint ${fingerprint} (give at least 16 hex digits).`,
    );
  session.transact(
    (db) =>
      db
        .prepare(
          'DELETE FROM feed_trust_keys WHERE fingerprint = ? OR substr(fingerprint, 1, ?) = ?',
        )
        .run(fingerprint, fingerprint.length, fingerprint),
    {
      action: 'feeds.trust_remove',
      objectType: 'feed_key',
      objectId: fingerprint,
      summary: { before: { name: row.name } },
    },
  );
}

export interface FeedStatus {
  kind: FeedKind;
  loaded: boolean;
  version: string | null;
  date: string | null;
  records: number;
  signed: boolean;
  loadedAt: string | null;
  bundleSequence: number | null;
  ageDays: number | null;
  stale: boolean;
  reason: string;
}

/** Every feed kind, loaded or not, with its age: an empty feed is shown, never hidden. */
export function feedStatus(
  session: VaultSession,
  now = new Date(),
): { feeds: FeedStatus[]; lastBundleSequence: number | null } {
  const rows = session.db.prepare('SELECT * FROM feeds').all() as {
    kind: FeedKind;
    version: string | null;
    feed_date: string | null;
    records: number;
    signed: number;
    loaded_at: string;
    bundle_sequence: number | null;
  }[];
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  const ages = new Map<FeedKind, FeedAge>(
    feedFreshness(
      FEED_KINDS.map((kind) => ({
        kind,
        date: byKind.get(kind)?.feed_date ?? byKind.get(kind)?.loaded_at ?? null,
      })),
      now,
      readPrioritization(session.db).maxFeedAgeDays ?? {},
    ).map((a) => [a.kind, a]),
  );
  const last = session.setting<number | null>(LAST_SEQUENCE_SETTING, null);
  return {
    lastBundleSequence: last,
    feeds: FEED_KINDS.map((kind) => {
      const row = byKind.get(kind);
      const age = ages.get(kind) as FeedAge;
      return {
        kind,
        loaded: row !== undefined,
        version: row?.version ?? null,
        date: row?.feed_date ?? null,
        records: row?.records ?? 0,
        signed: row?.signed === 1,
        loadedAt: row?.loaded_at ?? null,
        bundleSequence: row?.bundle_sequence ?? null,
        ageDays: age.ageDays,
        stale: age.stale,
        reason: age.reason,
      };
    }),
  };
}
