/**
 * Last step before a finding leaves an importer: long text is cut to MAX_FIELD_CHARS (with
 * a note), lists are de-duplicated and the result is checked against the public schema,
 * so a mapping bug or hostile input can never emit a finding the rest of the app rejects.
 */
import { normalizedFindingSchema, MAX_FIELD_CHARS, type NormalizedFinding } from '../types';
import type { NoteCollector } from './notes';
import { truncateText, uniqueStrings } from './text';

export type FinalizeResult =
  { ok: true; finding: NormalizedFinding } | { ok: false; problem: string };

/**
 * @param where - location for notes ("line 12", "match 3"), e.g. "line 12 (nessus:19506)".
 */
export function finalizeFinding(
  draft: NormalizedFinding,
  notes: NoteCollector,
  where: string,
): FinalizeResult {
  const cut = (label: string, value: string | undefined): string | undefined => {
    if (value === undefined) return undefined;
    const result = truncateText(value);
    if (result.cut) {
      notes.add(`${where}: ${label} was cut to ${MAX_FIELD_CHARS} characters.`);
    }
    return result.text;
  };
  const vulnerability = {
    ...draft.vulnerability,
    title: cut('title', draft.vulnerability.title) ?? '',
    cves: uniqueStrings(draft.vulnerability.cves),
    cwes: uniqueStrings(draft.vulnerability.cwes),
    references: uniqueStrings(draft.vulnerability.references.map((r) => truncateText(r).text)),
  };
  const candidate: NormalizedFinding = { ...draft, vulnerability };
  const evidence = cut('evidence', draft.evidence);
  if (evidence !== undefined) candidate.evidence = evidence;
  const solution = cut('solution', draft.solution);
  if (solution !== undefined) candidate.solution = solution;
  const description = cut('description', draft.description);
  if (description !== undefined) candidate.description = description;
  const parsed = normalizedFindingSchema.safeParse(candidate);
  if (!parsed.success) {
    const problem = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || 'finding'}: ${issue.message}`)
      .join('; ');
    return { ok: false, problem };
  }
  return { ok: true, finding: parsed.data };
}
