/**
 * Opens a scanner file for parsing: resolves the importer, counts bytes for progress and
 * hashes the exact bytes while they stream (sha256 identifies re-imports).
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline, Transform } from 'node:stream';
import { VzError } from '../core/errors';
import { detectImporter, importerFor } from './registry';
import type { ImportRecord, Importer } from './types';

export interface OpenedImport {
  importer: Importer;
  fileName: string;
  size: number;
  records: AsyncIterable<ImportRecord>;
  /** Bytes read so far. */
  bytesRead(): number;
  /** The sha256 of the whole file; valid once `records` is exhausted. */
  sha256(): string;
}

export async function openImport(
  path: string,
  options: { format?: string | undefined; signal?: AbortSignal | undefined } = {},
): Promise<OpenedImport> {
  const fileName = basename(path);
  let size: number;
  try {
    const info = await stat(path);
    if (!info.isFile())
      throw new VzError('IMPORT_NOT_A_FILE', `${fileName} is not a regular file.`);
    size = info.size;
  } catch (error) {
    if (error instanceof VzError) throw error;
    throw new VzError(
      'IMPORT_FILE_UNREADABLE',
      `${fileName}: cannot read the file (${(error as NodeJS.ErrnoException).code ?? 'error'}).`,
    );
  }
  const importer = options.format ? importerFor(options.format) : await detectImporter(path);
  const hash = createHash('sha256');
  let bytes = 0;
  // The hash and the byte count see exactly the bytes the parser sees.
  const input = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  pipeline(createReadStream(path, { highWaterMark: 1 << 20 }), input, () => undefined);
  let digest: string | null = null;
  return {
    importer,
    fileName,
    size,
    records: importer.parse(input, {
      fileName,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    bytesRead: () => bytes,
    sha256: () => (digest ??= hash.digest('hex')),
  };
}
