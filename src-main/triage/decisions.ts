/**
 * Risk decisions on findings, in bulk: accept risk (approver or admin, reason and
 * expiry required), false positive (reason), reopen, assign an owner, tag/untag. Each
 * call is one transaction with one audit entry naming every finding it changed; accept,
 * false positive and reopen also leave a row per finding in risk_decisions (the
 * finding's history). Expired acceptances are reopened by `reopenExpired`.
 */
import type { z } from 'zod';
import type { decideInput } from '../../src-preload/triage-schemas';
import { VzError } from '../core/errors';
import { appendAudit } from '../vault/audit';
import type { WriteProgress, WriteSession } from '../vault/write-session';
import type { Db } from '../vault/sqlcipher';

export type DecideInput = z.infer<typeof decideInput>;

/**
 * One finding a decision changed: its status (accept, false positive, reopen), owner
 * (assign) or tag (tag: null → tag, untag: tag → null) before and after.
 */
export interface DecisionChange {
  id: number;
  before: string | null;
  after: string | null;
}

/** Longest acceptance an operator can give; longer needs a new decision later. */
export const MAX_ACCEPT_DAYS = 366 * 2;

/** Which statuses each status-changing action applies to (others are skipped). */
const APPLIES_TO: Record<'accept' | 'false_positive' | 'reopen', readonly string[]> = {
  accept: ['open', 'not_seen', 'accepted'],
  false_positive: ['open', 'not_seen', 'accepted'],
  reopen: ['accepted', 'false_positive', 'fixed', 'fixed_verified', 'not_seen'],
};

function validate(session: WriteSession, input: DecideInput, now: Date): string | null {
  if (input.action === 'accept') {
    session.requireRole('admin', 'approver');
    if (!input.reason) throw new VzError('DECISION_INVALID', 'Accepting a risk needs a reason.');
    if (!input.expiresOn)
      throw new VzError('DECISION_INVALID', 'Accepting a risk needs an expiry date.');
    const expires = Date.parse(`${input.expiresOn}T23:59:59.999Z`);
    if (Number.isNaN(expires))
      throw new VzError('DECISION_INVALID', `${input.expiresOn} is not a date.`);
    if (expires <= now.getTime())
      throw new VzError('DECISION_INVALID', 'The expiry date must be in the future.');
    if (expires - now.getTime() > MAX_ACCEPT_DAYS * 86_400_000)
      throw new VzError(
        'DECISION_INVALID',
        `An acceptance can last at most ${MAX_ACCEPT_DAYS} days; decide again when it expires.`,
      );
    return new Date(expires).toISOString();
  }
  session.requireRole('admin', 'approver', 'analyst');
  if (input.action === 'false_positive' && !input.reason)
    throw new VzError('DECISION_INVALID', 'Marking a false positive needs a reason.');
  if (input.action === 'assign' && input.owner === undefined)
    throw new VzError('DECISION_INVALID', 'Assigning needs an owner (empty to clear).');
  if ((input.action === 'tag' || input.action === 'untag') && !input.tag)
    throw new VzError('DECISION_INVALID', 'Tagging needs a tag.');
  return null;
}

