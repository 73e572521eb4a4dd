/**
 * Opens a scanner file for parsing: resolves the importer, counts bytes for progress and
 * hashes the exact bytes while they stream (sha256 identifies re-imports).
 */
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { VzError } from '../core/errors';
import { openHashedFile } from '../core/hashed-file';
import { detectImporter, importerFor } from './registry';
import type { ImportRecord, Importer } from './types';

/** A file being parsed, in this thread or in a parse thread (pipeline/parse-in-worker.ts). */
export interface ImportSource {
  /** The importer's public format name and label. */
  format: string;
  label: string;
  fileName: string;
  size: number;
  records: AsyncIterable<ImportRecord>;
  /** Bytes read so far. */
  bytesRead(): number;
  /** The sha256 of the whole file; valid once `records` is exhausted. */
  sha256(): string;
}

export interface OpenedImport extends ImportSource {
  importer: Importer;
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
  const file = openHashedFile(path);
  return {
    importer,
    format: importer.format,
    label: importer.label,
    fileName,
    size,
    records: importer.parse(file.stream, {
      fileName,
      ...(options.signal ? { signal: options.signal } : {}),
    }),
    bytesRead: file.bytesRead,
    sha256: file.sha256,
  };
}
