/**
 * Severity words of the application formats. Most speak the same five-level language
 * (npm's "moderate" is medium; "none", "negligible" and "informational" carry no risk of
 * their own). The tables are repeated in docs/importers-app.md.
 */
import type { SeverityTable } from '../common/severity';

export const APP_SEVERITY: SeverityTable = {
  critical: 'critical',
  high: 'high',
  important: 'high',
  medium: 'medium',
  moderate: 'medium',
  low: 'low',
  info: 'info',
  informational: 'info',
  none: 'info',
  negligible: 'info',
};
