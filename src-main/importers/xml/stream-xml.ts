/**
 * The shared streaming XML reader of the XML importers: the project's tokenizer
 * (xml-tokenizer.ts) underneath, a small element-event API on top (open / close with
 * attributes and the element's text), and every failure turned into a VzError with the
 * file name and position. No namespace processing: names stay as written.
 */
import { isAscii } from 'node:buffer';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { VzError } from '../../core/errors';
import { malformed, unsafe } from '../errors';
import { MAX_FIELD_CHARS, type ImportRecord, type ParseContext } from '../types';
import { XmlSyntaxError, XmlTokenizer, type XmlAttributes } from './xml-tokenizer';

export type XmlAttrs = Readonly<Record<string, string>>;

/** What a format implements; the reader calls it synchronously, in document order. */
export interface XmlHandler {
  /** A start tag; `depth` is 1 for the root element. */
  open(name: string, attrs: XmlAttrs, depth: number): void;
  /**
   * An end tag with the element's text: its own character data (after its last child),
   * or the text of its whole subtree when `doc.captureSubtree()` was called in `open`.
   */
  close(name: string, text: string, attrs: XmlAttrs, depth: number): void;
  /** After the end of the document: records that needed the whole file (glossary joins). */
  end?(): AsyncIterable<ImportRecord> | Iterable<ImportRecord>;
  /** Always called once, also after errors and early exits (temp files). */
  dispose?(): void;
}

/**
 * Refuse a prolog (XML declaration, comments, DOCTYPE) larger than this before the root
 * element: a DOCTYPE is held in memory until its end, and real exports have a few
 * hundred bytes there.
 */
const MAX_PROLOG_CHARS = 4 * 1024 * 1024;

/** The reader's side the handlers see. */
export class XmlDocument {
  /** Element names from the root to the current element. */
  readonly stack: string[] = [];
  private readonly queue: ImportRecord[] = [];
  private readonly notedKeys = new Set<string>();
  private textBuf = '';
  private textCut = false;
  private captureAt = 0;
  private captureBuf = '';
  private captureCut = false;
  private skipAt = 0;

  constructor(
    readonly fileName: string,
    private readonly where: () => { line: number; column: number },
    private readonly signal: AbortSignal | undefined,
  ) {}

  /**
   * Character data seen since the previous tag. In `open` this is the mixed content that
   * precedes the new child (OpenVAS writes `<host>10.0.0.1<asset/>...</host>`).
   */
  get text(): string {
    return this.textBuf;
  }

  emit(record: ImportRecord): void {
    this.queue.push(record);
  }

  /** A note once per key, so a 100 000-host file does not repeat the same sentence. */
  noteOnce(key: string, message: string): void {
    if (this.notedKeys.has(key)) return;
    this.notedKeys.add(key);
    this.queue.push({ kind: 'note', message });
  }

  /** Cuts a derived field to MAX_FIELD_CHARS, with one note per field name. */
  clip(field: string, value: string): string {
    if (value.length <= MAX_FIELD_CHARS) return value;
    this.noteTruncated(field);
    return value.slice(0, MAX_FIELD_CHARS);
  }

  /** Called from `open`: the element's `close` gets the text of its whole subtree. */
  captureSubtree(): void {
    if (this.captureAt !== 0) return;
    this.captureAt = this.stack.length;
    this.captureBuf = '';
    this.captureCut = false;
  }

  /**
   * Called from `open`: the element and everything inside it are skipped (no events, no
   * text kept), for large sections a format does not use (a Nessus policy's preferences).
   */
  skipSubtree(): void {
    if (this.skipAt === 0) this.skipAt = this.stack.length;
  }

  /** Adds text as if it were character data here (a link's URL kept in an attribute). */
  addText(text: string): void {
    this.onText(text);
  }

  /** Throws IMPORT_MALFORMED at the current position. */
  fail(detail: string): never {
    throw this.malformedHere(detail);
  }

  malformedHere(detail: string): VzError {
    const { line, column } = this.where();
    return malformed(this.fileName, detail, line, column);
  }

