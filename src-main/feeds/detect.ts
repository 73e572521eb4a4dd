import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import { VzError } from '../core/errors';
import { decodedBytes } from './decompress';
import { FEED_KINDS, type FeedKind } from './types';

/** How much decompressed text is enough to tell the kinds apart. */
const SNIFF_BYTES = 64 * 1024;

const KIND_LABELS: Record<FeedKind, string> = {
  kev: 'kev (CISA Known Exploited Vulnerabilities catalog, JSON)',
  epss: 'epss (FIRST EPSS daily scores, CSV)',
  nvd: 'nvd (NVD CVE API 2.0 JSON)',
  cve5: 'cve5 (CVE JSON 5 records)',
};

export function supportedKindsText(): string {
  return `${FEED_KINDS.map((k) => KIND_LABELS[k]).join('; ')}; any of them plain, .gz or .xz`;
}

function unknownKind(fileName: string, why: string): VzError {
  return new VzError(
    'FEED_UNKNOWN_KIND',
    `${fileName}: ${why}. Supported kinds: ${supportedKindsText()}.`,
    { fileName, supported: [...FEED_KINDS] },
  );
}

/**
 * Tells a feed's kind from the start of its (decompressed) text. Markers are the fields
 * each format puts near its start: KEV's catalogVersion, EPSS's model comment or header,
 * NVD's format tag or array names, CVE JSON 5's record markers.
 */
export function detectFeedKindFromText(fileName: string, head: string): FeedKind {
  const text = head.replace(/^\uFEFF/, '').trimStart();
  if (text === '') throw unknownKind(fileName, 'the file is empty');
  const firstLine = text.slice(0, text.search(/\r?\n|$/)).toLowerCase();
  if (firstLine.startsWith('#model_version') || /^cve,epss\b/.test(firstLine)) return 'epss';
  if (text.startsWith('{') || text.startsWith('[')) {
    if (/"catalogVersion"\s*:/.test(text)) return 'kev';
    if (
      /"cveMetadata"\s*:|"dataType"\s*:\s*"CVE_RECORD"|"containers"\s*:\s*\{\s*"(?:cna|adp)"/.test(
        text,
      )
    )
      return 'cve5';
    if (
      /"format"\s*:\s*"NVD_CVE"|"cve_items"\s*:|"vulnerabilities"\s*:\s*\[\s*\{\s*"cve"\s*:/.test(
        text,
      )
    )
      return 'nvd';
    if (/"CVE_Items"\s*:|"CVE_data_format"\s*:/.test(text))
      throw unknownKind(
        fileName,
        'this is a retired NVD JSON 1.1 feed; use NVD CVE API 2.0 files (or the community 2.0 rebuild)',
      );
    throw unknownKind(fileName, 'JSON, but none of the supported feed formats');
  }
  throw unknownKind(fileName, 'not a recognised feed file');
}

/** Reads (and decompresses) only the start of `input`, then stops and destroys it. */
export async function detectFeedKind(
  input: Readable,
  opts: { fileName: string; signal?: AbortSignal },
): Promise<FeedKind> {
  const chunks: Buffer[] = [];
  let length = 0;
  for await (const chunk of decodedBytes(input, opts.fileName, opts.signal)) {
    chunks.push(chunk);
    length += chunk.length;
    if (length >= SNIFF_BYTES) break;
  }
  const head = Buffer.concat(chunks).subarray(0, SNIFF_BYTES);
  // A multi-byte character cut at the end only garbles the last character.
  return detectFeedKindFromText(opts.fileName, head.toString('utf8'));
}

export async function detectFeedKindOfFile(
  path: string,
  opts: { fileName?: string; signal?: AbortSignal } = {},
): Promise<FeedKind> {
  return detectFeedKind(createReadStream(path), {
    fileName: opts.fileName ?? path,
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
}
