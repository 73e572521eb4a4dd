/**
 * Feed imports in the writer thread: plain feed files (marked "unsigned") or a signed
 * bundle, verified against the vault's trusted keys and its last bundle sequence before
 * any data is touched.
 */
import { basename } from 'node:path';
import { openHashedFile, type HashedFile } from '../../core/hashed-file';
import type { JobControls } from '../../core/jobs';
import { appendAudit, type AuditActor } from '../../vault/audit';
import { readSetting, writeSetting } from '../../vault/settings';
import type { Db } from '../../vault/sqlcipher';
import { verifyBundle } from '../bundle';
import { detectFeedKindOfFile } from '../detect';
import type { FeedKind } from '../types';
import { loadFeeds, type FeedLoadResult, type FeedSource } from './load-feed';

export const LAST_SEQUENCE_SETTING = 'feeds.lastBundleSequence';

export interface FeedImportArgs {
  files?: { path: string; kind?: FeedKind }[];
  bundle?: string;
  allowRollback?: boolean;
  actor: AuditActor;
}

export interface FeedImportResult {
  feeds: FeedLoadResult[];
  bundle?: { sequence: number; signer: string; rollback: boolean };
}

function lastSequence(db: Db): number | null {
  return readSetting<number | null>(db, LAST_SEQUENCE_SETTING, null);
}

export async function importFeeds(
  db: Db,
  args: FeedImportArgs,
  controls: JobControls,
): Promise<FeedImportResult> {
  if (args.bundle) {
    const keys = db
      .prepare('SELECT fingerprint, public_key_pem AS publicKeyPem FROM feed_trust_keys')
      .all() as { fingerprint: string; publicKeyPem: string }[];
    const previous = lastSequence(db);
    const verified = await verifyBundle(args.bundle, keys, {
      lastSequence: previous,
      allowRollback: args.allowRollback === true,
      signal: controls.signal,
    });
    const { sequence } = verified.manifest;
    const sources: FeedSource[] = verified.files.map((f) => ({
      kind: f.kind,
      fileName: f.name,
      sha256: () => f.sha256,
      open: () => verified.open(f.name),
      bundle: { sequence, signer: verified.signer },
    }));
    const feeds = await loadFeeds(db, sources, args.actor, controls, (tx) => {
      writeSetting(tx, LAST_SEQUENCE_SETTING, Math.max(sequence, previous ?? 0));
      appendAudit(tx, args.actor, {
        action: verified.rollback ? 'feeds.bundle_rollback_forced' : 'feeds.bundle',
        objectType: 'bundle',
        objectId: basename(args.bundle ?? ''),
        summary: {
          before: { lastSequence: previous },
          after: { sequence, signer: verified.signer, files: verified.files.map((f) => f.name) },
        },
      });
    });
    return { feeds, bundle: { sequence, signer: verified.signer, rollback: verified.rollback } };
  }
  const sources: FeedSource[] = [];
  for (const file of args.files ?? []) {
    const fileName = basename(file.path);
    const kind =
      file.kind ?? (await detectFeedKindOfFile(file.path, { fileName, signal: controls.signal }));
    // Hashed while it is parsed: a 100 MB NVD year file is read once, never held whole.
    let hashed: HashedFile | null = null;
    sources.push({
      kind,
      fileName,
      sha256: () => hashed?.sha256() ?? null,
      open: () => (hashed = openHashedFile(file.path)).stream,
    });
  }
  return { feeds: await loadFeeds(db, sources, args.actor, controls) };
}
