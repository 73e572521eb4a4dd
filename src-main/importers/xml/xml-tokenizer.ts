/**
 * A streaming, non-validating XML tokenizer for scanner exports: start and end tags with
 * attributes, character data (entities decoded), CDATA, comments, processing
 * instructions and a DOCTYPE (reported, never expanded). It checks what a well-formed
 * document needs (one root, matching and properly nested tags, quoted unique
 * attributes, known entity references, no text outside the root) and reports every
 * problem as an `XmlSyntaxError` at the position it was found.
 *
 * Why not a general SAX parser: scanner files are hundreds of megabytes, and the import
 * was spending most of its parse time in per-character state machines. This tokenizer
 * works on decoded text with `indexOf` to jump between markup, so character data costs
 * a native search instead of a JavaScript loop (docs/importers.md, "Import speed").
 */

/** Element nesting the tokenizer accepts (real exports stay under 30). */
export const MAX_XML_DEPTH = 1000;

export type XmlAttributes = Record<string, string>;

export interface XmlTokenSink {
  /** Character data (entities decoded); one text node may arrive in several calls. */
  text(text: string): void;
  open(name: string, attrs: XmlAttributes): void;
  /** `attrs` are the start tag's attributes. */
  close(name: string, attrs: XmlAttributes): void;
  /** The DOCTYPE declaration's body, between `<!DOCTYPE` and its closing `>`. */
  doctype(body: string): void;
}

export class XmlSyntaxError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly column: number,
    /** The input ended before the document did. */
    readonly truncated = false,
  ) {
    super(message);
  }
}

/**
 * Markup (a tag, comment, PI or DOCTYPE) longer than this is refused: without the bound
 * a file with one unterminated tag would be read into memory whole.
 */
export const MAX_MARKUP_CHARS = 8 * 1024 * 1024;

const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const DQUOTE = 0x22;
const SQUOTE = 0x27;

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

function isNameStart(c: number): boolean {
  return (
    (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || c === 0x5f || c === 0x3a || c >= 0xc0
  );
}

function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2e || c === 0xb7;
}

export class XmlTokenizer {
  /** Unconsumed input: markup or text not yet complete. */
  private buf = '';
  private pos = 0;
  /** Newlines in the input before `buf`, and where the last of them was (for columns). */
  private linesBefore = 0;
  private charsBefore = 0;
  private lastNewlineBefore = -1;
  private readonly names: string[] = [];
  private readonly attrStack: XmlAttributes[] = [];
  private rootSeen = false;
  private rootClosed = false;
  /** Inside a CDATA section that continues in the next chunk. */
  private inCdata = false;

  constructor(private readonly sink: XmlTokenSink) {}

  /** Element depth (1 inside the root). */
  get depth(): number {
    return this.names.length;
  }

  get sawRoot(): boolean {
    return this.rootSeen;
  }

  /** Line (from 1) and column (from 1) of the current position. */
  position(): { line: number; column: number } {
    return this.positionAt(this.pos);
  }

  write(chunk: string): void {
    if (this.pos > 0) this.discardConsumed();
    // A byte order mark is not part of the document.
    const text = this.charsBefore === 0 && this.buf === '' ? chunk.replace(/^\uFEFF/, '') : chunk;
    this.buf = this.buf.length ? this.buf + text : text;
    this.run(false);
  }

  /** The end of the input: anything left open is an error. */
  end(): void {
    try {
      this.run(true);
    } catch (error) {
      // Cut inside markup: what an operator needs is which element was left open.
      if (error instanceof XmlSyntaxError && error.truncated && this.names.length)
        this.fail(`unclosed tag: ${this.innermost()}`, true);
      throw error;
    }
    if (this.inCdata) this.fail('unterminated CDATA section', true);
    if (!this.rootSeen) this.fail('no root element: the document is empty or not XML');
    if (this.names.length) this.fail(`unclosed tag: ${this.innermost()}`, true);
  }

  private innermost(): string {
    return this.names[this.names.length - 1] ?? '';
  }

