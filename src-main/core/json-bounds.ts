/**
 * Limits a JSON report must stay within before any parser builds values from it: how deep
 * containers nest and how long one string is. Real reports nest about a dozen levels and
 * their longest strings are kilobytes; a hostile file ("[" repeated millions of times, one
 * gigabyte-long string) would otherwise make JSON.parse or the stream assembler hold
 * gigabytes. Text is scanned in chunks as it arrives (string contents are jumped over with
 * indexOf), so the check streams like the parser it guards.
 */
export const MAX_JSON_DEPTH = 1000;
export const MAX_JSON_STRING_CHARS = 32 * 1024 * 1024;

export interface BoundViolation {
  reason: string;
  /** Characters from the start of the document to where the limit was crossed. */
  at: number;
}

export class JsonBounds {
  private depth = 0;
  private inString = false;
  /** The string's previous chunk ended on a backslash: the next character is escaped. */
  private escaped = false;
  private stringLength = 0;
  private offset = 0;

  constructor(
    private readonly maxDepth = MAX_JSON_DEPTH,
    private readonly maxString = MAX_JSON_STRING_CHARS,
  ) {}

  /** Scans the next chunk of text; the first limit crossed, or null. */
  scan(text: string): BoundViolation | null {
    const base = this.offset;
    this.offset += text.length;
    let i = 0;
    while (i < text.length) {
      if (this.inString) {
        const start = i;
        i = this.skipString(text, i);
        // Content only: the closing quote (when this chunk holds it) is not part of it.
        const contentEnd = this.inString ? i : i - 1;
        this.stringLength += contentEnd - start;
        if (this.stringLength > this.maxString)
          return {
            reason: `a string longer than ${this.maxString.toLocaleString('en-US')} characters`,
            at: base + contentEnd - (this.stringLength - this.maxString),
          };
        continue;
      }
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        this.inString = true;
        this.stringLength = 0;
      } else if (c === 0x5b || c === 0x7b) {
        if (++this.depth > this.maxDepth)
          return { reason: `values nested deeper than ${this.maxDepth} levels`, at: base + i };
      } else if (c === 0x5d || c === 0x7d) this.depth--;
      i++;
    }
    return null;
  }

  /** Moves past string contents from `i`: to just after the closing quote, or to the end. */
  private skipString(text: string, i: number): number {
    let at = i;
    if (this.escaped) {
      this.escaped = false;
      at++;
    }
    for (;;) {
      const quote = text.indexOf('"', at);
      const slash = text.indexOf('\\', at);
      if (slash >= 0 && (quote < 0 || slash < quote)) {
        if (slash + 1 >= text.length) {
          this.escaped = true;
          return text.length;
        }
        at = slash + 2;
        continue;
      }
      if (quote < 0) return text.length;
      this.inString = false;
      return quote + 1;
    }
  }
}
