/**
 * Audit anchors: the chain proves that no entry was changed, inserted or removed in the
 * middle, but deleting the newest entries leaves a shorter chain that still verifies. An
 * anchor — the sequence number and MAC of the newest entry, written down outside the vault
 * (a logbook, a ticket, the shift report) — closes that gap: a later check finds that entry
 * with that MAC, or says the chain was cut. The MAC is keyed by the vault's audit key, so an
 * anchor reveals nothing and cannot be forged for another chain.
 */
import { VzError } from '../core/errors';
import type { Db } from './sqlcipher';

export interface AuditAnchor {
  seq: number;
  mac: string;
  ts: string;
  /** What to write down: `vz-audit:<seq>:<mac>`. */
  anchor: string;
}

const ANCHOR = /^vz-audit:(\d{1,15}):([0-9a-f]{64})$/;

export function auditAnchor(db: Db): AuditAnchor {
  const head = db.prepare('SELECT seq, mac, ts FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; mac: string; ts: string } | undefined;
  if (!head) throw new VzError('NOT_FOUND', 'The audit trail is empty.');
  return { ...head, anchor: `vz-audit:${head.seq}:${head.mac}` };
}

export interface AnchorVerdict {
  ok: boolean;
  seq: number;
  /** The newest entry now in the chain. */
  head: number;
  reason?: string;
}

/** Whether the chain still holds the anchored entry, with the same MAC. */
export function checkAnchor(db: Db, anchor: string): AnchorVerdict {
  const m = ANCHOR.exec(anchor.trim());
  if (!m)
    throw new VzError(
      'INVALID_INPUT',
      'An audit anchor reads vz-audit:<sequence>:<64 hex digits>, as `vulnzero audit anchor` prints it.',
    );
  const seq = Number(m[1]);
  const head = (db.prepare('SELECT coalesce(max(seq), 0) FROM audit').pluck().get() as number) ?? 0;
  const row = db.prepare('SELECT mac FROM audit WHERE seq = ?').pluck().get(seq) as
    string | undefined;
  if (row === undefined)
    return {
      ok: false,
      seq,
      head,
      reason: `entry ${seq} is gone: the chain now ends at entry ${head}, so its newest entries were deleted`,
    };
  if (row !== m[2])
    return {
      ok: false,
      seq,
      head,
      reason: `entry ${seq} is not the anchored one (its MAC differs)`,
    };
  return { ok: true, seq, head };
}