  private run(atEnd: boolean): void {
    const buf = this.buf;
    for (;;) {
      if (this.inCdata && !this.continueCdata(atEnd)) return;
      const lt = buf.indexOf('<', this.pos);
      if (lt === -1) {
        this.textUpTo(this.safeTextEnd(buf.length, atEnd));
        return;
      }
      if (lt > this.pos) this.textUpTo(lt);
      if (!this.markup(lt, atEnd)) return;
    }
  }

  /** Where pending text may be cut without splitting an entity reference. */
  private safeTextEnd(end: number, atEnd: boolean): number {
    if (atEnd) return end;
    const amp = this.buf.lastIndexOf('&', end - 1);
    if (amp >= this.pos && amp > end - 12 && this.buf.indexOf(';', amp) === -1) return amp;
    return end;
  }

  private textUpTo(end: number): void {
    if (end <= this.pos) return;
    const raw = this.buf.slice(this.pos, end);
    if (this.names.length === 0) {
      if (raw.trim() !== '')
        this.fail(this.rootSeen ? 'text after the root element' : 'text before the root element');
    } else {
      this.sink.text(raw.indexOf('&') === -1 ? raw : this.decodeEntities(raw, this.pos));
    }
    this.pos = end;
  }

  /** Consumes the markup at `lt`; false when it is not complete yet. */
  private markup(lt: number, atEnd: boolean): boolean {
    const buf = this.buf;
    if (lt + 1 >= buf.length) return this.needMore(lt, atEnd);
    const next = buf.charCodeAt(lt + 1);
    if (next === SLASH) return this.endTag(lt, atEnd);
    if (next === BANG) return this.bang(lt, atEnd);
    if (next === QUESTION) return this.skipUntil(lt, '?>', atEnd, 'processing instruction');
    return this.startTag(lt, atEnd);
  }

  private needMore(from: number, atEnd: boolean): boolean {
    this.pos = from;
    if (atEnd) this.fail('the file ends inside markup', true);
    if (this.buf.length - from > MAX_MARKUP_CHARS)
      this.fail(`markup longer than ${MAX_MARKUP_CHARS} characters`);
    return false;
  }

  private endTag(lt: number, atEnd: boolean): boolean {
    const gt = this.buf.indexOf('>', lt + 2);
    if (gt === -1) return this.needMore(lt, atEnd);
    this.pos = lt;
    let end = gt;
    while (end > lt + 2 && isSpace(this.buf.charCodeAt(end - 1))) end -= 1;
    const name = this.buf.slice(lt + 2, end);
    const open = this.names[this.names.length - 1];
    if (open === undefined) this.fail(`unexpected end tag </${name}>`);
    if (name !== open) this.fail(`end tag </${name}> does not match <${open}>`);
    this.names.pop();
    const attrs = this.attrStack.pop() ?? {};
    this.pos = gt + 1;
    if (this.names.length === 0) this.rootClosed = true;
    this.sink.close(name, attrs);
    return true;
  }

  private bang(lt: number, atEnd: boolean): boolean {
    const buf = this.buf;
    // The shortest declaration this can be ("<!---->") may still be arriving.
    if (buf.length - lt < 9 && !atEnd) return this.needMore(lt, atEnd);
    if (buf.startsWith('<!--', lt)) return this.skipUntil(lt, '-->', atEnd, 'comment');
    if (buf.startsWith('<![CDATA[', lt)) {
      if (this.names.length === 0) {
        this.pos = lt;
        this.fail('CDATA section outside the root element');
      }
      this.pos = lt + 9;
      this.inCdata = true;
      return this.continueCdata(atEnd);
    }
    if (buf.startsWith('<!DOCTYPE', lt)) return this.doctype(lt, atEnd);
    this.pos = lt;
    return this.fail('unknown markup declaration');
  }