  throwIfCancelled(): void {
    if (this.signal?.aborted) throw new VzError('CANCELLED', `${this.fileName}: import cancelled.`);
  }

  /** @internal the driver drains the records queued while a chunk was parsed. */
  takeQueued(): ImportRecord[] {
    return this.queue.splice(0, this.queue.length);
  }

  /** @internal */
  onText(chunk: string): void {
    if (this.skipAt !== 0) return;
    if (!this.textCut) {
      if (this.textBuf.length + chunk.length <= MAX_FIELD_CHARS) this.textBuf += chunk;
      else {
        this.textBuf += chunk.slice(0, MAX_FIELD_CHARS - this.textBuf.length);
        this.textCut = true;
      }
    }
    if (this.captureAt !== 0 && !this.captureCut) {
      if (this.captureBuf.length + chunk.length <= MAX_FIELD_CHARS) this.captureBuf += chunk;
      else {
        this.captureBuf += chunk.slice(0, MAX_FIELD_CHARS - this.captureBuf.length);
        this.captureCut = true;
      }
    }
  }

  /** @internal */
  onOpen(name: string, attrs: XmlAttributes, handler: XmlHandler): void {
    this.stack.push(name);
    if (this.skipAt !== 0) return;
    handler.open(name, attrs, this.stack.length);
    this.textBuf = '';
    this.textCut = false;
  }

  /** @internal */
  onClose(name: string, attrs: XmlAttributes, handler: XmlHandler): void {
    const depth = this.stack.length;
    if (this.skipAt !== 0) {
      if (this.skipAt === depth) this.skipAt = 0;
      this.stack.pop();
      return;
    }
    let text = this.textBuf;
    let cut = this.textCut;
    if (this.captureAt === depth) {
      text = this.captureBuf;
      cut = this.captureCut;
      this.captureAt = 0;
      this.captureBuf = '';
    } else if (this.captureAt !== 0 && !this.captureCut) {
      // Block boundaries inside a captured subtree (paragraphs, list items) become line
      // breaks, so words of adjacent elements do not run together.
      this.captureBuf += '\n';
    }
    if (cut) this.noteTruncated(name);
    handler.close(name, text, attrs, depth);
    this.stack.pop();
    this.textBuf = '';
    this.textCut = false;
  }

  private noteTruncated(field: string): void {
    this.noteOnce(
      `truncated:${field}`,
      `${this.fileName}: <${field}> text longer than ${MAX_FIELD_CHARS} characters was cut to that length.`,
    );
  }
}

const DOCTYPE_ENTITY = /<!ENTITY/i;
const ENCODING_PROBE_BYTES = 256;
const DECLARED_ENCODING = /^\uFEFF?<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;
const SINGLE_BYTE_ENCODINGS = new Set([
  'iso-8859-1',
  'iso8859-1',
  'latin1',
  'latin-1',
  'windows-1252',
  'cp1252',
  'us-ascii',
  'ascii',
]);

/**
 * Streams `input` through the tokenizer and `handler`, yielding the records the handler emits.
 * Memory stays bounded by one chunk, the current element's text and what the handler keeps.
 */
