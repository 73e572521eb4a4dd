import type { Readable } from 'node:stream';
import { z } from 'zod';
import { toUtcIso } from './dates';
import { decodedBytes } from './decompress';
import { feedMalformed, formatPath } from './errors';
import { walkJson } from './json-walk';
import type { CvssScore, FeedMetaBase, ParseOptions } from './types';

/**
 * CVE JSON 5 records (cvelistV5): a single record file, a JSON array of records, or JSON
 * lines (one record per line). Besides the CNA container, the ADP containers are read, in
 * particular CISA's "vulnrichment" ADP, which carries SSVC decision points
 * (`metrics[].other.type === "ssvc"`), CVSS and CWE that the CNA did not provide.
 */
export type Cve5Meta = FeedMetaBase<'cve5'>;

export type SsvcExploitation = 'none' | 'poc' | 'active';

export interface Cve5Ssvc {
  exploitation: SsvcExploitation | null;
  automatable: 'yes' | 'no' | null;
  technicalImpact: 'partial' | 'total' | null;
  /** The container that asserted it: 'cna' or the ADP's shortName (e.g. "CISA-ADP"). */
  provider: string;
  role: string | null;
  version: string | null;
  timestamp: string | null;
}

export interface Cve5Cvss extends CvssScore {
  provider: string;
}

export interface Cve5Record {
  type: 'cve5';
  cveId: string;
  state: 'PUBLISHED' | 'REJECTED';
  assigner: string | null;
  /** ISO 8601 UTC. */
  datePublished: string | null;
  dateUpdated: string | null;
  title: string | null;
  /** English description from the CNA container. */
  description: string | null;
  /** From the CNA and every ADP problemTypes, deduplicated. */
  cwes: string[];
  references: string[];
  /** Every CVSS score in the CNA and ADP metrics, newest CVSS version first. */
  cvss: Cve5Cvss[];
  /** SSVC decision points; CISA's ADP wins when several containers carry them. */
  ssvc: Cve5Ssvc | null;
  /** Date CISA added the CVE to KEV, when an ADP says so (`other.type === "kev"`). */
  kevDateAdded: string | null;
}

export type Cve5Item = Cve5Meta | Cve5Record;

const CVE_ID = /^CVE-\d{4}-\d{4,19}$/;
const CWE_ID = /^CWE-\d+$/;
const CISA_ADP = 'CISA-ADP';

const cvssSchema = z.object({
  version: z.string().optional(),
  baseScore: z.number().min(0).max(10),
  vectorString: z.string().optional(),
  baseSeverity: z.string().optional(),
});
const CVSS_KEYS = [
  ['cvssV4_0', '4.0'],
  ['cvssV3_1', '3.1'],
  ['cvssV3_0', '3.0'],
  ['cvssV2_0', '2.0'],
] as const;

const metricSchema = z.object({
  cvssV4_0: cvssSchema.optional(),
  cvssV3_1: cvssSchema.optional(),
  cvssV3_0: cvssSchema.optional(),
  cvssV2_0: cvssSchema.optional(),
  other: z.object({ type: z.string(), content: z.unknown() }).optional(),
});

const containerSchema = z.object({
  providerMetadata: z.object({ shortName: z.string().optional() }).optional(),
  title: z.string().optional(),
  descriptions: z.array(z.object({ lang: z.string(), value: z.string() })).optional(),
  problemTypes: z
    .array(
      z.object({
        descriptions: z.array(
          z.object({ cweId: z.string().optional(), description: z.string().optional() }),
        ),
      }),
    )
    .optional(),
  metrics: z.array(metricSchema).optional(),
  references: z.array(z.object({ url: z.string() })).optional(),
});
type Container = z.infer<typeof containerSchema>;

const isoDate = z
  .string()
  .refine((s) => toUtcIso(s) !== null, 'expected an ISO 8601 date-time')
  .transform((s) => toUtcIso(s) ?? s);

export const cve5RecordSchema = z.object({
  dataType: z.literal('CVE_RECORD'),
  dataVersion: z.string(),
  cveMetadata: z.object({
    cveId: z.string().regex(CVE_ID, 'expected CVE-YYYY-NNNN'),
    state: z.enum(['PUBLISHED', 'REJECTED']),
    assignerShortName: z.string().optional(),
    datePublished: isoDate.optional(),
    dateUpdated: isoDate.optional(),
  }),
  containers: z.object({ cna: containerSchema, adp: z.array(containerSchema).optional() }),
});
type Cve5Parsed = z.infer<typeof cve5RecordSchema>;

// SSVC 2.0.x values as CISA writes them (lower case; compared case-insensitively).
const ssvcContentSchema = z.object({
  role: z.string().optional(),
  version: z.string().optional(),
  timestamp: z.string().optional(),
  options: z.array(z.record(z.string(), z.string())),
});
const SSVC_VALUES = {
  exploitation: ['none', 'poc', 'active'],
  automatable: ['yes', 'no'],
  'technical impact': ['partial', 'total'],
} as const;

