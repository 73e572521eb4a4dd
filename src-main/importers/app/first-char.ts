/**
 * For importers that read two syntaxes of one format (CycloneDX and Dependency-Check come
 * as JSON or XML): reads the start of the stream up to its first meaningful character and
 * hands back a stream that replays everything, so the chosen reader sees the whole file.
 */
import { Readable } from 'node:stream';

/** How far to look for the first character before giving up (a file of blanks). */
const MAX_PEEK_BYTES = 64 * 1024;

export interface Peeked {
  /** "{", "[", "<" or another first non-blank character; undefined for an empty file. */
  first: string | undefined;
  stream: Readable;
}

export async function peekFirstChar(input: Readable): Promise<Peeked> {
  const iterator = (input as AsyncIterable<Buffer | string>)[Symbol.asyncIterator]();
  const head: Buffer[] = [];
  let size = 0;
  let first: string | undefined;
  let done = false;
  while (first === undefined && size < MAX_PEEK_BYTES) {
    const next = await iterator.next();
    if (next.done === true) {
      done = true;
      break;
    }
    const chunk = typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
    head.push(chunk);
    size += chunk.length;
    const text = Buffer.concat(head)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
    const match = /\S/.exec(text);
    if (match) first = match[0];
  }
  async function* replay(): AsyncGenerator<Buffer> {
    try {
      for (const chunk of head) yield chunk;
      if (done) return;
      for (;;) {
        const next = await iterator.next();
        if (next.done === true) return;
        yield typeof next.value === 'string' ? Buffer.from(next.value, 'utf8') : next.value;
      }
    } finally {
      await iterator.return?.();
    }
  }
  return { first, stream: Readable.from(replay(), { objectMode: false }) };
}
