/**
 * The tamper-evident audit chain. Each entry's MAC (HMAC-SHA256) covers its own fields
 * and the previous entry's MAC, so changing, deleting or reordering any entry breaks
 * every MAC after it, except cutting the newest entries off, which an anchor kept outside
 * the vault catches (audit-anchor.ts). The MAC key is random, created with the vault and
 * kept inside the encrypted database, so the chain survives data-key rotation.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Db } from './sqlcipher';

export const GENESIS_MAC = '0'.repeat(64);

export interface AuditActor {
  id: string | null;
  name: string;
}

export interface AuditInput {
  action: string;
  objectType: string;
  objectId?: string | number | null;
  /** Before/after summary, never secrets. */
  summary?: Record<string, unknown>;
}

export interface AuditEntry {
  seq: number;
  ts: string;
  operatorId: string | null;
  operatorName: string;
  action: string;
  objectType: string;
  objectId: string | null;
  summary: string;
  prevMac: string;
  mac: string;
}

const AUDIT_KEY_SETTING = 'audit.mac_key';

/** Created once with the vault; never rotated (old entries must stay verifiable). */
export function initAuditKey(db: Db): void {
  db.prepare('INSERT INTO settings(key, value, updated_at) VALUES (?, ?, ?)').run(
    AUDIT_KEY_SETTING,
    randomBytes(32).toString('hex'),
    new Date().toISOString(),
  );
}

function auditKey(db: Db): Buffer {
  const row = db.prepare('SELECT value FROM settings WHERE key = ?').get(AUDIT_KEY_SETTING) as
    { value: string } | undefined;
  if (!row) throw new Error('audit key missing');
  return Buffer.from(row.value, 'hex');
}

function entryMac(key: Buffer, e: Omit<AuditEntry, 'mac'>): string {
  const fields = [
    e.seq,
    e.ts,
    e.operatorId ?? '',
    e.operatorName,
    e.action,
    e.objectType,
    e.objectId ?? '',
    e.summary,
    e.prevMac,
  ];
  return createHmac('sha256', key).update(JSON.stringify(fields)).digest('hex');
}

/** Appends one entry; call inside the transaction that makes the change it records. */
export function appendAudit(
  db: Db,
  actor: AuditActor,
  input: AuditInput,
  now = new Date(),
): AuditEntry {
  const key = auditKey(db);
  const last = db.prepare('SELECT seq, mac FROM audit ORDER BY seq DESC LIMIT 1').get() as
    { seq: number; mac: string } | undefined;
  const entry: Omit<AuditEntry, 'mac'> = {
    seq: (last?.seq ?? 0) + 1,
    ts: now.toISOString(),
    operatorId: actor.id,
    operatorName: actor.name,
    action: input.action,
    objectType: input.objectType,
    objectId:
      input.objectId === undefined || input.objectId === null ? null : String(input.objectId),
    summary: JSON.stringify(input.summary ?? {}),
    prevMac: last?.mac ?? GENESIS_MAC,
  };
  const mac = entryMac(key, entry);
  db.prepare(
    `INSERT INTO audit(seq, ts, operator_id, operator_name, action, object_type, object_id, summary, prev_mac, mac)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    entry.seq,
    entry.ts,
    entry.operatorId,
    entry.operatorName,
    entry.action,
    entry.objectType,
    entry.objectId,
    entry.summary,
    entry.prevMac,
    mac,
  );
  return { ...entry, mac };
}

interface AuditDbRow {
  seq: number;
  ts: string;
  operator_id: string | null;
  operator_name: string;
  action: string;
  object_type: string;
  object_id: string | null;
  summary: string;
  prev_mac: string;
  mac: string;
}

function toEntry(r: AuditDbRow): AuditEntry {
  return {
    seq: r.seq,
    ts: r.ts,
    operatorId: r.operator_id,
    operatorName: r.operator_name,
    action: r.action,
    objectType: r.object_type,
    objectId: r.object_id,
    summary: r.summary,
    prevMac: r.prev_mac,
    mac: r.mac,
  };
}

export function* iterateAudit(db: Db): Generator<AuditEntry> {
  const stmt = db.prepare('SELECT * FROM audit ORDER BY seq');
  for (const row of stmt.iterate() as Iterable<AuditDbRow>) yield toEntry(row);
}

export function listAudit(db: Db, options: { beforeSeq?: number; limit: number }): AuditEntry[] {
  const rows = db
    .prepare('SELECT * FROM audit WHERE seq < ? ORDER BY seq DESC LIMIT ?')
    .all(options.beforeSeq ?? Number.MAX_SAFE_INTEGER, options.limit) as AuditDbRow[];
  return rows.map(toEntry);
}

export interface AuditVerdict {
  ok: boolean;
  entries: number;
  /** Position (seq) of the first entry that does not verify, with the reason. */
  firstBroken?: { seq: number; position: number; reason: string };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Walks the chain from the start and reports the first broken entry. */
export function verifyAudit(db: Db): AuditVerdict {
  const key = auditKey(db);
  let prev = GENESIS_MAC;
  let position = 0;
  let expectedSeq = 1;
  for (const entry of iterateAudit(db)) {
    position += 1;
    if (entry.seq !== expectedSeq) {
      return {
        ok: false,
        entries: position - 1,
        firstBroken: { seq: entry.seq, position, reason: `entry ${expectedSeq} is missing` },
      };
    }
    if (!same(entry.prevMac, prev)) {
      return {
        ok: false,
        entries: position - 1,
        firstBroken: { seq: entry.seq, position, reason: 'does not link to the previous entry' },
      };
    }
    const { mac, ...rest } = entry;
    if (!same(mac, entryMac(key, rest))) {
      return {
        ok: false,
        entries: position - 1,
        firstBroken: {
          seq: entry.seq,
          position,
          reason: 'content was changed after it was written',
        },
      };
    }
    prev = mac;
    expectedSeq += 1;
  }
  return { ok: true, entries: position };
}

const CSV_COLUMNS = [
  'seq',
  'ts',
  'operatorId',
  'operatorName',
  'action',
  'objectType',
  'objectId',
  'summary',
  'prevMac',
  'mac',
] as const;

function csvCell(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  // Leading formula characters are neutralised for spreadsheets (CSV injection).
  const safe = /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** Export lines with the chain values, so the chain can be checked off-machine. */
export function* exportAudit(db: Db, format: 'jsonl' | 'csv'): Generator<string> {
  if (format === 'csv') yield CSV_COLUMNS.join(',') + '\n';
  for (const entry of iterateAudit(db)) {
    yield format === 'jsonl'
      ? JSON.stringify(entry) + '\n'
      : CSV_COLUMNS.map((c) => csvCell(entry[c])).join(',') + '\n';
  }
}
