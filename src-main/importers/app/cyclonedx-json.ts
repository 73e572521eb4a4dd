/**
 * CycloneDX JSON (1.2 to 1.6): `metadata` (the described software, the tools), then
 * `components[]` (nested `components` inside), ..., `vulnerabilities[]`. Components are
 * streamed one top-level entry at a time into a ComponentIndex (bom-ref -> name, version,
 * purl: what a finding needs, not the component). Vulnerabilities read before the index
 * and metadata are complete (a writer may put them first) wait in a RecordSpool until the
 * end of the document.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { walkJson, type JsonImporterOptions } from '../tabular/json-stream';
import type { ImportRecord, NormalizedAsset, ParseContext, ScanInfo } from '../types';
import { toIsoDate } from '../common/dates';
import { toImportError } from '../common/import-errors';
import {
  describeIssues,
  objectList,
  optionalNumber,
  optionalObject,
  optionalString,
  stringList,
} from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { RecordSpool } from '../common/record-spool';
import { cleanText } from '../common/text';
import { ComponentIndex, cdxFindings, toComponent, type CdxVulnerability } from './cyclonedx-model';
import { softwareAsset, softwareAssetOr } from './software-asset';

const source = optionalObject({ name: optionalString, url: optionalString });

const vulnerabilitySchema = z.looseObject({
  id: optionalString,
  source,
  references: objectList({ id: optionalString, source }),
  ratings: objectList({
    source,
    score: optionalNumber,
    severity: optionalString,
    method: optionalString,
    vector: optionalString,
  }),
  cwes: z
    .array(z.union([z.number(), z.string()]))
    .optional()
    .catch(undefined),
  description: optionalString,
  detail: optionalString,
  recommendation: optionalString,
  advisories: objectList({ url: optionalString }),
  analysis: optionalObject({
    state: optionalString,
    justification: optionalString,
    response: stringList,
    detail: optionalString,
  }),
  affects: objectList({
    ref: z.string().min(1),
    versions: objectList({
      version: optionalString,
      range: optionalString,
      status: optionalString,
    }),
  }),
});

function toVulnerability(v: z.infer<typeof vulnerabilitySchema>): CdxVulnerability {
  const out: CdxVulnerability = {
    references: (v.references ?? []).map((r) => ({
      ...(r.id ? { id: r.id } : {}),
      ...(r.source?.url ? { url: r.source.url } : {}),
    })),
    ratings: (v.ratings ?? []).map((r) => ({
      ...(r.source?.name ? { source: r.source.name } : {}),
      ...(r.score !== undefined ? { score: r.score } : {}),
      ...(r.severity ? { severity: r.severity } : {}),
      ...(r.method ? { method: r.method } : {}),
      ...(r.vector ? { vector: r.vector } : {}),
    })),
    cwes: v.cwes ?? [],
    advisories: (v.advisories ?? []).flatMap((a) => (a.url ? [a.url] : [])),
    affects: (v.affects ?? []).map((a) => ({
      ref: a.ref,
      versions: (a.versions ?? []).map((x) => ({
        ...(x.version ? { version: x.version } : {}),
        ...(x.range ? { range: x.range } : {}),
        ...(x.status ? { status: x.status } : {}),
      })),
    })),
  };
  if (v.id) out.id = v.id;
  if (v.source?.name) out.sourceName = v.source.name;
  if (v.source?.url) out.sourceUrl = v.source.url;
  if (v.description) out.description = v.description;
  if (v.detail) out.detail = v.detail;
  if (v.recommendation) out.recommendation = v.recommendation;
  if (v.analysis) {
    out.analysis = { responses: v.analysis.response ?? [] };
    if (v.analysis.state) out.analysis.state = v.analysis.state;
    if (v.analysis.justification) out.analysis.justification = v.analysis.justification;
    if (v.analysis.detail) out.analysis.detail = v.analysis.detail;
  }
  return out;
}

const componentSchema = z.looseObject({
  'bom-ref': optionalString,
  name: optionalString,
  version: optionalString,
  group: optionalString,
  purl: optionalString,
  evidence: optionalObject({ occurrences: objectList({ location: optionalString }) }),
  components: z.array(z.unknown()).optional().catch(undefined),
});

const toolsSchema = z.union([
  z.array(z.looseObject({ vendor: optionalString, name: optionalString, version: optionalString })),
  z.looseObject({
    components: objectList({
      name: optionalString,
      version: optionalString,
      group: optionalString,
    }),
    services: objectList({ name: optionalString, version: optionalString }),
  }),
]);

const metadataSchema = z.looseObject({
  timestamp: optionalString,
  tools: toolsSchema.optional().catch(undefined),
  component: optionalObject({
    name: optionalString,
    version: optionalString,
    group: optionalString,
    purl: optionalString,
  }),
});

const rootSchema = z.looseObject({
  bomFormat: optionalString,
  metadata: metadataSchema.optional().catch(undefined),
});

/** Indexes a component and its nested components (depth-first, bounded by the entry). */
function indexComponent(index: ComponentIndex, value: unknown, depth = 0): void {
  if (depth > 64) return;
  const parsed = componentSchema.safeParse(value);
  if (!parsed.success) return;
  const c = parsed.data;
  index.add(c['bom-ref'], toComponent({ ...c, path: c.evidence?.occurrences?.[0]?.location }));
  for (const child of c.components ?? []) indexComponent(index, child, depth + 1);
}

