/**
 * Fixed versions from what dependency reports give: npm ranges (">=1.10.2",
 * ">=0.2.1 <1.0.0 || >=1.2.3", "<2.6.9" for the vulnerable side) and OSV "fixed" events.
 * The finding's `fixedVersion` must be a version a manifest can be bumped to, so a range
 * is turned into one only when the reading is plain; otherwise nothing is invented.
 */

/** Loose version order: numeric runs compare as numbers, other runs as text. */
export function compareLoose(a: string, b: string): number {
  const pa = a.split(/[^0-9A-Za-z]+|(?<=\d)(?=\D)|(?<=\D)(?=\d)/).filter(Boolean);
  const pb = b.split(/[^0-9A-Za-z]+|(?<=\d)(?=\D)|(?<=\D)(?=\d)/).filter(Boolean);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return y !== undefined && /^\d/.test(y) ? -1 : 1;
    if (y === undefined) return /^\d/.test(x) ? 1 : -1;
    const nx = /^\d+$/.test(x) ? Number(x) : undefined;
    const ny = /^\d+$/.test(y) ? Number(y) : undefined;
    if (nx !== undefined && ny !== undefined) {
      if (nx !== ny) return nx < ny ? -1 : 1;
    } else if (nx !== undefined) return 1;
    else if (ny !== undefined) return -1;
    else if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

/**
 * The lowest candidate above `installed` (the version to bump to), else, when the
 * installed version is unknown, the only candidate. Undefined when none fits.
 */
export function pickFixed(
  installed: string | undefined,
  candidates: readonly string[],
): string | undefined {
  const unique = [...new Set(candidates.map((c) => c.trim()).filter((c) => /\d/.test(c)))];
  if (unique.length === 0) return undefined;
  if (installed === undefined || installed.trim() === '') {
    return unique.length === 1 ? unique[0] : undefined;
  }
  const above = unique
    .filter((c) => compareLoose(c, installed) > 0)
    .sort((a, b) => compareLoose(a, b));
  return above[0];
}

const VERSION = String.raw`v?(\d[\w.+~-]*)`;
const LOWER_BOUND = new RegExp(String.raw`>=\s*${VERSION}`, 'g');
const ONLY_UPPER = new RegExp(String.raw`^\s*<\s*${VERSION}\s*$`);

/**
 * From an npm "patched versions" range: the lower bounds of its clauses are the fixed
 * versions (">=0.2.1 <1.0.0 || >=1.2.3" -> 0.2.1 or 1.2.3, whichever fits `installed`).
 * "<0.0.0" (no patch exists) gives nothing.
 */
export function fixedFromPatchedRange(
  range: string | null | undefined,
  installed: string | undefined,
): string | undefined {
  if (!range) return undefined;
  const bounds = [...range.matchAll(LOWER_BOUND)].map((m) => m[1] ?? '');
  return pickFixed(installed, bounds);
}

/** From a vulnerable range that is one plain upper bound ("<2.6.9"): that bound. */
export function fixedFromVulnerableRange(range: string | null | undefined): string | undefined {
  const match = range ? ONLY_UPPER.exec(range) : null;
  return match?.[1];
}
