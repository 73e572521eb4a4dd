/**
 * CWE identifiers arrive as "CWE-79", "CWE:79" (Nessus XREF), "CWE #79" (Tenable.sc
 * cross references) or a bare number (Tenable VM definition.cwe). All become "CWE-79".
 * NVD placeholders ("NVD-CWE-Other", "NVD-CWE-noinfo") carry no weakness and are dropped.
 */

const CWE_IN_TEXT = /\bCWE\s*[-:#]?\s*(\d+)\b/gi;

/** Normalizes one CWE value; undefined when it is not a numbered CWE. */
export function normalizeCwe(value: string | number | null | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).trim();
  if (/^\d+$/.test(text)) return `CWE-${Number.parseInt(text, 10)}`;
  const match = /^CWE\s*[-:#]?\s*(\d+)$/i.exec(text);
  return match?.[1] ? `CWE-${Number.parseInt(match[1], 10)}` : undefined;
}

/** Every CWE mentioned in the texts (cross-reference cells), normalized, without duplicates. */
export function extractCwes(...texts: (string | null | undefined)[]): string[] {
  const seen = new Set<string>();
  for (const text of texts) {
    if (!text) continue;
    for (const match of text.matchAll(CWE_IN_TEXT)) {
      if (match[1]) seen.add(`CWE-${Number.parseInt(match[1], 10)}`);
    }
  }
  return [...seen];
}

/** Normalizes a list of CWE values (numbers or strings), dropping the unusable ones. */
export function normalizeCwes(values: Iterable<string | number | null | undefined>): string[] {
  const seen = new Set<string>();
  for (const value of values) {
    const cwe = normalizeCwe(value);
    if (cwe) seen.add(cwe);
  }
  return [...seen];
}