export interface CdxDocumentInfo {
  scan: ScanInfo;
  asset: NormalizedAsset;
}

/** Scan record and software asset from `metadata` (docs/importers-app.md). */
export function cdxDocumentInfo(
  fields: Readonly<Record<string, unknown>>,
  fileName: string,
  notes: NoteCollector,
): CdxDocumentInfo {
  const root = rootSchema.safeParse(fields);
  const metadata = root.success ? root.data.metadata : undefined;
  const tools = metadata?.tools;
  const tool = Array.isArray(tools) ? tools[0] : (tools?.components?.[0] ?? tools?.services?.[0]);
  const scan: ScanInfo = { scanner: cleanText(tool?.name) ?? 'CycloneDX' };
  if (tool?.version) scan.scannerVersion = tool.version;
  const started = toIsoDate(metadata?.timestamp);
  if (started) scan.startedAt = started;
  const subject = metadata?.component ? toComponent(metadata.component) : undefined;
  const asset = softwareAssetOr(
    subject ? softwareAsset(subject.name, subject.version) : undefined,
    fileName,
    notes,
    'the BOM names no metadata.component',
  );
  return { scan, asset };
}

const spooledSchema = z.object({ where: z.string(), value: z.unknown() });

export async function* parseCycloneDxJson(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const index = new ComponentIndex();
  const spool = new RecordSpool((value) => spooledSchema.parse(value), options.spoolMemoryChars);
  let info: CdxDocumentInfo | undefined;
  let componentsDone = false;
  let rootFields: Readonly<Record<string, unknown>> = {};

  function* vulnerabilityRecords(
    value: unknown,
    where: string,
    doc: CdxDocumentInfo,
  ): Generator<ImportRecord> {
    const parsed = vulnerabilitySchema.safeParse(value);
    if (!parsed.success) {
      notes.add(
        `${where}: skipped, not a CycloneDX vulnerability (${describeIssues(parsed.error)}).`,
      );
      yield* out.pendingNotes();
      return;
    }
    const vuln = toVulnerability(parsed.data);
    const targets = vuln.affects.map((a) => index.target(a.ref));
    const findingCtx = { scanner: doc.scan.scanner, asset: doc.asset, notes, where };
    for (const finding of cdxFindings(vuln, targets, findingCtx))
      yield* out.finding(finding, where);
    yield* out.pendingNotes();
  }

  function* start(
    fields: Readonly<Record<string, unknown>>,
  ): Generator<ImportRecord, CdxDocumentInfo> {
    const root = rootSchema.safeParse(fields);
    const format = root.success ? root.data.bomFormat : undefined;
    if (format !== undefined && format !== 'CycloneDX') {
      throw malformed(fileName, `not a CycloneDX BOM: bomFormat is "${format}"`);
    }
    const doc = cdxDocumentInfo(fields, fileName, notes);
    yield* out.scan(doc.scan);
    yield* out.asset(doc.asset);
    return doc;
  }

  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [
        ['components', '*'],
        ['vulnerabilities', '*'],
      ],
      skip: [
        ['dependencies'],
        ['compositions'],
        ['services'],
        ['externalReferences'],
        ['annotations'],
        ['formulation'],
        ['declarations'],
        ['definitions'],
        ['signature'],
      ],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object')
          throw malformed(fileName, 'not a CycloneDX BOM: the document is not a JSON object');
        continue;
      }
      if (event.kind === 'close') {
        if (event.frame.path.length === 0) rootFields = event.frame.fields;
        if (event.frame.path.length === 1 && event.frame.path[0] === 'components')
          componentsDone = true;
        continue;
      }
      if (event.path[0] === 'components') {
        indexComponent(index, event.value);
        continue;
      }
      const where = `vulnerabilities[${String(event.path[1])}]`;
      const fields = event.frames[0]?.fields ?? {};
      if (info === undefined && componentsDone && 'metadata' in fields) info = yield* start(fields);
      if (info === undefined) await spool.push({ where, value: event.value });
      else yield* vulnerabilityRecords(event.value, where, info);
    }
    if (!('bomFormat' in rootFields) && !('specVersion' in rootFields)) {
      throw malformed(fileName, 'not a CycloneDX BOM: no "bomFormat" or "specVersion"');
    }
    info ??= yield* start(rootFields);
    for await (const held of spool.drain())
      yield* vulnerabilityRecords(held.value, held.where, info);
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  } finally {
    await spool.dispose();
  }
}
