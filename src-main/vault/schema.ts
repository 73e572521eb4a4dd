/**
 * The vault's tables as kysely sees them (one `Database` interface). Generated columns
 * are optional on insert; JSON columns are stored as TEXT and parsed at the edges.
 */
import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';

/** `viewer` reads everything and changes nothing (write-session.ts says what it may write). */
export type Role = 'admin' | 'approver' | 'analyst' | 'viewer';

export interface SettingsTable {
  key: string;
  value: string;
  updated_at: string;
}

export interface OperatorsTable {
  id: string;
  name: string;
  role: Role;
  totp_secret: string | null;
  totp_enabled: ColumnType<number, number | undefined, number>;
  created_at: string;
  removed_at: string | null;
}

export interface AuditTable {
  seq: Generated<number>;
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

export interface BackupsTable {
  id: Generated<number>;
  path: string;
  reason: 'manual' | 'scheduled' | 'pre-migration' | 'pre-rekey';
  size: number;
  created_at: string;
  created_by: string | null;
  deleted_at: string | null;
}

export interface Database {
  settings: SettingsTable;
  operators: OperatorsTable;
  audit: AuditTable;
  backups: BackupsTable;
}

export type OperatorRow = Selectable<OperatorsTable>;
export type AuditRow = Selectable<AuditTable>;
export type NewAuditRow = Insertable<AuditTable>;
