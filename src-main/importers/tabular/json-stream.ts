/**
 * Streams the interesting arrays of a JSON report (Trivy `Results.*.Vulnerabilities.*`,
 * Grype `matches.*`, ...) one element at a time, together with the small metadata around
 * them (`ArtifactName`, `Metadata`, a Result's `Target`, ...).
 *
 * Two paths give the same events in the same order:
 * - files up to `thresholdBytes` (JSON_STREAM_THRESHOLD_BYTES unless overridden) are read
 *   whole and parsed with JSON.parse, which is fastest for the usual small report;
 * - larger files go through stream-json's tokenizer, so a report of hundreds of MB never
 *   sits in memory: only one item (plus the metadata fields) is assembled at a time.
 * Tests lower the threshold to run the streaming path on small fixtures and compare.
 *
 * Walk rules, for a value at some path:
 * - it matches a `skip` pattern: dropped without being assembled;
 * - it matches an `items` pattern: assembled and emitted as an `item` event;
 * - it is a container on the way to an item pattern: walked into (a "frame");
 * - otherwise, inside an object frame: assembled and kept in that frame's `fields`;
 *   inside an array frame: dropped (arrays of unknown things could be unbounded).
 * Patterns list object keys exactly, "*" for any array index and ANY_KEY for any member of
 * an object used as a map (npm audit's `advisories`, keyed by advisory id).
 *
 * A frame's `fields` hold the members read so far, in file order: metadata written after
 * the items (Grype writes `source` after `matches`) is only known at the frame's `close`.
 * Known difference between the paths: JSON.parse puts integer-like keys ("1") first in an
 * object, so fields with such names may arrive earlier on the JSON.parse path.
 *
 * Malformed or truncated input gives IMPORT_MALFORMED with line and column (from
 * stream-json's verifier, run alongside the tokenizer); an aborted signal gives CANCELLED.
 */
import { addAbortSignal, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { none } from 'stream-chain/defs.js';
import { Assembler } from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { jsonVerifier } from 'stream-json/core/utils/verifier.js';
import { isVzError, type VzError } from '../../core/errors';
import { cancelled } from '../common/cancel';
import { toImportError } from '../common/import-errors';
import { malformed } from '../errors';
import { JsonBounds, type BoundViolation } from '../../core/json-bounds';

/** Files larger than this are streamed instead of being parsed whole. */
export const JSON_STREAM_THRESHOLD_BYTES = 32 * 1024 * 1024;

export type JsonPathSegment = string | number;
/** Object keys, matched exactly, "*" for any array index and ANY_KEY for any object key. */
export type JsonPattern = readonly string[];
/** Pattern segment matching any member of an object (a map keyed by ids or names). */
export const ANY_KEY = '{*}';

export interface JsonFrame {
  readonly path: readonly JsonPathSegment[];
  readonly kind: 'object' | 'array';
  /** Object members that are neither items nor frames, read so far (see module comment). */
  readonly fields: Readonly<Record<string, unknown>>;
}

export type JsonRootKind = 'object' | 'array' | 'scalar';

export type JsonEvent =
  | {
      kind: 'item';
      path: readonly JsonPathSegment[];
      value: unknown;
      /** Enclosing frames, root first. Read them now: they keep filling afterwards. */
      frames: readonly JsonFrame[];
    }
  | {
      kind: 'close';
      frame: JsonFrame;
      /** Enclosing frames of the closed one, root first. */
      parents: readonly JsonFrame[];
    }
  | { kind: 'end'; rootKind: JsonRootKind; rootValue?: unknown };

/** Knobs of the JSON importers; tests lower the threshold to exercise streaming. */
export interface JsonImporterOptions {
  /** Above this many bytes the file is streamed (default JSON_STREAM_THRESHOLD_BYTES). */
  streamThresholdBytes?: number;
  /** Memory budget of deferred findings before they move to a temporary file. */
  spoolMemoryChars?: number;
}

export interface JsonWalkOptions {
  fileName: string;
  items: readonly JsonPattern[];
  skip?: readonly JsonPattern[];
  signal?: AbortSignal;
  thresholdBytes?: number;
}

/** Walks a JSON document; see the module comment. */
export async function* walkJson(
  input: Readable,
  options: JsonWalkOptions,
): AsyncGenerator<JsonEvent, void, undefined> {
  const { fileName, signal } = options;
  if (signal?.aborted) throw cancelled(fileName);
  const threshold = options.thresholdBytes ?? JSON_STREAM_THRESHOLD_BYTES;
  const rules = new PathRules(options.items, options.skip ?? []);
  // Cancelling destroys the input, which also wakes a read that is waiting for data.
  if (signal) addAbortSignal(signal, input);
  const source = input[Symbol.asyncIterator]() as AsyncIterator<unknown>;
  let finished = false;
  try {
    const buffered: Buffer[] = [];
    let size = 0;
    let streamer: TokenWalker | undefined;
    for (;;) {
      const next = await source.next();
      if (next.done) break;
      const chunk = toBuffer(next.value);
      if (streamer === undefined) {
        buffered.push(chunk);
        size += chunk.length;
        if (size <= threshold) continue;
        streamer = new TokenWalker(rules, fileName);
        for (const part of buffered.splice(0)) {
          yield* checked(streamer.write(part), signal, fileName);
        }
      } else {
        yield* checked(streamer.write(chunk), signal, fileName);
      }
    }
    finished = true;
    if (streamer !== undefined) {
      yield* checked(streamer.end(), signal, fileName);
    } else {
      yield* walkParsed(parseWhole(Buffer.concat(buffered), fileName), rules, signal, fileName);
    }
  } catch (error) {
    throw toImportError(error, fileName, signal);
  } finally {
    if (!finished) await source.return?.();
  }
}

function* checked(
  events: Iterable<JsonEvent>,
  signal: AbortSignal | undefined,
  fileName: string,
): Generator<JsonEvent, void, undefined> {
  for (const event of events) {
    if (signal?.aborted) throw cancelled(fileName);
    yield event;
  }
}

type Decision = 'item' | 'descend' | 'field' | 'skip';

class PathRules {
  constructor(
    private readonly items: readonly JsonPattern[],
    private readonly skips: readonly JsonPattern[],
  ) {}

  classify(path: readonly JsonPathSegment[], container: 'object' | 'array' | undefined): Decision {
    if (this.skips.some((pattern) => matches(pattern, path, true))) return 'skip';
    if (this.items.some((pattern) => matches(pattern, path, true))) return 'item';
    const continuing = this.items.filter(
      (pattern) => pattern.length > path.length && matches(pattern, path, false),
    );
    if (continuing.length === 0) return 'field';
    if (container === undefined) return 'field';
    // Walk in only when the container has the shape the pattern expects next; anything
    // else is an unexpected shape and is skipped rather than assembled whole.
    const fits = continuing.some((pattern) =>
      pattern[path.length] === '*' ? container === 'array' : container === 'object',
    );
    return fits ? 'descend' : 'skip';
  }
}

function matches(pattern: JsonPattern, path: readonly JsonPathSegment[], exact: boolean): boolean {
  if (exact ? pattern.length !== path.length : pattern.length < path.length) return false;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const expected = pattern[i];
    if (expected === '*') {
      if (typeof segment !== 'number') return false;
    } else if (expected === ANY_KEY) {
      if (typeof segment !== 'string') return false;
    } else if (segment !== expected) return false;
  }
  return true;
}

