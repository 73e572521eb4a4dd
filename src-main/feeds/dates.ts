const ISO_LIKE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?$/;

/**
 * NVD and many CVE JSON 5 producers write UTC date-times without a zone designator; those
 * are read as UTC. Returns null for anything that is not a real ISO 8601 date-time.
 */
export function toUtcIso(value: string): string | null {
  if (!ISO_LIKE.test(value)) return null;
  const withZone = /(?:Z|[+-]\d{2}:?\d{2})$/.test(value) ? value : `${value}Z`;
  const ms = Date.parse(withZone.replace(/([+-]\d{2})(\d{2})$/, '$1:$2'));
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}
