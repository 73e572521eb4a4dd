import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';

export interface HashedFile {
  /** The file's bytes, as they stream. */
  stream: Readable;
  /** Bytes read so far (for progress). */
  bytesRead: () => number;
  /** SHA-256 of the whole file; valid once `stream` has been read to the end. */
  sha256: () => string;
}

/**
 * Reads a file once while hashing and counting it: the hash and the count see exactly the
 * bytes the parser sees, so large files are never read twice or held in memory.
 */
export function openHashedFile(path: string): HashedFile {
  const hash = createHash('sha256');
  let bytes = 0;
  let digest: string | null = null;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), stream, () => undefined);
  return { stream, bytesRead: () => bytes, sha256: () => (digest ??= hash.digest('hex')) };
}