  /** Streams CDATA text; false when the section continues past this chunk. */
  private continueCdata(atEnd: boolean): boolean {
    const close = this.buf.indexOf(']]>', this.pos);
    if (close === -1) {
      // Keep two characters back: "]]" may be the start of the terminator.
      const end = atEnd ? this.buf.length : Math.max(this.pos, this.buf.length - 2);
      if (end > this.pos) this.sink.text(this.buf.slice(this.pos, end));
      this.pos = end;
      if (atEnd) this.fail('unterminated CDATA section', true);
      return false;
    }
    if (close > this.pos) this.sink.text(this.buf.slice(this.pos, close));
    this.pos = close + 3;
    this.inCdata = false;
    return true;
  }

  private skipUntil(lt: number, terminator: string, atEnd: boolean, what: string): boolean {
    const end = this.buf.indexOf(terminator, lt + 2);
    if (end === -1) {
      this.pos = lt;
      if (atEnd) this.fail(`unterminated ${what}`, true);
      return this.needMore(lt, atEnd);
    }
    this.pos = end + terminator.length;
    return true;
  }

  private doctype(lt: number, atEnd: boolean): boolean {
    const buf = this.buf;
    const bracket = buf.indexOf('[', lt);
    let gt = buf.indexOf('>', lt);
    // An internal subset can hold '>' (entity declarations): its end is "]" then ">".
    if (bracket !== -1 && (gt === -1 || bracket < gt)) {
      const close = buf.indexOf(']', bracket);
      gt = close === -1 ? -1 : buf.indexOf('>', close);
    }
    if (gt === -1) return this.needMore(lt, atEnd);
    this.pos = lt;
    if (this.rootSeen) this.fail('DOCTYPE after the root element');
    this.sink.doctype(buf.slice(lt + 9, gt));
    this.pos = gt + 1;
    return true;
  }

  private startTag(lt: number, atEnd: boolean): boolean {
    const buf = this.buf;
    const len = buf.length;
    let i = lt + 1;
    if (!isNameStart(buf.charCodeAt(i))) {
      this.pos = lt;
      this.fail('invalid character after "<"');
    }
    while (i < len && isNameChar(buf.charCodeAt(i))) i += 1;
    if (i >= len) return this.needMore(lt, atEnd);
    const name = buf.slice(lt + 1, i);
    const attrs: XmlAttributes = {};
    for (;;) {
      const spaced = i;
      while (i < len && isSpace(buf.charCodeAt(i))) i += 1;
      if (i >= len) return this.needMore(lt, atEnd);
      const c = buf.charCodeAt(i);
      if (c === GT) {
        this.openElement(lt, name, attrs, i + 1, false);
        return true;
      }
      if (c === SLASH) {
        if (i + 1 >= len) return this.needMore(lt, atEnd);
        if (buf.charCodeAt(i + 1) !== GT) this.failAt(i, 'expected ">" after "/"');
        this.openElement(lt, name, attrs, i + 2, true);
        return true;
      }
      if (spaced === i) this.failAt(i, `expected whitespace before an attribute in <${name}>`);
      if (!isNameStart(c)) this.failAt(i, `invalid attribute name in <${name}>`);
      const nameStart = i;
      while (i < len && isNameChar(buf.charCodeAt(i))) i += 1;
      if (i >= len) return this.needMore(lt, atEnd);
      const attrName = buf.slice(nameStart, i);
      while (i < len && isSpace(buf.charCodeAt(i))) i += 1;
      if (i >= len) return this.needMore(lt, atEnd);
      if (buf.charCodeAt(i) !== EQUALS) this.failAt(i, `attribute ${attrName} has no value`);
      i += 1;
      while (i < len && isSpace(buf.charCodeAt(i))) i += 1;
      if (i >= len) return this.needMore(lt, atEnd);
      const quote = buf.charCodeAt(i);
      if (quote !== DQUOTE && quote !== SQUOTE)
        this.failAt(i, `attribute ${attrName} value is not quoted`);
      const close = buf.indexOf(quote === DQUOTE ? '"' : "'", i + 1);
      if (close === -1) return this.needMore(lt, atEnd);
      const raw = buf.slice(i + 1, close);
      if (raw.indexOf('<') !== -1) this.failAt(i, `"<" in the value of attribute ${attrName}`);
      if (Object.hasOwn(attrs, attrName)) this.failAt(nameStart, `duplicate attribute ${attrName}`);
      attrs[attrName] = this.attributeValue(raw, i + 1);
      i = close + 1;
    }
  }

