import { createRequire } from 'node:module';
import { Readable, pipeline } from 'node:stream';
import type { ReadableStream as NodeReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import type { XzReadableStream as XzReadableStreamType } from 'xz-decompress';
import { isVzError } from '../core/errors';
import { checkCancelled, feedMalformed } from './errors';

export type Compression = 'gzip' | 'xz' | 'none';

const GZIP_MAGIC = [0x1f, 0x8b];
const XZ_MAGIC = [0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00];

// xz-decompress is a CommonJS bundle whose named export Node's ESM loader cannot see, so
// it is loaded through require; the type comes from its own declaration file.
const requireCjs = createRequire(import.meta.url);
let xzCtor: typeof XzReadableStreamType | null = null;
function xzStreamClass(): typeof XzReadableStreamType {
  xzCtor ??= (requireCjs('xz-decompress') as { XzReadableStream: typeof XzReadableStreamType })
    .XzReadableStream;
  return xzCtor;
}

// Return codes of xz-embedded (the decoder inside xz-decompress), for operator messages.
const XZ_ERRORS: Record<string, string> = {
  '3': 'out of memory',
  '4': 'memory limit exceeded',
  '5': 'not an xz file',
  '6': 'unsupported xz options (only CRC32/CRC64 checks and the LZMA2 filter are supported)',
  '7': 'xz data is corrupt',
  '8': 'xz data ends early (truncated file?)',
};

export function sniffCompression(head: Uint8Array): Compression {
  if (startsWith(head, XZ_MAGIC)) return 'xz';
  if (startsWith(head, GZIP_MAGIC)) return 'gzip';
  return 'none';
}

function startsWith(head: Uint8Array, magic: readonly number[]): boolean {
  return head.length >= magic.length && magic.every((b, i) => head[i] === b);
}

/**
 * The decompressed bytes of a feed file: gzip and xz are recognised by their magic bytes,
 * anything else passes through. Everything streams: no file is held in memory whole.
 * Decoder failures become FEED_MALFORMED naming the file; the input is destroyed when the
 * consumer stops early.
 */
export async function* decodedBytes(
  input: Readable,
  fileName: string,
  signal?: AbortSignal,
): AsyncGenerator<Buffer, void, undefined> {
  const source = input[Symbol.asyncIterator]() as AsyncIterator<Buffer | string>;
  const head: Buffer[] = [];
  let headLength = 0;
  let ended = false;
  while (headLength < XZ_MAGIC.length) {
    checkCancelled(signal);
    const next = await source.next();
    if (next.done) {
      ended = true;
      break;
    }
    const chunk = toBuffer(next.value);
    head.push(chunk);
    headLength += chunk.length;
  }
  const first = Buffer.concat(head);
  const compression = sniffCompression(first);
  const raw = Readable.from(replay(first, ended ? null : source), { objectMode: false });

  let decoded: Readable;
  if (compression === 'gzip') {
    // The callback form returns the last stream; pipeline destroys every stream with the
    // first error, so the error surfaces in the loop below.
    decoded = pipeline(raw, createGunzip(), () => undefined);
  } else if (compression === 'xz') {
    const Xz = xzStreamClass();
    decoded = webToNode(new Xz(nodeToWeb(raw)));
  } else {
    decoded = raw;
  }

  try {
    for await (const chunk of decoded) {
      checkCancelled(signal);
      yield toBuffer(chunk as Buffer | string);
    }
  } catch (e) {
    if (compression === 'none' || isVzError(e)) throw e;
    throw feedMalformed(fileName, null, describeDecoderError(compression, e));
  } finally {
    decoded.destroy();
    raw.destroy();
    input.destroy();
  }
}

// Node's and the DOM's ReadableStream types differ by compilation target (the core sees
// Node's, the tests see the DOM's); at run time they are the same class.
function nodeToWeb(stream: Readable): ReadableStream<Uint8Array> {
  const web: unknown = Readable.toWeb(stream);
  return web as ReadableStream<Uint8Array>;
}

function webToNode(stream: unknown): Readable {
  return Readable.fromWeb(stream as NodeReadableStream<Uint8Array>);
}

async function* replay(
  first: Buffer,
  rest: AsyncIterator<Buffer | string> | null,
): AsyncGenerator<Buffer, void, undefined> {
  if (first.length > 0) yield first;
  if (rest === null) return;
  for (;;) {
    const next = await rest.next();
    if (next.done) return;
    yield toBuffer(next.value);
  }
}

function toBuffer(chunk: Buffer | Uint8Array | string): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  return Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
}

function describeDecoderError(compression: Compression, e: unknown): string {
  const message = e instanceof Error ? e.message : String(e);
  if (compression === 'xz') {
    const code = /error code (\d+)/.exec(message)?.[1];
    const known = code === undefined ? undefined : XZ_ERRORS[code];
    return `cannot decompress xz: ${known ?? message}`;
  }
  if (message.includes('unexpected end of file'))
    return 'cannot decompress gzip: data ends early (truncated file?)';
  return `cannot decompress gzip: ${message}`;
}
