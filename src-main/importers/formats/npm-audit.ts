/**
 * "npm_audit": `npm audit --json` of npm 6 and older: `advisories` (a map from advisory id
 * to the advisory, each with `findings[]`: installed version and dependency paths), then
 * `muted` and `metadata`. npm names neither the project nor a time; the asset is named after
 * the file (docs/importers-app.md). An npm error answer (`{"error": {"code": "ENOAUDIT"}}`)
 * is not a report and fails the file: importing it would look like a clean project.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import type { VzError } from '../../core/errors';
import { malformed } from '../errors';
import { ANY_KEY, walkJson, type JsonImporterOptions } from '../tabular/json-stream';
import type { ImportRecord, Importer, ParseContext } from '../types';
import { toImportError } from '../common/import-errors';
import { describeIssues, optionalObject, optionalString } from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { advisoryFindings, npmAdvisorySchema } from '../app/npm-advisory';
import { softwareAssetOr } from '../app/software-asset';

const FORMAT = 'npm_audit';
export const NPM_SCANNER = 'npm audit';

const errorSchema = z.looseObject({
  error: optionalObject({ code: optionalString, summary: optionalString, detail: optionalString }),
});

/** The npm error object of a failed audit, as an IMPORT_MALFORMED naming npm's reason. */
export function npmErrorOf(
  fileName: string,
  fields: Readonly<Record<string, unknown>>,
): VzError | undefined {
  if (!('error' in fields)) return undefined;
  const parsed = errorSchema.safeParse(fields);
  const error = parsed.success ? parsed.data.error : undefined;
  const reason = [error?.code, error?.summary].filter(Boolean).join(': ') || 'no details';
  return malformed(
    fileName,
    `npm audit did not run (${reason}); this file is an error answer, not a report`,
  );
}

async function* parseNpmAudit(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const asset = softwareAssetOr(undefined, fileName, notes, 'npm audit does not name the project');
  let sawAdvisories = false;
  let rootFields: Readonly<Record<string, unknown>> = {};
  const start = function* (): Generator<ImportRecord> {
    yield* out.scan({ scanner: NPM_SCANNER });
    yield* out.asset(asset);
  };
  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [['advisories', ANY_KEY]],
      skip: [['actions'], ['muted']],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object') {
          throw malformed(fileName, 'not an npm audit report: the document is not a JSON object');
        }
        continue;
      }
      if (event.kind === 'close') {
        if (event.frame.path.length === 0) rootFields = event.frame.fields;
        else if (event.frame.path.length === 1 && event.frame.path[0] === 'advisories')
          sawAdvisories = true;
        continue;
      }
      const error = npmErrorOf(fileName, event.frames[0]?.fields ?? {});
      if (error) throw error;
      yield* start();
      const id = String(event.path[1]);
      const where = `advisory ${id}`;
      const parsed = npmAdvisorySchema.safeParse(event.value);
      if (!parsed.success) {
        notes.add(`${where}: skipped, not an npm advisory (${describeIssues(parsed.error)}).`);
        yield* out.pendingNotes();
        continue;
      }
      const findings = advisoryFindings(parsed.data, {
        format: FORMAT,
        scanner: NPM_SCANNER,
        asset,
        notes,
        where,
      });
      for (const finding of findings) yield* out.finding(finding, where);
      yield* out.pendingNotes();
    }
    const error = npmErrorOf(fileName, rootFields);
    if (error) throw error;
    if (!sawAdvisories && !('advisories' in rootFields)) {
      throw malformed(
        fileName,
        'not an npm audit report: no "advisories" (npm 7 and later write "vulnerabilities": use npm_audit_7_plus)',
      );
    }
    yield* start();
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}

export function createNpmAuditImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'npm audit JSON (npm 6 and older)',
    hints:
      'JSON object with "advisories" (id -> advisory with module_name, findings) and "actions"/"muted"/"metadata"',
    sniff(head: string): number {
      if (!/^\s*\{/.test(head)) return 0;
      if (/"auditReportVersion"\s*:/.test(head)) return 0;
      const advisories = /"advisories"\s*:\s*\{/.test(head);
      if (
        advisories &&
        (/"module_name"\s*:/.test(head) ||
          /"actions"\s*:\s*\[/.test(head) ||
          /"muted"\s*:\s*\[/.test(head))
      ) {
        return 0.95;
      }
      if (advisories && /"metadata"\s*:/.test(head)) return 0.7;
      // npm's error answer: recognised so that it fails with npm's reason, not "unknown format".
      if (/^\s*\{\s*"error"\s*:\s*\{\s*"code"\s*:\s*"E[A-Z]+"/.test(head)) return 0.6;
      return 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseNpmAudit(input, ctx, options);
    },
  };
}

export const npmAuditImporter: Importer = createNpmAuditImporter();
