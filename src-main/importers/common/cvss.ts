/**
 * CVSS scores: exports write "7.5", "7,5" (decimal comma locales), "8.1 (AV:N/AC:H/...)"
 * (Qualys: score then vector) or numbers. A score outside 0..10 is a broken export (one
 * Nessus template writes 75 for 7.5); it is rejected rather than guessed, and the caller
 * leaves a note.
 */
import type { Severity } from '../types';

export interface ParsedCvss {
  score?: number;
  /** The vector written in parentheses after the score, when there is one. */
  vector?: string;
  /** The raw value when it was present but unusable (not a number, out of range). */
  rejected?: string;
}

const SCORE_WITH_VECTOR = /^(\d{1,3}(?:[.,]\d+)?)\s*(?:\(([^)]*)\))?$/;
const EMPTY = new Set(['', '-', 'n/a', 'na', 'null', 'none', 'undefined']);

/** Parses a CVSS base score; see the module comment for the accepted forms. */
export function parseCvss(value: unknown): ParsedCvss {
  if (value === null || value === undefined) return {};
  if (typeof value === 'number') return checkRange(value, String(value));
  if (typeof value !== 'string') return { rejected: JSON.stringify(value) };
  const text = value.trim();
  if (EMPTY.has(text.toLowerCase())) return {};
  const match = SCORE_WITH_VECTOR.exec(text);
  if (!match?.[1]) return { rejected: text };
  const parsed = checkRange(Number.parseFloat(match[1].replace(',', '.')), text);
  const vector = match[2]?.trim();
  return vector && parsed.score !== undefined ? { ...parsed, vector } : parsed;
}

function checkRange(score: number, raw: string): ParsedCvss {
  return Number.isFinite(score) && score >= 0 && score <= 10 ? { score } : { rejected: raw };
}

/** Convenience: the score alone, undefined when absent or rejected. */
export function cvssScore(value: unknown): number | undefined {
  return parseCvss(value).score;
}

/** A vector string as written, without the "CVSS2#" prefix some exports add. */
export function cleanCvssVector(value: string | null | undefined): string | undefined {
  const text = value?.trim().replace(/^CVSS2#/i, '');
  return text ? text : undefined;
}

/**
 * The CVSS v3 qualitative rating (FIRST specification, table 14): 0 none (info here),
 * 0.1-3.9 low, 4.0-6.9 medium, 7.0-8.9 high, 9.0-10.0 critical. Used only where a scanner
 * gives no usable severity word of its own.
 */
export function severityFromCvss(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}
