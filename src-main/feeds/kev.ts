import type { Readable } from 'node:stream';
import { z } from 'zod';
import { decodedBytes } from './decompress';
import { feedMalformed, formatPath } from './errors';
import { walkJson } from './json-walk';
import type { FeedMetaBase, ParseOptions } from './types';

/**
 * CISA Known Exploited Vulnerabilities catalog (known_exploited_vulnerabilities.json).
 * The zod schemas mirror the official known_exploited_vulnerabilities_schema.json (draft-07):
 * the same required fields, the same patterns, `date-time` and `date` formats. Properties
 * the schema does not list are ignored, as the schema allows them.
 */
const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,19}$/;
const CWE_ID = /^CWE-([0-9])+$/;

export const kevVulnerabilitySchema = z.object({
  cveID: z.string().regex(CVE_ID, 'expected CVE-YYYY-NNNN'),
  vendorProject: z.string(),
  product: z.string(),
  vulnerabilityName: z.string(),
  dateAdded: z.iso.date(),
  shortDescription: z.string(),
  requiredAction: z.string(),
  dueDate: z.iso.date(),
  // The schema types it as a string; its description defines exactly these two values.
  knownRansomwareCampaignUse: z.enum(['Known', 'Unknown']).optional(),
  notes: z.string().optional(),
  cwes: z.array(z.string().regex(CWE_ID, 'expected CWE-NNN')).optional(),
});

/** Top-level members, validated one by one as they stream past. */
const kevHeaderSchema = z.object({
  catalogVersion: z.string(),
  // RFC 3339 as JSON Schema's date-time: an offset or Z is required, any fraction digits.
  dateReleased: z.iso.datetime({ offset: true }),
  count: z.number().int().nonnegative(),
  title: z.string().optional(),
});
type KevHeader = z.infer<typeof kevHeaderSchema>;
const KEV_REQUIRED_TOP = ['catalogVersion', 'dateReleased', 'count', 'vulnerabilities'] as const;

export interface KevMeta extends FeedMetaBase<'kev'> {
  catalogVersion: string;
  dateReleased: string;
  count: number;
  title: string | null;
}

export interface KevRecord {
  type: 'kev';
  cveID: string;
  vendorProject: string;
  product: string;
  vulnerabilityName: string;
  dateAdded: string;
  shortDescription: string;
  requiredAction: string;
  dueDate: string;
  /** 'Unknown' when absent: CISA's meaning of Unknown is "no confirmation". */
  knownRansomwareCampaignUse: 'Known' | 'Unknown';
  notes: string | null;
  cwes: string[];
}

export type KevItem = KevMeta | KevRecord;

/**
 * Streams the catalog: first a `meta` item, then one `kev` record per vulnerability, each
 * validated on its own (errors name the entry index and field). The declared `count` must
 * equal the number of entries, which catches a truncated or edited catalog.
 */
export async function* parseKev(
  input: Readable,
  opts: ParseOptions,
): AsyncGenerator<KevItem, void, undefined> {
  const { fileName, signal } = opts;
  const header: Partial<KevHeader> = {};
  const seen = new Set<string>();
  let metaSent = false;
  // Only when a producer wrote the header after the array (never CISA's own order) do
  // records wait here for it; the catalog is small enough for that.
  const waiting: KevRecord[] = [];
  let entries = 0;

  const meta = (): KevMeta => {
    const missing = KEV_REQUIRED_TOP.filter((k) => !seen.has(k));
    if (missing.length > 0)
      throw feedMalformed(fileName, null, `missing required field(s): ${missing.join(', ')}`);
    const h = header as KevHeader;
    return {
      type: 'meta',
      kind: 'kev',
      fileName,
      version: h.catalogVersion,
      date: new Date(h.dateReleased).toISOString(),
      recordCount: h.count,
      catalogVersion: h.catalogVersion,
      dateReleased: h.dateReleased,
      count: h.count,
      title: h.title ?? null,
    };
  };
  const headerComplete = (): boolean =>
    seen.has('catalogVersion') && seen.has('dateReleased') && seen.has('count');

  const events = walkJson(decodedBytes(input, fileName, signal), {
    fileName,
    signal,
    mode: 'members',
    streamKeys: new Set(['vulnerabilities']),
  });
  for await (const event of events) {
    if (event.type === 'member') {
      if (!(event.key in kevHeaderSchema.shape)) continue;
      const field = kevHeaderSchema.shape[event.key as keyof KevHeader];
      const parsed = field.safeParse(event.value);
      if (!parsed.success)
        throw feedMalformed(fileName, event.key, parsed.error.issues[0]?.message ?? 'invalid');
      (header as Record<string, unknown>)[event.key] = parsed.data;
      seen.add(event.key);
    } else if (event.type === 'arrayStart') {
      if (event.key === null)
        throw feedMalformed(fileName, null, 'expected the catalog object, found an array');
      seen.add('vulnerabilities');
      if (headerComplete()) {
        metaSent = true;
        yield meta();
      }
    } else if (event.type === 'element') {
      entries += 1;
      const record = toRecord(fileName, event.index, event.value);
      if (metaSent) yield record;
      else waiting.push(record);
    }
  }
  if (!metaSent) {
    yield meta();
    yield* waiting;
  }
  const declared = header.count ?? 0;
  if (declared !== entries)
    throw feedMalformed(
      fileName,
      'count',
      `the catalog declares ${declared} vulnerabilities but holds ${entries}`,
    );
}

function toRecord(fileName: string, index: number, value: unknown): KevRecord {
  const parsed = kevVulnerabilitySchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = formatPath(`vulnerabilities[${index}]`, issue?.path ?? []);
    throw feedMalformed(fileName, path, issue?.message ?? 'invalid entry');
  }
  const v = parsed.data;
  return {
    type: 'kev',
    cveID: v.cveID,
    vendorProject: v.vendorProject,
    product: v.product,
    vulnerabilityName: v.vulnerabilityName,
    dateAdded: v.dateAdded,
    shortDescription: v.shortDescription,
    requiredAction: v.requiredAction,
    dueDate: v.dueDate,
    knownRansomwareCampaignUse: v.knownRansomwareCampaignUse ?? 'Unknown',
    notes: v.notes ?? null,
    cwes: v.cwes ?? [],
  };
}
