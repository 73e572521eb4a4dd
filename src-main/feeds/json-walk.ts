import { Assembler } from 'stream-json/core/assembler.js';
import { jsonParser, type Token } from 'stream-json/core/parser.js';
import { JsonBounds, MAX_JSON_DEPTH } from '../core/json-bounds';
import { checkCancelled, feedMalformed } from './errors';

/**
 * Streaming walk over a JSON document, built on stream-json's tokenizer so that a 100+ MB
 * NVD year file is never parsed whole: only the top-level members the caller wants whole,
 * and one array element at a time, are ever assembled into objects.
 */
export type JsonEvent =
  /** A complete top-level member of the root object (members mode). */
  | { type: 'member'; key: string; value: unknown }
  /** A streamed array starts: a root-object member named in `streamKeys`, or the root (key null). */
  | { type: 'arrayStart'; key: string | null }
  | { type: 'element'; key: string | null; index: number; value: unknown }
  | { type: 'arrayEnd'; key: string | null; count: number }
  /** A complete root value that is not streamed (values mode: an object, or each JSON line). */
  | { type: 'value'; index: number; value: unknown };

export interface WalkOptions {
  fileName: string;
  signal?: AbortSignal;
  /**
   * 'members': the root must be one object; its members come one by one and the arrays
   * named in `streamKeys` element by element (KEV, NVD).
   * 'values': one or more root values (JSON lines allowed); objects come whole, arrays
   * element by element (CVE JSON 5 records, arrays of records, or JSON lines).
   */
  mode: 'members' | 'values';
  streamKeys?: ReadonlySet<string>;
  /** Cap on the characters of one assembled value, so a hostile file cannot exhaust memory. */
  maxValueChars?: number;
}

const DEFAULT_MAX_VALUE_CHARS = 64 * 1024 * 1024;

type Frame =
  | { kind: 'root' }
  | { kind: 'members'; key: string | null }
  | { kind: 'stream'; key: string | null; count: number };

export async function* walkJson(
  bytes: AsyncIterable<Buffer>,
  opts: WalkOptions,
): AsyncGenerator<JsonEvent, void, undefined> {
  const { fileName, signal, mode } = opts;
  const streamKeys = opts.streamKeys ?? new Set<string>();
  const maxChars = opts.maxValueChars ?? DEFAULT_MAX_VALUE_CHARS;
  // Packed tokens only: keys, strings and numbers arrive whole, which is what Assembler reads.
  const parse = jsonParser({ streamValues: false, jsonStreaming: mode === 'values' });
  const decoder = new TextDecoder('utf-8', { fatal: true });
  // Nesting and string length are checked before the tokenizer sees the text: a hostile
  // feed ("[" repeated millions of times) would otherwise grow its stacks without bound.
  const bounds = new JsonBounds(MAX_JSON_DEPTH, maxChars);

  const stack: Frame[] = [{ kind: 'root' }];
  let asm: Assembler | null = null; // assembling one value when not null
  let asmDepth = 0;
  let asmChars = 0;
  let asmTarget: { type: 'member'; key: string } | { type: 'element' } | { type: 'value' } | null =
    null;
  let pendingKey: string | null = null;
  let rootValues = 0;
  let offset = 0;

  const where = (): string => `near byte ${offset}`;

  const startAssembly = (target: NonNullable<typeof asmTarget>): void => {
    asm ??= new Assembler();
    asmDepth = 0;
    asmChars = 0;
    asmTarget = target;
  };

  // Feeds one token; returns the event it completes, if any.
  const onToken = (token: Token): JsonEvent | null => {
    if (asm !== null && asmTarget !== null) {
      if (token.name === 'keyValue' || token.name === 'stringValue' || token.name === 'numberValue')
        asmChars += token.value.length;
      if (asmChars > maxChars)
        throw feedMalformed(fileName, where(), `one value exceeds ${maxChars} characters`);
      if (token.name === 'startObject' || token.name === 'startArray') asmDepth += 1;
      else if (token.name === 'endObject' || token.name === 'endArray') asmDepth -= 1;
      asm.consume(token);
      if (asmDepth > 0) return null;
      const value: unknown = asm.current;
      const target = asmTarget;
      asmTarget = null;
      if (target.type === 'member') return { type: 'member', key: target.key, value };
      if (target.type === 'value') return { type: 'value', index: rootValues++, value };
      const frame = stack.at(-1);
      if (frame?.kind !== 'stream') throw new Error('json-walk: element outside a stream');
      return { type: 'element', key: frame.key, index: frame.count++, value };
    }

    const frame = stack.at(-1);
    if (frame === undefined) throw new Error('json-walk: empty stack');

    if (frame.kind === 'root') {
      if (token.name === 'startArray') {
        stack.push({ kind: 'stream', key: null, count: 0 });
        return { type: 'arrayStart', key: null };
      }
      if (token.name === 'startObject') {
        if (mode === 'members') {
          if (rootValues > 0) throw feedMalformed(fileName, where(), 'more than one JSON value');
          rootValues += 1;
          stack.push({ kind: 'members', key: null });
          return null;
        }
        startAssembly({ type: 'value' });
        return onToken(token);
      }
      throw feedMalformed(fileName, where(), 'expected a JSON object or array at the top level');
    }

    if (frame.kind === 'members') {
      if (token.name === 'keyValue') {
        pendingKey = token.value;
        return null;
      }
      if (token.name === 'endObject') {
        stack.pop();
        return null;
      }
      const key = pendingKey ?? '';
      pendingKey = null;
      if (token.name === 'startArray' && streamKeys.has(key)) {
        stack.push({ kind: 'stream', key, count: 0 });
        return { type: 'arrayStart', key };
      }
      startAssembly({ type: 'member', key });
      return onToken(token);
    }

    // Inside a streamed array: each element is assembled on its own.
    if (token.name === 'endArray') {
      stack.pop();
      if (frame.key === null) rootValues += 1;
      return { type: 'arrayEnd', key: frame.key, count: frame.count };
    }
    startAssembly({ type: 'element' });
    return onToken(token);
  };

  const run = (text: string): JsonEvent[] => {
    let out: ReturnType<typeof parse>;
    try {
      out = parse(text);
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw feedMalformed(fileName, where(), `invalid JSON (${message})`);
    }
    if (typeof out === 'symbol') return [];
    const events: JsonEvent[] = [];
    for (const token of out.values) {
      const event = onToken(token);
      if (event !== null) events.push(event);
    }
    return events;
  };

  for await (const chunk of bytes) {
    checkCancelled(signal);
    let text: string;
    try {
      text = decoder.decode(chunk, { stream: true });
    } catch {
      throw feedMalformed(fileName, where(), 'the file is not valid UTF-8');
    }
    const beyond = bounds.scan(text);
    if (beyond) throw feedMalformed(fileName, `near character ${beyond.at}`, beyond.reason);
    offset += chunk.length;
    if (text.length > 0) yield* run(text);
  }
  let tail: string;
  try {
    tail = decoder.decode();
  } catch {
    throw feedMalformed(fileName, where(), 'the file ends inside a UTF-8 character');
  }
  // A trailing newline lets the tokenizer finish a number that ends the document, so no
  // explicit flush is needed.
  yield* run(`${tail}\n`);

  if (stack.length > 1 || asmTarget !== null)
    throw feedMalformed(fileName, where(), 'the JSON data ends early (truncated file?)');
  if (rootValues === 0) throw feedMalformed(fileName, where(), 'the file holds no JSON value');
}
