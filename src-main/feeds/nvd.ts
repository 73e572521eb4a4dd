import type { Readable } from 'node:stream';
import { z } from 'zod';
import { toUtcIso } from './dates';
import { decodedBytes } from './decompress';
import { feedMalformed, formatPath } from './errors';
import { walkJson } from './json-walk';
import type { CvssScore, FeedMetaBase, ParseOptions } from './types';

/**
 * NVD CVE API 2.0 JSON: an API response page or NVD's yearly 2.0 feed
 * (`{resultsPerPage, startIndex, totalResults, format: "NVD_CVE", version: "2.0", timestamp,
 * vulnerabilities: [{cve}]}`), and the community rebuild's yearly files
 * (`{timestamp, cve_count, feed_name, source, cve_items: [cve]}`, shipped as .json.xz).
 * Plain, gzip or xz. `vulnerabilities[]` / `cve_items[]` stream one element at a time.
 */
export interface NvdMeta extends FeedMetaBase<'nvd'> {
  format: string | null;
  totalResults: number | null;
  startIndex: number | null;
  /** The community rebuild's feed name (e.g. "CVE-2024"); null for NVD's own files. */
  feedName: string | null;
}

export interface NvdCvss extends CvssScore {
  /** Who scored it (nvd@nist.gov or the CNA's address). */
  source: string | null;
  /** NVD's "Primary" (its own or the CNA's authoritative score) or "Secondary". */
  metricType: string | null;
}

export interface NvdRecord {
  type: 'nvd';
  id: string;
  /** ISO 8601 UTC (NVD writes UTC without a zone; the Z is added). */
  published: string;
  lastModified: string;
  vulnStatus: string | null;
  /** The English description; null when NVD has none (e.g. some rejected CVEs). */
  description: string | null;
  /** CVSS v3.1, else v3.0. */
  cvss3: NvdCvss | null;
  cvss2: NvdCvss | null;
  cvss4: NvdCvss | null;
  /** CWE-NNN ids, deduplicated; NVD-CWE-Other and NVD-CWE-noinfo are dropped. */
  cwes: string[];
  /** Reference URLs, deduplicated, in file order. */
  references: string[];
}

export type NvdItem = NvdMeta | NvdRecord;

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const CWE_ID = /^CWE-\d+$/;
const ARRAY_KEYS = new Set(['vulnerabilities', 'cve_items']);

const nvdDate = z
  .string()
  .refine((s) => toUtcIso(s) !== null, 'expected an ISO 8601 date-time')
  .transform((s) => toUtcIso(s) ?? s);
const cvssDataSchema = z.object({
  version: z.string(),
  baseScore: z.number().min(0).max(10),
  vectorString: z.string().optional(),
  baseSeverity: z.string().optional(),
});
const metricSchema = z.object({
  source: z.string().optional(),
  type: z.string().optional(),
  cvssData: cvssDataSchema,
  // CVSS v2 keeps the severity next to cvssData, not inside it.
  baseSeverity: z.string().optional(),
});
const langString = z.object({ lang: z.string(), value: z.string() });

export const nvdCveSchema = z.object({
  id: z.string().regex(CVE_ID, 'expected CVE-YYYY-NNNN'),
  published: nvdDate,
  lastModified: nvdDate,
  vulnStatus: z.string().optional(),
  descriptions: z.array(langString),
  metrics: z
    .object({
      cvssMetricV40: z.array(metricSchema).optional(),
      cvssMetricV31: z.array(metricSchema).optional(),
      cvssMetricV30: z.array(metricSchema).optional(),
      cvssMetricV2: z.array(metricSchema).optional(),
    })
    .optional(),
  weaknesses: z.array(z.object({ description: z.array(langString) })).optional(),
  references: z.array(z.object({ url: z.string() })).optional(),
});
type NvdCve = z.infer<typeof nvdCveSchema>;
type Metric = z.infer<typeof metricSchema>;

