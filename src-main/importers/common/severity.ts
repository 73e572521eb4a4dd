/**
 * Severity words differ per scanner ("None" in Nessus, "Negligible" in Grype, 1..5 in
 * Qualys). Each importer declares its own explicit table (documented in
 * docs/importers-tabular.md) and looks values up here, case- and space-insensitively.
 */
import { SEVERITIES, type Severity } from '../types';

export type SeverityTable = Readonly<Record<string, Severity>>;

/** Looks `value` up in `table` after lower-casing and trimming; undefined when unknown. */
export function lookupSeverity(
  value: string | number | null | undefined,
  table: SeverityTable,
): Severity | undefined {
  if (value === null || value === undefined) return undefined;
  const key = String(value).trim().toLowerCase().replace(/\s+/g, ' ');
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

const RANK: Readonly<Record<Severity, number>> = {
  critical: 4,
  high: 3,
  medium: 2,
  low: 1,
  info: 0,
};

/** The more severe of two severities (merged rows keep the worst). */
export function maxSeverity(a: Severity, b: Severity): Severity {
  return RANK[a] >= RANK[b] ? a : b;
}

export function isSeverity(value: string): value is Severity {
  return (SEVERITIES as readonly string[]).includes(value);
}
