import { createReadStream } from 'node:fs';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { parseCve5, type Cve5Item } from './cve5';
import { detectFeedKindOfFile } from './detect';
import { parseEpss, type EpssItem } from './epss';
import { parseKev, type KevItem } from './kev';
import { parseNvd, type NvdItem } from './nvd';
import type { FeedKind, ParseOptions } from './types';

export type FeedItem = KevItem | EpssItem | NvdItem | Cve5Item;
export type FeedMeta = Extract<FeedItem, { type: 'meta' }>;
export type FeedRecord = Exclude<FeedItem, { type: 'meta' }>;

/** One entry point for the vault: the kind comes from a bundle manifest or from detection. */
export function parseFeed(
  kind: FeedKind,
  input: Readable,
  opts: ParseOptions,
): AsyncGenerator<FeedItem, void, undefined> {
  switch (kind) {
    case 'kev':
      return parseKev(input, opts);
    case 'epss':
      return parseEpss(input, opts);
    case 'nvd':
      return parseNvd(input, opts);
    case 'cve5':
      return parseCve5(input, opts);
  }
}

/** Detects the kind (unless given) and parses a file from disk. */
export async function* parseFeedFile(
  path: string,
  opts: { kind?: FeedKind; signal?: AbortSignal; fileName?: string } = {},
): AsyncGenerator<FeedItem, void, undefined> {
  const fileName = opts.fileName ?? basename(path);
  const signal = opts.signal ? { signal: opts.signal } : {};
  const kind = opts.kind ?? (await detectFeedKindOfFile(path, { fileName, ...signal }));
  yield* parseFeed(kind, createReadStream(path), { fileName, ...signal });
}

export interface FeedSinkResult {
  meta: FeedMeta;
  records: number;
}

/**
 * Pushes every record to a caller's sink (e.g. the vault's batched SQLite writer) and
 * awaits it, so a slow sink slows the reading instead of buffering. Errors can come after
 * some records were delivered (a truncated file is only noticed at its end): the sink's
 * writes belong in one transaction that the caller rolls back on error.
 */
export async function pumpFeed(
  items: AsyncIterable<FeedItem>,
  sink: { meta(meta: FeedMeta): void | Promise<void>; record(r: FeedRecord): void | Promise<void> },
): Promise<FeedSinkResult> {
  let meta: FeedMeta | null = null;
  let records = 0;
  for await (const item of items) {
    if (item.type === 'meta') {
      meta = item;
      await sink.meta(item);
    } else {
      records += 1;
      await sink.record(item);
    }
  }
  if (meta === null) throw new Error('feed parser yielded no meta item');
  return { meta, records };
}