export async function* parseNvd(
  input: Readable,
  opts: ParseOptions,
): AsyncGenerator<NvdItem, void, undefined> {
  const { fileName, signal } = opts;
  const members = new Map<string, unknown>();
  let arrayKey: string | null = null;

  const events = walkJson(decodedBytes(input, fileName, signal), {
    fileName,
    signal,
    mode: 'members',
    streamKeys: ARRAY_KEYS,
  });
  for await (const event of events) {
    if (event.type === 'member') {
      members.set(event.key, event.value);
      checkHeader(fileName, members);
    } else if (event.type === 'arrayStart') {
      if (event.key === null)
        throw feedMalformed(fileName, null, 'expected an NVD response object, found an array');
      if (arrayKey !== null)
        throw feedMalformed(fileName, event.key, `both "${arrayKey}" and "${event.key}" present`);
      arrayKey = event.key;
      yield buildMeta(fileName, members);
    } else if (event.type === 'element') {
      yield toRecord(fileName, `${event.key ?? ''}[${event.index}]`, event.value);
    }
  }
  if (arrayKey === null)
    throw feedMalformed(fileName, null, 'no "vulnerabilities" array: not an NVD CVE API 2.0 file');
}

function checkHeader(fileName: string, members: Map<string, unknown>): void {
  const format = members.get('format');
  if (format !== undefined && format !== 'NVD_CVE')
    throw feedMalformed(fileName, 'format', `expected "NVD_CVE", found ${JSON.stringify(format)}`);
  const version = members.get('version');
  if (version !== undefined && version !== '2.0')
    throw feedMalformed(
      fileName,
      'version',
      `NVD format version ${JSON.stringify(version)} is not supported (VulnZero reads 2.0)`,
    );
}

function buildMeta(fileName: string, members: Map<string, unknown>): NvdMeta {
  const num = (key: string): number | null => {
    const v = members.get(key);
    return typeof v === 'number' && Number.isInteger(v) ? v : null;
  };
  const str = (key: string): string | null => {
    const v = members.get(key);
    return typeof v === 'string' ? v : null;
  };
  const timestamp = str('timestamp');
  return {
    type: 'meta',
    kind: 'nvd',
    fileName,
    version: str('version'),
    date: timestamp === null ? null : toUtcIso(timestamp),
    recordCount: num('resultsPerPage') ?? num('cve_count'),
    format: str('format'),
    totalResults: num('totalResults'),
    startIndex: num('startIndex'),
    feedName: str('feed_name'),
  };
}

function toRecord(fileName: string, where: string, value: unknown): NvdRecord {
  // API pages wrap each CVE as {cve: {...}}; the community rebuild lists the CVE objects.
  const wrapped = typeof value === 'object' && value !== null && 'cve' in value && !('id' in value);
  const cve: unknown = wrapped ? value.cve : value;
  const prefix = wrapped ? `${where}.cve` : where;
  const parsed = nvdCveSchema.safeParse(cve);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw feedMalformed(fileName, formatPath(prefix, issue?.path ?? []), issue?.message ?? '?');
  }
  return extract(parsed.data);
}

function extract(c: NvdCve): NvdRecord {
  const m = c.metrics ?? {};
  return {
    type: 'nvd',
    id: c.id,
    published: c.published,
    lastModified: c.lastModified,
    vulnStatus: c.vulnStatus ?? null,
    description: c.descriptions.find((d) => d.lang === 'en')?.value ?? null,
    cvss3: pickMetric(m.cvssMetricV31) ?? pickMetric(m.cvssMetricV30),
    cvss2: pickMetric(m.cvssMetricV2),
    cvss4: pickMetric(m.cvssMetricV40),
    cwes: unique((c.weaknesses ?? []).flatMap((w) => w.description.map((d) => d.value))).filter(
      (id) => CWE_ID.test(id),
    ),
    references: unique((c.references ?? []).map((r) => r.url)),
  };
}

/** NVD's own Primary score first, then any Primary (a CNA's), then the first listed. */
function pickMetric(metrics: Metric[] | undefined): NvdCvss | null {
  if (metrics === undefined || metrics.length === 0) return null;
  const chosen =
    metrics.find((x) => x.type === 'Primary' && x.source === 'nvd@nist.gov') ??
    metrics.find((x) => x.type === 'Primary') ??
    metrics[0];
  if (chosen === undefined) return null;
  return {
    version: chosen.cvssData.version,
    baseScore: chosen.cvssData.baseScore,
    vectorString: chosen.cvssData.vectorString ?? null,
    baseSeverity: chosen.cvssData.baseSeverity ?? chosen.baseSeverity ?? null,
    source: chosen.source ?? null,
    metricType: chosen.type ?? null,
  };
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
