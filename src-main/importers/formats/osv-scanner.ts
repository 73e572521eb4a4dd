/**
 * "osv_scanner": OSV-Scanner JSON (`osv-scanner --format json`): `results[]`, one per
 * scanned source (`source.path`, `source.type`: lockfile, sbom, git, docker), each with
 * `packages[]` (package, OSV `vulnerabilities[]`, alias `groups[]`).
 *
 * One software asset per source: the directory of a lockfile or SBOM (the project), the
 * path itself for other source types (a git checkout, an image). The lockfile path is the
 * component's path. One finding per package and alias group (app/osv-model.ts).
 * A package read before its result's `source` (not OSV-Scanner's order, but valid JSON) is
 * held in a RecordSpool until the result closes.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { walkJson, type JsonFrame, type JsonImporterOptions } from '../tabular/json-stream';
import type { ImportRecord, Importer, NormalizedAsset, ParseContext } from '../types';
import { toImportError } from '../common/import-errors';
import { describeIssues, optionalObject, optionalString } from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { RecordSpool } from '../common/record-spool';
import { cleanValue } from '../common/text';
import {
  groupFinding,
  groupsOf,
  osvPackageSchema,
  osvVulnerabilitySchema,
  type OsvVulnerability,
} from '../app/osv-model';
import { fileStem, softwareAsset } from '../app/software-asset';

const FORMAT = 'osv_scanner';
const SCANNER = 'OSV-Scanner';

const resultSchema = z.looseObject({
  source: optionalObject({ path: optionalString, type: optionalString }),
});

interface Source {
  asset: NormalizedAsset;
  path: string | undefined;
}

/** See the module comment: the project directory of a lockfile, else the scanned path. */
function sourceOf(fields: Readonly<Record<string, unknown>>, fileName: string): Source | undefined {
  if (!('source' in fields)) return undefined;
  const parsed = resultSchema.safeParse(fields);
  const source = parsed.success ? parsed.data.source : undefined;
  const path = cleanValue(source?.path);
  const type = source?.type?.toLowerCase();
  let name = path?.replace(/[\\/]+$/, '');
  if (path !== undefined && (type === 'lockfile' || type === 'sbom' || type === undefined)) {
    const dir = path.replace(/[\\/][^\\/]*$/, '');
    if (dir !== path && dir !== '' && dir !== '.') name = dir;
  }
  const asset = softwareAsset(name || path) ?? { software: { name: fileStem(fileName) } };
  return { asset, path };
}

const spooledSchema = z.object({ where: z.string(), value: z.unknown() });

async function* parseOsv(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const newSpool = () =>
    new RecordSpool((value) => spooledSchema.parse(value), options.spoolMemoryChars);
  let spool = newSpool();
  let held = 0;
  let sawResults = false;
  let packages = 0;

  function* packageRecords(value: unknown, source: Source, where: string): Generator<ImportRecord> {
    yield* out.scan({ scanner: SCANNER });
    yield* out.asset(source.asset);
    packages += 1;
    const parsed = osvPackageSchema.safeParse(value);
    if (!parsed.success) {
      notes.add(`${where}: skipped, not an OSV-Scanner package (${describeIssues(parsed.error)}).`);
      yield* out.pendingNotes();
      return;
    }
    const byId = new Map<string, OsvVulnerability>();
    for (const [i, raw] of (parsed.data.vulnerabilities ?? []).entries()) {
      const vuln = osvVulnerabilitySchema.safeParse(raw);
      if (vuln.success) byId.set(vuln.data.id, vuln.data);
      else
        notes.add(
          `${where}.vulnerabilities[${i}]: skipped, not an OSV record (${describeIssues(vuln.error)}).`,
        );
    }
    const findingCtx = {
      format: FORMAT,
      scanner: SCANNER,
      asset: source.asset,
      path: source.path,
      notes,
      where,
    };
    for (const group of groupsOf(parsed.data, [...byId.values()])) {
      const finding = groupFinding(parsed.data, group, byId, findingCtx);
      if (finding) yield* out.finding(finding, where);
    }
    yield* out.pendingNotes();
  }

  /** A result's coverage, and the packages held before its source was known. */
  async function* closeResult(frame: JsonFrame): AsyncGenerator<ImportRecord> {
    let source = sourceOf(frame.fields, fileName);
    if (source === undefined) {
      notes.add(
        `${describePath(frame.path)}: the result names no source; its asset is named after the file.`,
      );
      source = { asset: { software: { name: fileStem(fileName) } }, path: undefined };
    }
    yield* out.scan({ scanner: SCANNER });
    yield* out.asset(source.asset);
    if (held === 0) return;
    for await (const item of spool.drain()) yield* packageRecords(item.value, source, item.where);
    await spool.dispose();
    spool = newSpool();
    held = 0;
  }

  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [['results', '*', 'packages', '*']],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object') {
          throw malformed(fileName, 'not an OSV-Scanner report: the document is not a JSON object');
        }
        continue;
      }
      if (event.kind === 'close') {
        const { path } = event.frame;
        if (path.length === 1 && path[0] === 'results') sawResults = true;
        if (path.length === 2 && path[0] === 'results') yield* closeResult(event.frame);
        continue;
      }
      const where = describePath(event.path);
      const resultFields = event.frames[2]?.fields ?? {};
      const source = sourceOf(resultFields, fileName);
      if (source === undefined) {
        await spool.push({ where, value: event.value });
        held += 1;
      } else yield* packageRecords(event.value, source, where);
    }
    if (!sawResults) throw malformed(fileName, 'not an OSV-Scanner report: no "results" list');
    yield* out.scan({ scanner: SCANNER });
    if (packages === 0) notes.add('no vulnerable packages in the report.');
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  } finally {
    await spool.dispose();
  }
}

function describePath(path: readonly (string | number)[]): string {
  return path
    .map((s) => (typeof s === 'number' ? `[${s}]` : `.${s}`))
    .join('')
    .replace(/^\./, '');
}

export function createOsvScannerImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'OSV-Scanner JSON',
    hints:
      'JSON object with "results" of {"source": {"path", "type"}, "packages": [{"package", "vulnerabilities", "groups"}]}',
    sniff(head: string): number {
      if (!/^\s*\{/.test(head) || !/"results"\s*:\s*\[/.test(head)) return 0;
      const source =
        /"source"\s*:\s*\{\s*"path"\s*:/.test(head) ||
        /"source"\s*:\s*\{[^{}]*"type"\s*:\s*"(?:lockfile|sbom|git|docker|os)"/.test(head);
      if (!source) return 0;
      if (
        /"packages"\s*:\s*\[/.test(head) &&
        (/"groups"\s*:/.test(head) || /"ecosystem"\s*:/.test(head))
      )
        return 0.95;
      return /"experimental_config"\s*:/.test(head) ? 0.9 : 0.6;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseOsv(input, ctx, options);
    },
  };
}

export const osvScannerImporter: Importer = createOsvScannerImporter();
