/**
 * Dependency-Check JSON (`--format JSON`, reportSchema 1.1): `scanInfo`, `projectInfo`,
 * then `dependencies[]`, each read whole (one dependency with its evidence and
 * vulnerabilities at a time).
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
  optionalObject,
  optionalString,
  stringList,
} from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { cleanText } from '../common/text';
import {
  DC_SCANNER,
  dcScore,
  dependencyFindings,
  type DcDependency,
} from './dependency-check-model';
import { softwareAsset, softwareAssetOr } from './software-asset';

const software = z.looseObject({
  id: optionalString,
  vulnerabilityIdMatched: z.union([z.string(), z.boolean()]).optional().catch(undefined),
  versionEndExcluding: optionalString,
});

const dependencySchema = z.looseObject({
  fileName: optionalString,
  filePath: optionalString,
  packages: objectList({ id: optionalString }),
  vulnerabilities: objectList({
    source: optionalString,
    name: optionalString,
    severity: optionalString,
    cvssv2: optionalObject({ score: z.unknown().optional() }),
    cvssv3: optionalObject({ baseScore: z.unknown().optional() }),
    cwes: stringList,
    description: optionalString,
    references: objectList({ url: optionalString }),
    vulnerableSoftware: objectList({ software: software.optional().catch(undefined) }),
  }),
  suppressedVulnerabilities: z.array(z.unknown()).optional().catch(undefined),
});

const rootSchema = z.looseObject({
  scanInfo: optionalObject({ engineVersion: optionalString }),
  projectInfo: optionalObject({
    name: optionalString,
    version: optionalString,
    artifactID: optionalString,
    reportDate: optionalString,
  }),
});

export function dcStart(
  project:
    | {
        name?: string | undefined;
        version?: string | undefined;
        artifactID?: string | undefined;
        reportDate?: string | undefined;
      }
    | undefined,
  engineVersion: string | undefined,
  fileName: string,
  notes: NoteCollector,
): { scan: ScanInfo; asset: NormalizedAsset } {
  const scan: ScanInfo = { scanner: DC_SCANNER };
  if (engineVersion) scan.scannerVersion = engineVersion;
  const date = toIsoDate(project?.reportDate);
  if (date) scan.startedAt = date;
  const asset = softwareAssetOr(
    softwareAsset(cleanText(project?.name) ?? cleanText(project?.artifactID), project?.version),
    fileName,
    notes,
    'the report names no project (projectInfo.name; Dependency-Check does not record the scanned path)',
  );
  return { scan, asset };
}

export async function* parseDependencyCheckJson(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  let started: { scan: ScanInfo; asset: NormalizedAsset } | undefined;
  let rootFields: Readonly<Record<string, unknown>> = {};
  let sawDependencies = false;
  let suppressed = 0;
  const start = function* (
    fields: Readonly<Record<string, unknown>>,
  ): Generator<ImportRecord, { scan: ScanInfo; asset: NormalizedAsset }> {
    if (started) return started;
    const root = rootSchema.safeParse(fields);
    const data = root.success ? root.data : undefined;
    started = dcStart(data?.projectInfo, data?.scanInfo?.engineVersion, fileName, notes);
    yield* out.scan(started.scan);
    yield* out.asset(started.asset);
    return started;
  };
  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [['dependencies', '*']],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object')
          throw malformed(
            fileName,
            'not a Dependency-Check report: the document is not a JSON object',
          );
        continue;
      }
      if (event.kind === 'close') {
        if (event.frame.path.length === 0) rootFields = event.frame.fields;
        if (event.frame.path.length === 1 && event.frame.path[0] === 'dependencies')
          sawDependencies = true;
        continue;
      }
      const { asset } = yield* start(event.frames[0]?.fields ?? {});
      const where = `dependencies[${String(event.path[1])}]`;
      const parsed = dependencySchema.safeParse(event.value);
      if (!parsed.success) {
        notes.add(
          `${where}: skipped, not a Dependency-Check dependency (${describeIssues(parsed.error)}).`,
        );
        yield* out.pendingNotes();
        continue;
      }
      const d = parsed.data;
      suppressed += d.suppressedVulnerabilities?.length ?? 0;
      const dep: DcDependency = {
        packages: (d.packages ?? []).flatMap((p) => (p.id ? [p.id] : [])),
        suppressed: 0,
        vulnerabilities: (d.vulnerabilities ?? []).map((v) => {
          const matched = (v.vulnerableSoftware ?? [])
            .map((s) => s.software)
            .find(
              (s) => s?.vulnerabilityIdMatched === true || s?.vulnerabilityIdMatched === 'true',
            );
          const cvss2 = dcScore(v.cvssv2?.score);
          const cvss3 = dcScore(v.cvssv3?.baseScore);
          return {
            cwes: v.cwes ?? [],
            references: (v.references ?? []).flatMap((r) => (r.url ? [r.url] : [])),
            ...(v.source ? { source: v.source } : {}),
            ...(v.name ? { name: v.name } : {}),
            ...(v.severity ? { severity: v.severity } : {}),
            ...(cvss2 !== undefined ? { cvss2 } : {}),
            ...(cvss3 !== undefined ? { cvss3 } : {}),
            ...(v.description ? { description: v.description } : {}),
            ...(matched?.versionEndExcluding ? { fixedVersion: matched.versionEndExcluding } : {}),
          };
        }),
      };
      if (d.fileName) dep.fileName = d.fileName;
      if (d.filePath) dep.filePath = d.filePath;
      for (const finding of dependencyFindings(dep, { asset, notes, where }))
        yield* out.finding(finding, where);
      yield* out.pendingNotes();
    }
    if (!sawDependencies && !('dependencies' in rootFields) && !('reportSchema' in rootFields)) {
      throw malformed(fileName, 'not a Dependency-Check report: no "dependencies"');
    }
    yield* start(rootFields);
    if (suppressed > 0)
      notes.add(`${suppressed} suppressed vulnerabilit(y/ies) were not imported.`);
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}