  private openElement(
    lt: number,
    name: string,
    attrs: XmlAttributes,
    after: number,
    selfClosing: boolean,
  ): void {
    this.pos = lt;
    if (this.rootClosed) this.fail(`a second root element <${name}>`);
    this.rootSeen = true;
    // No scanner export nests more than a few dozen levels; a deeper file is hostile and
    // would grow the element stack without bound.
    if (this.names.length >= MAX_XML_DEPTH)
      this.fail(`elements nested deeper than ${MAX_XML_DEPTH} levels`);
    this.pos = after;
    this.names.push(name);
    this.attrStack.push(attrs);
    this.sink.open(name, attrs);
    if (selfClosing) {
      this.names.pop();
      this.attrStack.pop();
      if (this.names.length === 0) this.rootClosed = true;
      this.sink.close(name, attrs);
    }
  }

  /** Attribute-value normalization (XML 1.0 §3.3.3): tabs and line breaks become spaces. */
  private attributeValue(raw: string, at: number): string {
    let value = raw;
    if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, ' ');
    return value.indexOf('&') === -1 ? value : this.decodeEntities(value, at);
  }

  private decodeEntities(text: string, at: number): string {
    let out = '';
    let from = 0;
    for (;;) {
      const amp = text.indexOf('&', from);
      if (amp === -1) return out + text.slice(from);
      out += text.slice(from, amp);
      const semi = text.indexOf(';', amp + 1);
      if (semi === -1 || semi - amp > 12) this.failAt(at + amp, 'unterminated entity reference');
      const ref = text.slice(amp + 1, semi);
      out += this.entity(ref, at + amp);
      from = semi + 1;
    }
  }

  private entity(ref: string, at: number): string {
    const named = PREDEFINED[ref];
    if (named !== undefined) return named;
    if (ref.charCodeAt(0) === 0x23 /* # */) {
      const hex = ref.charCodeAt(1) === 0x78; /* x */
      const digits = ref.slice(hex ? 2 : 1);
      const valid = hex ? /^[0-9a-fA-F]{1,6}$/.test(digits) : /^[0-9]{1,7}$/.test(digits);
      const code = valid ? Number.parseInt(digits, hex ? 16 : 10) : NaN;
      if (valid && code > 0 && code <= 0x10ffff && (code < 0xd800 || code > 0xdfff))
        return String.fromCodePoint(code);
      this.failAt(at, `invalid character reference &${ref};`);
    }
    return this.failAt(at, `undefined entity &${ref};`);
  }

  private fail(message: string, truncated = false): never {
    const { line, column } = this.positionAt(this.pos);
    throw new XmlSyntaxError(message, line, column, truncated);
  }

  private failAt(index: number, message: string): never {
    this.pos = Math.min(index, this.buf.length);
    return this.fail(message);
  }

  private positionAt(index: number): { line: number; column: number } {
    let line = this.linesBefore + 1;
    let lastNewline = this.lastNewlineBefore;
    for (
      let nl = this.buf.indexOf('\n');
      nl !== -1 && nl < index;
      nl = this.buf.indexOf('\n', nl + 1)
    ) {
      line += 1;
      lastNewline = this.charsBefore + nl;
    }
    return { line, column: this.charsBefore + index - lastNewline };
  }

  /** Drops the consumed part of the buffer, keeping the line count. */
  private discardConsumed(): void {
    const consumed = this.buf.slice(0, this.pos);
    for (let nl = consumed.indexOf('\n'); nl !== -1; nl = consumed.indexOf('\n', nl + 1)) {
      this.linesBefore += 1;
      this.lastNewlineBefore = this.charsBefore + nl;
    }
    this.charsBefore += this.pos;
    this.buf = this.buf.slice(this.pos);
    this.pos = 0;
  }
}
