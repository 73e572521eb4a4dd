import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { expect } from 'vitest';
import { isVzError } from '../../../src-main/core/errors';

export const FIXTURES = join(import.meta.dirname, '../../fixtures/feeds');

export function fixture(name: string): Buffer {
  return readFileSync(join(FIXTURES, name));
}

export function fixturePath(name: string): string {
  return join(FIXTURES, name);
}

/** A stream that delivers `data` in small pieces, so chunk boundaries fall everywhere. */
export function streamOf(data: Buffer | string, chunkSize = 997): Readable {
  const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const chunks: Buffer[] = [];
  for (let i = 0; i < buf.length; i += chunkSize) chunks.push(buf.subarray(i, i + chunkSize));
  return Readable.from(chunks, { objectMode: false });
}

export function gz(data: Buffer | string): Buffer {
  return gzipSync(typeof data === 'string' ? Buffer.from(data, 'utf8') : data);
}

export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

/** Runs `work` and returns the VzError it must throw. */
export async function vzError(
  work: () => Promise<unknown>,
): Promise<{ code: string; message: string }> {
  try {
    await work();
  } catch (e) {
    if (!isVzError(e)) throw e;
    return { code: e.code, message: e.message };
  }
  expect.fail('expected a VzError');
}

export { PassThrough };