interface OpenFrame extends JsonFrame {
  readonly fields: Record<string, unknown>;
  nextIndex: number;
  key: string | undefined;
}

function openFrame(path: readonly JsonPathSegment[], kind: 'object' | 'array'): OpenFrame {
  return { path, kind, fields: {}, nextIndex: 0, key: undefined };
}

/** Sets a member without letting a "__proto__" key reach the prototype (as JSON.parse). */
function setField(fields: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(fields, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

type Target =
  | { kind: 'item'; path: readonly JsonPathSegment[]; frames: readonly JsonFrame[] }
  | { kind: 'field'; frame: OpenFrame; key: string }
  | { kind: 'root' };

type Mode =
  | { type: 'walk' }
  | { type: 'skip'; depth: number }
  | { type: 'assemble'; depth: number; target: Target };

/** The streaming path: tokens from stream-json, walked with the rules above. */
class TokenWalker {
  private readonly decoder = new StringDecoder('utf8');
  private readonly verify = jsonVerifier();
  private readonly tokenize = jsonParser({ packValues: true, streamValues: false });
  private readonly assembler = new Assembler();
  private readonly stack: OpenFrame[] = [];
  private mode: Mode = { type: 'walk' };
  private rootKind: JsonRootKind | undefined;
  private rootValue: unknown;
  /** The event completed by the last token, if any (one token completes at most one). */
  private pending: JsonEvent | undefined;
  private started = false;
  private sawContent = false;
  private readonly bounds = new JsonBounds();

  constructor(
    private readonly rules: PathRules,
    private readonly fileName: string,
  ) {}

  /**
   * Events for one chunk, yielded as soon as each is complete: the consumer handles an item
   * before the tokens after it are read, so frame fields are exactly those before the item
   * (as on the JSON.parse path).
   */
  *write(chunk: Buffer): Generator<JsonEvent, void, undefined> {
    let text = this.decoder.write(chunk);
    if (!this.started && text.length > 0) {
      this.started = true;
      text = text.replace(/^\uFEFF/, '');
    }
    yield* this.feed(text);
  }

  *end(): Generator<JsonEvent, void, undefined> {
    yield* this.feed(this.decoder.end());
    if (!this.sawContent) throw malformed(this.fileName, 'the file is empty');
    this.run(() => flush(this.verify), true);
    yield* this.consumeAll(this.run(() => tokensOf(flush(this.tokenize)), true));
    if (this.rootKind === undefined || this.stack.length > 0 || this.mode.type !== 'walk') {
      throw malformed(this.fileName, 'unexpected end of the JSON document');
    }
    yield { kind: 'end', rootKind: this.rootKind, rootValue: this.rootValue };
  }

  private *feed(text: string): Generator<JsonEvent, void, undefined> {
    if (text.length === 0) return;
    if (!this.sawContent && /\S/.test(text)) this.sawContent = true;
    const beyond = this.bounds.scan(text);
    if (beyond) throw outOfBounds(this.fileName, null, beyond);
    this.run(() => this.verify(text));
    yield* this.consumeAll(this.run(() => tokensOf(this.tokenize(text))));
  }

  private *consumeAll(tokens: readonly Token[]): Generator<JsonEvent, void, undefined> {
    for (const token of tokens) {
      this.consume(token);
      if (this.pending !== undefined) {
        const event = this.pending;
        this.pending = undefined;
        yield event;
      }
    }
  }

  private run<T>(step: () => T, atEnd = false): T {
    try {
      return step();
    } catch (error) {
      throw jsonSyntaxError(error, this.fileName, atEnd);
    }
  }

  private consume(token: Token): void {
    const mode = this.mode;
    if (mode.type === 'skip') {
      mode.depth += depthChange(token);
      if (mode.depth === 0) this.mode = { type: 'walk' };
      return;
    }
    if (mode.type === 'assemble') {
      this.assembler.consume(token);
      mode.depth += depthChange(token);
      if (mode.depth === 0) this.complete(mode.target, this.assembler.current);
      return;
    }
    const top = this.stack[this.stack.length - 1];
    if (token.name === 'keyValue') {
      if (top) top.key = token.value;
      return;
    }
    if (token.name === 'endObject' || token.name === 'endArray') {
      const frame = this.stack.pop();
      if (frame) this.pending = { kind: 'close', frame, parents: [...this.stack] };
      return;
    }
    this.startValue(token, top);
  }

  private startValue(token: Token, parent: OpenFrame | undefined): void {
    const container =
      token.name === 'startObject' ? 'object' : token.name === 'startArray' ? 'array' : undefined;
    let path: readonly JsonPathSegment[];
    if (parent === undefined) {
      if (this.rootKind !== undefined) return; // a second top-level value: the verifier rejects it
      this.rootKind = container ?? 'scalar';
      path = [];
    } else {
      const segment = parent.kind === 'array' ? parent.nextIndex++ : (parent.key ?? '');
      path = [...parent.path, segment];
    }
    const decision = this.rules.classify(path, container);
    if (decision === 'descend' && container !== undefined) {
      this.stack.push(openFrame(path, container));
      return;
    }
    let target: Target | undefined;
    if (decision === 'item') target = { kind: 'item', path, frames: [...this.stack] };
    else if (parent === undefined) target = { kind: 'root' };
    else if (decision === 'field' && parent.kind === 'object') {
      target = { kind: 'field', frame: parent, key: parent.key ?? '' };
    }
    if (target === undefined) {
      if (container !== undefined) this.mode = { type: 'skip', depth: 1 };
      return;
    }
    this.assembler.consume(token);
    if (container === undefined) this.complete(target, this.assembler.current);
    else this.mode = { type: 'assemble', depth: 1, target };
  }

  private complete(target: Target, value: unknown): void {
    this.mode = { type: 'walk' };
    if (target.kind === 'item') {
      this.pending = { kind: 'item', path: target.path, value, frames: target.frames };
    } else if (target.kind === 'field') {
      setField(target.frame.fields, target.key, value);
    } else {
      this.rootValue = value;
    }
  }
}

function depthChange(token: Token): number {
  if (token.name === 'startObject' || token.name === 'startArray') return 1;
  if (token.name === 'endObject' || token.name === 'endArray') return -1;
  return 0;
}

function tokensOf(result: ReturnType<ReturnType<typeof jsonParser>>): readonly Token[] {
  return typeof result === 'symbol' ? [] : result.values;
}

/**
 * stream-json's stages end when called with stream-chain's `none` marker; their typings
 * only declare the string input, hence the one narrow cast here.
 */
function flush<R>(stage: (text: string) => R): R {
  return (stage as unknown as (end: typeof none) => R)(none);
}

/** The JSON.parse path: same walk, same events, over an already parsed document. */
function* walkParsed(
  document: unknown,
  rules: PathRules,
  signal: AbortSignal | undefined,
  fileName: string,
): Generator<JsonEvent, void, undefined> {
  const rootContainer = containerKind(document);
  const rootKind: JsonRootKind = rootContainer ?? 'scalar';
  const decision = rules.classify([], rootContainer);
  if (decision === 'descend' && rootContainer !== undefined) {
    yield* walkContainer(document, openFrame([], rootContainer), [], rules, signal, fileName);
    yield { kind: 'end', rootKind };
  } else if (decision === 'item') {
    yield { kind: 'item', path: [], value: document, frames: [] };
    yield { kind: 'end', rootKind };
  } else {
    yield { kind: 'end', rootKind, rootValue: rootContainer === undefined ? document : undefined };
  }
}

function* walkContainer(
  value: unknown,
  frame: OpenFrame,
  stack: OpenFrame[],
  rules: PathRules,
  signal: AbortSignal | undefined,
  fileName: string,
): Generator<JsonEvent, void, undefined> {
  stack.push(frame);
  const entries: [JsonPathSegment, unknown][] = Array.isArray(value)
    ? value.map((child, index): [JsonPathSegment, unknown] => [index, child])
    : Object.entries(value as Record<string, unknown>);
  for (const [segment, child] of entries) {
    if (signal?.aborted) throw cancelled(fileName);
    const path = [...frame.path, segment];
    const container = containerKind(child);
    const decision = rules.classify(path, container);
    if (decision === 'descend' && container !== undefined) {
      yield* walkContainer(child, openFrame(path, container), stack, rules, signal, fileName);
    } else if (decision === 'item') {
      yield { kind: 'item', path, value: child, frames: [...stack] };
    } else if (decision === 'field' && frame.kind === 'object' && typeof segment === 'string') {
      setField(frame.fields, segment, child);
    }
  }
  stack.pop();
  yield { kind: 'close', frame, parents: [...stack] };
}

function containerKind(value: unknown): 'object' | 'array' | undefined {
  if (Array.isArray(value)) return 'array';
  return typeof value === 'object' && value !== null ? 'object' : undefined;
}

/** The limit error, with line and column when the text is at hand (the whole-file path). */
function outOfBounds(fileName: string, text: string | null, beyond: BoundViolation): VzError {
  if (text === null)
    return malformed(fileName, `${beyond.reason}, at character ${beyond.at} of the file`);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < beyond.at; i = text.indexOf('\n', i + 1)) line++;
  return malformed(
    fileName,
    beyond.reason,
    line,
    beyond.at - text.lastIndexOf('\n', beyond.at - 1),
  );
}

function parseWhole(bytes: Buffer, fileName: string): unknown {
  const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
  if (!/\S/.test(text)) throw malformed(fileName, 'the file is empty');
  // JSON.parse would build a deep chain before failing: check the limits first.
  const beyond = new JsonBounds().scan(text);
  if (beyond) throw outOfBounds(fileName, text, beyond);
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    // JSON.parse messages differ between engines and lack a line: ask the verifier where.
    const verify = jsonVerifier();
    let atEnd = false;
    try {
      verify(text);
      atEnd = true;
      flush(verify);
    } catch (located) {
      throw jsonSyntaxError(located, fileName, atEnd);
    }
    throw malformed(fileName, `not valid JSON: ${error instanceof Error ? error.message : ''}`);
  }
}

interface Located {
  line: number;
  pos: number;
}

function isLocated(error: unknown): error is Error & Located {
  if (!(error instanceof Error)) return false;
  const { line, pos } = error as Partial<Located>;
  return typeof line === 'number' && typeof pos === 'number';
}

/**
 * A located IMPORT_MALFORMED from a stream-json verifier/parser error. `atEnd`: the text
 * was fine but stopped early, the usual sign of a truncated file.
 */
function jsonSyntaxError(error: unknown, fileName: string, atEnd: boolean): VzError {
  if (isVzError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  // stream-json phrases: "ERROR at 120 (4, 7): Verifier cannot parse input: expected ','"
  const reason = message
    .replace(/^ERROR at \d+ \(\d+, \d+\):\s*/, '')
    .replace(/^(Verifier|Parser) (cannot parse input: )?/, '')
    .replace(/^has expected/, 'expected');
  const detail = atEnd
    ? `the JSON document ends early (truncated file?): ${reason}`
    : `not valid JSON: ${reason}`;
  return isLocated(error)
    ? malformed(fileName, detail, error.line, error.pos)
    : malformed(fileName, detail);
}

function toBuffer(value: unknown): Buffer {
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value);
  throw new TypeError('the input stream must produce bytes or text');
}
