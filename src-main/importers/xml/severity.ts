/**
 * Severity maps of the XML formats. Each keeps the scanner's own scale; the tables are
 * repeated in docs/importers-xml.md.
 */
import type { Severity } from '../types';

/** CVSS qualitative bands (v3: 0 none, 0.1-3.9 low, 4-6.9 medium, 7-8.9 high, 9-10 critical). */
export function severityFromCvss(score: number): Severity {
  if (score >= 9) return 'critical';
  if (score >= 7) return 'high';
  if (score >= 4) return 'medium';
  if (score > 0) return 'low';
  return 'info';
}

const NESSUS_LEVELS: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Nessus ReportItem@severity 0-4; undefined when absent or out of range. */
export function nessusSeverity(raw: string | undefined): Severity | undefined {
  if (raw === undefined || !/^\s*[0-4]\s*$/.test(raw)) return undefined;
  return NESSUS_LEVELS[Number(raw)];
}

/** Words scanners use for their levels: Nessus risk_factor, WAS risk_factor, OpenVAS threat. */
export function severityFromWord(raw: string | undefined): Severity | undefined {
  switch (raw?.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
      return 'medium';
    case 'low':
      return 'low';
    case 'none':
    case 'info':
    case 'informational':
    case 'log':
    case 'debug':
      return 'info';
    default:
      return undefined;
  }
}

const QUALYS_LEVELS: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/**
 * Qualys severity 1-5 (Minimal, Medium, Serious, Critical, Urgent) for confirmed and
 * potential vulnerabilities; information-gathered QIDs are always info.
 */
export function qualysSeverity(raw: string | undefined, informationGathered: boolean): Severity {
  if (informationGathered) return 'info';
  const level = raw !== undefined && /^\s*[1-5]\s*$/.test(raw) ? Number(raw) : 1;
  return QUALYS_LEVELS[level - 1] ?? 'info';
}

/**
 * Nexpose severity 1-10. Nexpose derives it from the CVSS base score (its bands: Moderate
 * 1-3, Severe 4-7, Critical 8-10), so the CVSS bands apply to it unchanged.
 */
export function nexposeSeverity(raw: string | undefined): Severity {
  const level = raw !== undefined && /^\s*\d{1,2}\s*$/.test(raw) ? Number(raw) : 0;
  return level > 10 ? 'critical' : severityFromCvss(level);
}