export function decide(
  session: WriteSession,
  input: DecideInput,
  now = new Date(),
  progress?: WriteProgress,
): { updated: number; skipped: number; changedIds: number[]; changes: DecisionChange[] } {
  const expiresAt = validate(session, input, now);
  const ids = [...new Set(input.ids)];
  const nowIso = now.toISOString();
  const who = session.operator.name;
  return session.transact(
    (db) => {
      const current = new Map(
        (
          db
            .prepare(
              `SELECT id, status, owner FROM findings WHERE id IN (SELECT value FROM json_each(?))`,
            )
            .all(JSON.stringify(ids)) as { id: number; status: string; owner: string | null }[]
        ).map((r) => [r.id, r]),
      );
      const missing = ids.filter((id) => !current.has(id));
      if (missing.length)
        throw new VzError('NOT_FOUND', `No finding with id ${missing.slice(0, 5).join(', ')}.`);
      const changes: DecisionChange[] = [];
      progress?.('decide', 0, ids.length);
      switch (input.action) {
        case 'accept':
        case 'false_positive':
        case 'reopen': {
          const status =
            input.action === 'accept'
              ? 'accepted'
              : input.action === 'false_positive'
                ? 'false_positive'
                : 'open';
          const kind =
            input.action === 'accept'
              ? 'accepted'
              : input.action === 'false_positive'
                ? 'false_positive'
                : 'reopened';
          const reason = input.reason ?? 'reopened by the operator';
          const revoke = db.prepare(
            'UPDATE risk_decisions SET revoked_at = ? WHERE finding_id = ? AND revoked_at IS NULL',
          );
          const record = db.prepare(
            'INSERT INTO risk_decisions(finding_id, kind, reason, expires_at, decided_by, decided_at) VALUES (?, ?, ?, ?, ?, ?)',
          );
          const update = db.prepare(
            'UPDATE findings SET status = ?, status_reason = ?, status_changed_at = ? WHERE id = ?',
          );
          for (const id of ids) {
            if (!APPLIES_TO[input.action].includes(current.get(id)?.status ?? '')) continue;
            revoke.run(nowIso, id);
            record.run(id, kind, reason, expiresAt, who, nowIso);
            update.run(status, reason, nowIso, id);
            changes.push({ id, before: current.get(id)?.status ?? null, after: status });
          }
          break;
        }
        case 'assign': {
          const owner = input.owner ? input.owner : null;
          const update = db.prepare('UPDATE findings SET owner = ? WHERE id = ?');
          for (const id of ids) {
            if (current.get(id)?.owner === owner) continue;
            update.run(owner, id);
            changes.push({ id, before: current.get(id)?.owner ?? null, after: owner });
          }
          break;
        }
        case 'tag':
        case 'untag': {
          const stmt = db.prepare(
            input.action === 'tag'
              ? 'INSERT OR IGNORE INTO finding_tags(tag, finding_id) VALUES (?, ?)'
              : 'DELETE FROM finding_tags WHERE tag = ? AND finding_id = ?',
          );
          for (const id of ids)
            if (stmt.run(input.tag, id).changes)
              changes.push({
                id,
                before: input.action === 'tag' ? null : (input.tag ?? null),
                after: input.action === 'tag' ? (input.tag ?? null) : null,
              });
          break;
        }
      }
      progress?.('decide', ids.length, ids.length);
      return {
        updated: changes.length,
        skipped: ids.length - changes.length,
        changedIds: changes.map((c) => c.id),
        changes,
      };
    },
    (result) => ({
      action: `findings.${input.action}`,
      objectType: 'finding',
      objectId: result.changedIds.length === 1 ? result.changedIds[0] : null,
      summary: {
        after: {
          findings: result.changedIds,
          ...(input.reason ? { reason: input.reason } : {}),
          ...(expiresAt ? { expiresAt } : {}),
          ...(input.action === 'assign' ? { owner: input.owner || null } : {}),
          ...(input.tag ? { tag: input.tag } : {}),
          skipped: result.skipped,
        },
      },
    }),
  );
}

/**
 * Reopens findings whose risk acceptance has expired, recording a system decision
 * ("acceptance expired") and an audit entry; returns how many. Runs at unlock and
 * every hour while unlocked (vault/manager.ts).
 */
export function reopenExpired(
  db: Db,
  actor: { id: string | null; name: string },
  now = new Date(),
): number {
  const nowIso = now.toISOString();
  const expired = db
    .prepare(
      `SELECT d.id AS decision_id, d.finding_id, d.expires_at FROM risk_decisions d
       JOIN findings f ON f.id = d.finding_id
       WHERE d.kind = 'accepted' AND d.revoked_at IS NULL AND d.expires_at < ? AND f.status = 'accepted'`,
    )
    .all(nowIso) as { decision_id: number; finding_id: number; expires_at: string }[];
  if (!expired.length) return 0;
  db.transaction(() => {
    const revoke = db.prepare('UPDATE risk_decisions SET revoked_at = ? WHERE id = ?');
    const record = db.prepare(
      `INSERT INTO risk_decisions(finding_id, kind, reason, decided_by, decided_at) VALUES (?, 'reopened', ?, 'system', ?)`,
    );
    const reopen = db.prepare(
      `UPDATE findings SET status = 'open', status_reason = ?, status_changed_at = ? WHERE id = ?`,
    );
    for (const e of expired) {
      const reason = `risk acceptance expired on ${e.expires_at.slice(0, 10)}`;
      revoke.run(nowIso, e.decision_id);
      record.run(e.finding_id, reason, nowIso);
      reopen.run(reason, nowIso, e.finding_id);
    }
    appendAudit(
      db,
      actor,
      {
        action: 'findings.acceptance_expired',
        objectType: 'finding',
        objectId: expired.length === 1 ? (expired[0]?.finding_id ?? null) : null,
        summary: {
          after: { findings: expired.map((e) => e.finding_id), reopened: expired.length },
        },
      },
      now,
    );
  })();
  return expired.length;
}
