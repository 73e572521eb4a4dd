/**
 * Every supported format and content sniffing. The format of a file is decided by its
 * first 64 KiB (never the extension alone); `--format` overrides.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { VzError } from '../core/errors';
import { appImporters } from './formats/app-formats';
import { tabularImporters } from './formats/tabular-formats';
import { xmlImporters } from './formats/xml-formats';
import type { Importer } from './types';

export const IMPORTERS: readonly Importer[] = [
  ...xmlImporters,
  ...tabularImporters,
  ...appImporters,
];
export const SNIFF_BYTES = 64 * 1024;
const MIN_CONFIDENCE = 0.5;

export function formatNames(): string[] {
  return IMPORTERS.map((i) => i.format);
}

export function importerFor(format: string): Importer {
  const found = IMPORTERS.find((i) => i.format === format);
  if (!found) {
    throw new VzError(
      'IMPORT_UNKNOWN_FORMAT',
      `Unknown format "${format}". Supported formats: ${formatNames().join(', ')}.`,
    );
  }
  return found;
}

async function readHead(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer
      .subarray(0, bytesRead)
      .toString('utf8')
      .replace(/^\uFEFF/, '');
  } finally {
    await handle.close();
  }
}

/** Picks the importer whose sniffer is most confident about the file's content. */
export async function detectImporter(path: string): Promise<Importer> {
  const head = await readHead(path);
  const name = basename(path);
  let best: { importer: Importer; score: number } | null = null;
  for (const importer of IMPORTERS) {
    const score = importer.sniff(head, name);
    if (!best || score > best.score) best = { importer, score };
  }
  if (!best || best.score < MIN_CONFIDENCE) {
    throw new VzError(
      'IMPORT_UNKNOWN_FORMAT',
      `${name}: not a recognised scanner export. Supported formats: ${formatNames().join(', ')}. Use --format to force one.`,
    );
  }
  return best.importer;
}
