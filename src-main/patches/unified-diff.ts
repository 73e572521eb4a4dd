/**
 * Unified diffs of one file, as `git apply` and `patch -p1` read them: `--- a/F`,
 * `+++ b/F`, hunks with three lines of context, and "\ No newline at end of file" where
 * the last line has no newline. `makeUnifiedDiff` writes one for line-for-line edits
 * (what manifest bumps are); `applyUnifiedDiff` applies any single-file diff strictly
 * (every context and removed line must match), which is how a stored patch is checked.
 */

const CONTEXT = 3;
const NO_NEWLINE = '\\ No newline at end of file';

/** Lines of a text and whether it ends with a newline. */
function splitLines(text: string): { lines: string[]; finalNewline: boolean } {
  const finalNewline = text.endsWith('\n');
  const lines = text.split('\n');
  if (finalNewline) lines.pop();
  return { lines, finalNewline };
}

export class DiffError extends Error {}

/** A diff between two texts with the same number of lines (edits inside lines only). */
export function makeUnifiedDiff(path: string, before: string, after: string): string {
  const a = splitLines(before);
  const b = splitLines(after);
  if (a.lines.length !== b.lines.length || a.finalNewline !== b.finalNewline)
    throw new DiffError('makeUnifiedDiff handles edits inside lines only');
  const changed = a.lines.flatMap((line, i) => (line === b.lines[i] ? [] : [i]));
  if (!changed.length) return '';
  const out = [`--- a/${path}`, `+++ b/${path}`];
  const last = a.lines.length - 1;
  let i = 0;
  while (i < changed.length) {
    const first = changed[i] as number;
    let end = first;
    while (i + 1 < changed.length && (changed[i + 1] as number) - end <= 2 * CONTEXT)
      end = changed[++i] as number;
    i++;
    const from = Math.max(0, first - CONTEXT);
    const to = Math.min(last, end + CONTEXT);
    const count = to - from + 1;
    out.push(`@@ -${from + 1},${count} +${from + 1},${count} @@`);
    const eofMark = (k: number, finalNewline: boolean) =>
      k === last && !finalNewline ? [NO_NEWLINE] : [];
    // Like git: a run of changed lines shows all its old lines, then all its new ones.
    let k = from;
    while (k <= to) {
      if (a.lines[k] === b.lines[k]) {
        out.push(` ${a.lines[k] as string}`, ...eofMark(k, a.finalNewline));
        k++;
        continue;
      }
      let runEnd = k;
      while (runEnd + 1 <= to && a.lines[runEnd + 1] !== b.lines[runEnd + 1]) runEnd++;
      for (let r = k; r <= runEnd; r++)
        out.push(`-${a.lines[r] as string}`, ...eofMark(r, a.finalNewline));
      for (let r = k; r <= runEnd; r++)
        out.push(`+${b.lines[r] as string}`, ...eofMark(r, b.finalNewline));
      k = runEnd + 1;
    }
  }
  return `${out.join('\n')}\n`;
}

export interface ParsedDiff {
  oldPath: string;
  newPath: string;
  hunks: { oldStart: number; oldCount: number; newCount: number; lines: string[] }[];
}

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/;
const stripPrefix = (p: string) => p.replace(/\t.*$/, '').replace(/^[ab]\//, '');

/** Parses a single-file unified diff; any other shape is a DiffError with the line. */
export function parseUnifiedDiff(diff: string): ParsedDiff {
  const lines = diff.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const [minus, plus] = lines;
  if (!minus?.startsWith('--- ') || !plus?.startsWith('+++ '))
    throw new DiffError('line 1: a unified diff starts with "--- a/FILE" and "+++ b/FILE"');
  const parsed: ParsedDiff = {
    oldPath: stripPrefix(minus.slice(4)),
    newPath: stripPrefix(plus.slice(4)),
    hunks: [],
  };
  let n = 2;
  while (n < lines.length) {
    const header = HUNK.exec(lines[n] as string);
    if (!header) throw new DiffError(`line ${n + 1}: expected a hunk header "@@ -L,N +L,N @@"`);
    const hunk = {
      oldStart: Number(header[1]),
      oldCount: header[2] === undefined ? 1 : Number(header[2]),
      newCount: header[4] === undefined ? 1 : Number(header[4]),
      lines: [] as string[],
    };
    n++;
    let olds = 0;
    let news = 0;
    while (
      n < lines.length &&
      (olds < hunk.oldCount || news < hunk.newCount || lines[n] === NO_NEWLINE)
    ) {
      const line = lines[n] as string;
      const mark = line[0];
      if (line === NO_NEWLINE) hunk.lines.push(line);
      else if (mark === ' ' || mark === '-' || mark === '+') {
        hunk.lines.push(line);
        if (mark !== '+') olds++;
        if (mark !== '-') news++;
      } else throw new DiffError(`line ${n + 1}: "${line.slice(0, 40)}" is not a diff line`);
      n++;
    }
    if (olds !== hunk.oldCount || news !== hunk.newCount)
      throw new DiffError(`line ${n}: the hunk's line counts do not match its header`);
    parsed.hunks.push(hunk);
  }
  if (!parsed.hunks.length) throw new DiffError('the diff has no hunk');
  return parsed;
}

/** Applies a diff to `before` exactly as written; a mismatch is a DiffError naming the line. */
export function applyUnifiedDiff(before: string, diff: string): string {
  const parsed = parseUnifiedDiff(diff);
  const a = splitLines(before);
  const out: string[] = [];
  let finalNewline = a.finalNewline;
  let cursor = 0;
  for (const hunk of parsed.hunks) {
    const start = hunk.oldCount === 0 ? hunk.oldStart : hunk.oldStart - 1;
    if (start < cursor)
      throw new DiffError(`hunk at line ${hunk.oldStart} overlaps the previous one`);
    out.push(...a.lines.slice(cursor, start));
    cursor = start;
    let previous = '';
    for (const line of hunk.lines) {
      if (line === NO_NEWLINE) {
        if (previous !== '-') finalNewline = false;
        continue;
      }
      const mark = line[0];
      const body = line.slice(1);
      if (mark !== '+') {
        if (a.lines[cursor] !== body)
          throw new DiffError(`line ${cursor + 1} of the file does not match the patch`);
        cursor++;
      }
      if (mark !== '-') out.push(body);
      if (mark === '+') finalNewline = true;
      previous = mark ?? '';
    }
  }
  out.push(...a.lines.slice(cursor));
  return out.join('\n') + (finalNewline && out.length ? '\n' : '');
}