export async function* parseCve5(
  input: Readable,
  opts: ParseOptions,
): AsyncGenerator<Cve5Item, void, undefined> {
  const { fileName, signal } = opts;
  let metaSent = false;
  const meta: Cve5Meta = {
    type: 'meta',
    kind: 'cve5',
    fileName,
    version: null,
    date: null,
    recordCount: null,
  };

  const events = walkJson(decodedBytes(input, fileName, signal), {
    fileName,
    signal,
    mode: 'values',
  });
  for await (const event of events) {
    if (!metaSent) {
      metaSent = true;
      yield meta;
    }
    if (event.type === 'element') {
      if (event.key !== null) continue;
      yield toRecord(fileName, `[${event.index}]`, event.value);
    } else if (event.type === 'value') {
      yield toRecord(fileName, `record ${event.index + 1}`, event.value);
    }
  }
}

function toRecord(fileName: string, where: string, value: unknown): Cve5Record {
  const parsed = cve5RecordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = formatPath('', issue?.path ?? []);
    throw feedMalformed(
      fileName,
      field === '' ? where : `${where} ${field}`,
      issue?.message ?? '?',
    );
  }
  return extract(fileName, where, parsed.data);
}

function extract(fileName: string, where: string, r: Cve5Parsed): Cve5Record {
  const { cna } = r.containers;
  const adps = r.containers.adp ?? [];
  const containers: { provider: string; c: Container; path: string }[] = [
    { provider: 'cna', c: cna, path: 'containers.cna' },
    ...adps.map((c, i) => ({
      provider: c.providerMetadata?.shortName ?? `adp[${i}]`,
      c,
      path: `containers.adp[${i}]`,
    })),
  ];

  const cvss: Cve5Cvss[] = [];
  const ssvcs: Cve5Ssvc[] = [];
  let kevDateAdded: string | null = null;
  for (const { provider, c, path } of containers) {
    (c.metrics ?? []).forEach((metric, i) => {
      for (const [key, version] of CVSS_KEYS) {
        const score = metric[key];
        if (score === undefined) continue;
        cvss.push({
          version: score.version ?? version,
          baseScore: score.baseScore,
          vectorString: score.vectorString ?? null,
          baseSeverity: score.baseSeverity ?? null,
          provider,
        });
      }
      const other = metric.other;
      if (other?.type === 'ssvc')
        ssvcs.push(
          readSsvc(
            fileName,
            `${where} ${path}.metrics[${i}].other.content`,
            provider,
            other.content,
          ),
        );
      if (other?.type === 'kev') kevDateAdded ??= readKevDate(other.content);
    });
  }
  const order = CVSS_KEYS.map(([, v]) => v as string);
  cvss.sort((a, b) => order.indexOf(a.version) - order.indexOf(b.version));

  const cwes = containers.flatMap(({ c }) =>
    (c.problemTypes ?? []).flatMap((p) =>
      p.descriptions.map((d) => d.cweId ?? /^CWE-\d+/.exec(d.description ?? '')?.[0] ?? ''),
    ),
  );

  return {
    type: 'cve5',
    cveId: r.cveMetadata.cveId,
    state: r.cveMetadata.state,
    assigner: r.cveMetadata.assignerShortName ?? null,
    datePublished: r.cveMetadata.datePublished ?? null,
    dateUpdated: r.cveMetadata.dateUpdated ?? null,
    title: cna.title ?? null,
    description:
      cna.descriptions?.find((d) => d.lang.toLowerCase().startsWith('en'))?.value ?? null,
    cwes: [...new Set(cwes.filter((id) => CWE_ID.test(id)))],
    references: [
      ...new Set(containers.flatMap(({ c }) => (c.references ?? []).map((ref) => ref.url))),
    ],
    cvss,
    ssvc: ssvcs.find((s) => s.provider === CISA_ADP) ?? ssvcs[0] ?? null,
    kevDateAdded,
  };
}

function readSsvc(fileName: string, where: string, provider: string, content: unknown): Cve5Ssvc {
  const parsed = ssvcContentSchema.safeParse(content);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw feedMalformed(fileName, formatPath(where, issue?.path ?? []), issue?.message ?? '?');
  }
  const found: Record<string, string> = {};
  parsed.data.options.forEach((option, i) => {
    for (const [rawKey, rawValue] of Object.entries(option)) {
      const key = rawKey.toLowerCase();
      const value = rawValue.toLowerCase();
      if (!(key in SSVC_VALUES)) continue;
      const allowed: readonly string[] = SSVC_VALUES[key as keyof typeof SSVC_VALUES];
      if (!allowed.includes(value))
        throw feedMalformed(
          fileName,
          `${where}.options[${i}]`,
          `SSVC ${rawKey} "${rawValue}" is not one of ${allowed.join(', ')}`,
        );
      found[key] = value;
    }
  });
  return {
    exploitation: (found.exploitation as SsvcExploitation | undefined) ?? null,
    automatable: (found.automatable as 'yes' | 'no' | undefined) ?? null,
    technicalImpact: (found['technical impact'] as 'partial' | 'total' | undefined) ?? null,
    provider,
    role: parsed.data.role ?? null,
    version: parsed.data.version ?? null,
    timestamp: parsed.data.timestamp ?? null,
  };
}

function readKevDate(content: unknown): string | null {
  const parsed = z.object({ dateAdded: z.string() }).safeParse(content);
  return parsed.success ? parsed.data.dateAdded : null;
}
