/**
 * The dashboard's figures, computed in the session's reader thread (off the main thread,
 * its page cache warm across calls) and kept until the vault changes. Every change to the vault is audited, so
 * the newest audit sequence number is the cache key; figures that depend on the clock
 * (overdue) are recomputed after five minutes anyway.
 */
import type { VaultSession } from '../vault/session';
import type { DashboardSummary } from './dashboard';

const MAX_AGE_MS = 5 * 60_000;
const cache = new WeakMap<
  VaultSession,
  { seq: number; at: number; summary: Promise<DashboardSummary> }
>();

export function dashboardSummary(session: VaultSession): Promise<DashboardSummary> {
  const seq = session.db.prepare('SELECT coalesce(max(seq), 0) FROM audit').pluck().get() as number;
  const hit = cache.get(session);
  if (hit && hit.seq === seq && Date.now() - hit.at < MAX_AGE_MS) return hit.summary;
  const summary = session.reader().read('dashboard', {});
  cache.set(session, { seq, at: Date.now(), summary });
  summary.catch(() => cache.delete(session));
  return summary;
}