export async function* readXml(
  input: Readable,
  ctx: ParseContext,
  createHandler: (doc: XmlDocument) => XmlHandler,
): AsyncGenerator<ImportRecord> {
  const { fileName, signal } = ctx;
  const doc = new XmlDocument(fileName, () => tokenizer.position(), signal);
  const handler = createHandler(doc);
  const tokenizer = new XmlTokenizer({
    text: (t) => doc.onText(t),
    open: (name, attrs) => doc.onOpen(name, attrs, handler),
    close: (name, attrs) => doc.onClose(name, attrs, handler),
    doctype: (body) => {
      // External DTDs are never read, so an external id (Qualys writes one) is inert;
      // entity declarations are what billion-laughs and XXE need.
      if (DOCTYPE_ENTITY.test(body)) {
        throw unsafe(fileName, 'DOCTYPE with entity declarations is refused.');
      }
    },
  });
  let prologChars = 0;

  let decoder: Decoder | undefined;
  // The XML declaration names the encoding; hold the first bytes until it can be read.
  let head: Buffer | undefined;
  try {
    doc.throwIfCancelled();
    try {
      for await (const chunk of input as AsyncIterable<Buffer | string>) {
        doc.throwIfCancelled();
        let text: string;
        if (typeof chunk === 'string') text = chunk;
        else if (decoder !== undefined) text = decoder.write(chunk);
        else {
          head = head === undefined ? chunk : Buffer.concat([head, chunk]);
          if (head.length < ENCODING_PROBE_BYTES) continue;
          decoder = pickDecoder(head, doc);
          text = decoder.write(head);
          head = undefined;
        }
        if (!tokenizer.sawRoot) {
          prologChars += text.length;
          if (prologChars > MAX_PROLOG_CHARS) {
            throw unsafe(
              fileName,
              'more than 4 MiB before the root element (DOCTYPE?) is refused.',
            );
          }
        }
        tokenizer.write(text);
        yield* drain(doc);
      }
    } catch (e) {
      throw toVzError(e, fileName);
    }
    try {
      if (head !== undefined) {
        decoder = pickDecoder(head, doc);
        tokenizer.write(decoder.write(head));
      }
      const rest = decoder?.end() ?? '';
      if (rest !== '') tokenizer.write(rest);
      tokenizer.end();
    } catch (e) {
      throw toVzError(e, fileName);
    }
    yield* drain(doc);
    const tail = handler.end?.();
    if (tail) {
      for await (const record of tail) {
        doc.throwIfCancelled();
        yield record;
      }
    }
    yield* drain(doc);
  } finally {
    handler.dispose?.();
  }
}

/** The records queued by the handler; the caller may cancel between any two of them. */
function* drain(doc: XmlDocument): Generator<ImportRecord> {
  for (const record of doc.takeQueued()) {
    doc.throwIfCancelled();
    yield record;
  }
}

/** Incremental bytes-to-text, keeping characters split across chunks. */
interface Decoder {
  write(chunk: Buffer): string;
  end(): string;
}

function pickDecoder(first: Buffer, doc: XmlDocument): Decoder {
  const declared = DECLARED_ENCODING.exec(
    first.subarray(0, ENCODING_PROBE_BYTES).toString('latin1'),
  )?.[1];
  const label = declared?.toLowerCase();
  if (label !== undefined && SINGLE_BYTE_ENCODINGS.has(label)) {
    const single = new TextDecoder('windows-1252');
    return {
      write: (chunk) => single.decode(chunk, { stream: true }),
      end: () => single.decode(),
    };
  }
  if (label !== undefined && label !== 'utf-8' && label !== 'utf8') {
    doc.noteOnce(
      'encoding',
      `${doc.fileName}: declared encoding ${declared} is not supported; read as UTF-8.`,
    );
  }
  // StringDecoder is measurably faster than TextDecoder on large UTF-8 files, and most
  // chunks of a scanner export are plain ASCII, which decodes as a copy. Before a plain
  // chunk the decoder is flushed: a character cut short there is invalid either way.
  const utf8 = new StringDecoder('utf8');
  return {
    write: (chunk) => (isAscii(chunk) ? utf8.end() + chunk.toString('latin1') : utf8.write(chunk)),
    end: () => utf8.end(),
  };
}

function toVzError(e: unknown, fileName: string): unknown {
  if (e instanceof VzError) return e;
  if (e instanceof XmlSyntaxError) {
    return malformed(
      fileName,
      e.truncated ? `the file ends too early (truncated?): ${e.message}` : e.message,
      e.line,
      e.column,
    );
  }
  if (isAbortError(e)) return new VzError('CANCELLED', `${fileName}: import cancelled.`);
  if (e instanceof Error && 'code' in e && typeof e.code === 'string') {
    // Read errors of the input stream (EIO, EISDIR...): the file cannot be imported.
    return malformed(fileName, `the file could not be read (${e.code}: ${e.message}).`);
  }
  return e;
}

function isAbortError(e: unknown): boolean {
  return e instanceof Error && e.name === 'AbortError';
}
