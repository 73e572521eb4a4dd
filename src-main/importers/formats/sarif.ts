/**
 * "sarif": SARIF 2.1.0 logs (CodeQL, Semgrep, ShellCheck, Flawfinder, gitleaks, Grype,
 * Dependency-Check and any other tool that writes them): `runs[]`, each with
 * `tool.driver` (name, version, `rules[]`), `results[]` and optional
 * `versionControlProvenance`, `invocations`, `automationDetails`.
 *
 * Members of a run come in any order (ShellCheck writes `versionControlProvenance` after
 * `results`), so a run's results wait in a RecordSpool (memory, then a private temporary
 * file) until the run closes; then the rules, the tool and the repository are known. A
 * run's rules stay in memory (a few hundred per tool). Asset: the repository of
 * `versionControlProvenance` (version: its tag or revision), else the file's name.
 * Suppressed results (every suppression accepted), `baselineState: "absent"` and
 * `kind` pass/notApplicable results are not findings; notes count them.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import { walkJson, type JsonFrame, type JsonImporterOptions } from '../tabular/json-stream';
import type { ImportRecord, Importer, NormalizedAsset, ParseContext, ScanInfo } from '../types';
import { throwIfCancelled } from '../common/cancel';
import { toIsoDate } from '../common/dates';
import { toImportError } from '../common/import-errors';
import { objectList, optionalObject, optionalString } from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { RecordSpool } from '../common/record-spool';
import { cleanText } from '../common/text';
import { sarifFinding } from '../app/sarif-finding';
import { compactResult, compactResultSchema, parseRule, type SarifRule } from '../app/sarif-model';
import { softwareAsset, softwareAssetOr } from '../app/software-asset';

const FORMAT = 'sarif';

const driverSchema = z.looseObject({
  name: optionalString,
  fullName: optionalString,
  version: optionalString,
  semanticVersion: optionalString,
});

const runFieldsSchema = z.looseObject({
  versionControlProvenance: objectList({
    repositoryUri: optionalString,
    revisionId: optionalString,
    revisionTag: optionalString,
    branch: optionalString,
  }),
  invocations: objectList({ startTimeUtc: optionalString, endTimeUtc: optionalString }),
  automationDetails: optionalObject({ id: optionalString }),
});

interface RunState {
  index: number;
  tool: string | undefined;
  version: string | undefined;
  /** Driver rules by position (ruleIndex) and every rule by id (driver and extensions). */
  byIndex: (SarifRule | undefined)[];
  byId: Map<string, SarifRule>;
  spool: RecordSpool<z.infer<typeof compactResultSchema>>;
  results: number;
}

/** "https://github.com/org/repo.git/" -> "https://github.com/org/repo". */
function repositoryName(uri: string | undefined): string | undefined {
  return cleanText(uri)
    ?.replace(/\/+$/, '')
    .replace(/\.git$/, '');
}

function runAsset(fields: Readonly<Record<string, unknown>>): NormalizedAsset | undefined {
  const parsed = runFieldsSchema.safeParse(fields);
  const vcp = parsed.success
    ? parsed.data.versionControlProvenance?.find((v) => v.repositoryUri)
    : undefined;
  if (vcp === undefined) return undefined;
  return softwareAsset(repositoryName(vcp.repositoryUri), vcp.revisionTag ?? vcp.revisionId);
}

function runScan(state: RunState, fields: Readonly<Record<string, unknown>>): ScanInfo {
  const scan: ScanInfo = { scanner: state.tool ?? 'SARIF' };
  if (state.version) scan.scannerVersion = state.version;
  const parsed = runFieldsSchema.safeParse(fields);
  const invocation = parsed.success ? parsed.data.invocations?.[0] : undefined;
  const started = toIsoDate(invocation?.startTimeUtc);
  if (started) scan.startedAt = started;
  const finished = toIsoDate(invocation?.endTimeUtc);
  if (finished) scan.finishedAt = finished;
  return scan;
}

async function* parseSarif(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const newRun = (index: number): RunState => ({
    index,
    tool: undefined,
    version: undefined,
    byIndex: [],
    byId: new Map(),
    spool: new RecordSpool((value) => compactResultSchema.parse(value), options.spoolMemoryChars),
    results: 0,
  });
  let run: RunState | undefined;
  let sawRuns = false;
  let rootFields: Readonly<Record<string, unknown>> = {};
  const skipped = { suppressed: 0, absent: 0, passing: 0, unreadable: 0 };

  const runOf = (index: number): RunState => {
    if (run === undefined || run.index !== index) run = newRun(index);
    return run;
  };

  async function* closeRun(frame: JsonFrame): AsyncGenerator<ImportRecord> {
    const index = frame.path[1];
    if (typeof index !== 'number') return;
    const state = runOf(index);
    try {
      const tool = state.tool ?? 'SARIF';
      yield* out.scan(runScan(state, frame.fields));
      const asset = softwareAssetOr(
        runAsset(frame.fields),
        fileName,
        notes,
        `run ${index} (${tool}) names no repository (versionControlProvenance)`,
      );
      yield* out.asset(asset);
      for await (const result of state.spool.drain()) {
        throwIfCancelled(signal, fileName);
        const rule =
          (result.ruleIndex !== undefined ? state.byIndex[result.ruleIndex] : undefined) ??
          (result.ruleId !== undefined ? state.byId.get(result.ruleId) : undefined);
        yield* out.finding(sarifFinding(result, rule, { tool, asset }), result.where);
      }
      yield* out.pendingNotes();
    } finally {
      await state.spool.dispose();
      run = undefined;
    }
  }

  try {
    for await (const event of walkJson(input, {
      fileName,
      signal,
      items: [
        ['runs', '*', 'results', '*'],
        ['runs', '*', 'tool', 'driver', 'rules', '*'],
        ['runs', '*', 'tool', 'extensions', '*', 'rules', '*'],
      ],
      skip: [
        ['runs', '*', 'artifacts'],
        ['runs', '*', 'logicalLocations'],
        ['runs', '*', 'threadFlowLocations'],
        ['runs', '*', 'graphs'],
        ['runs', '*', 'taxonomies'],
        ['runs', '*', 'webRequests'],
        ['runs', '*', 'webResponses'],
        ['runs', '*', 'addresses'],
      ],
      thresholdBytes: options.streamThresholdBytes,
    })) {
      if (event.kind === 'end') {
        if (event.rootKind !== 'object') {
          throw malformed(fileName, 'not a SARIF log: the document is not a JSON object');
        }
        continue;
      }
      if (event.kind === 'close') {
        const { path, fields } = event.frame;
        if (path.length === 0) rootFields = fields;
        else if (path.length === 1 && path[0] === 'runs') sawRuns = true;
        else if (path.length === 2 && path[0] === 'runs') yield* closeRun(event.frame);
        else if (
          path.length === 4 &&
          path[2] === 'tool' &&
          path[3] === 'driver' &&
          typeof path[1] === 'number'
        ) {
          const driver = driverSchema.safeParse(fields);
          const state = runOf(path[1]);
          if (driver.success) {
            state.tool = cleanText(driver.data.name) ?? cleanText(driver.data.fullName);
            state.version =
              cleanText(driver.data.semanticVersion) ?? cleanText(driver.data.version);
          }
        }
        continue;
      }
      const { path } = event;
      const index = path[1];
      if (typeof index !== 'number') continue;
      const state = runOf(index);
      if (path[2] === 'tool') {
        const rule = parseRule(event.value);
        if (path[3] === 'driver') state.byIndex.push(rule);
        if (rule?.id !== undefined && !state.byId.has(rule.id)) state.byId.set(rule.id, rule);
        continue;
      }
      const where = `runs[${index}].results[${String(path[3])}]`;
      const result = compactResult(event.value, where);
      if (result === undefined) {
        skipped.unreadable += 1;
        continue;
      }
      if (result.suppressed) skipped.suppressed += 1;
      else if (result.absent) skipped.absent += 1;
      else if (result.kind === 'pass' || result.kind === 'notApplicable') skipped.passing += 1;
      else {
        state.results += 1;
        await state.spool.push(result);
      }
    }
    if (!sawRuns) throw malformed(fileName, 'not a SARIF log: no "runs" list');
    const version = rootFields.version;
    if (typeof version === 'string' && version !== '2.1.0') {
      notes.add(`SARIF version ${version}; read as 2.1.0.`);
    }
    if (skipped.suppressed > 0)
      notes.add(`${skipped.suppressed} suppressed result(s) were not imported.`);
    if (skipped.absent > 0)
      notes.add(
        `${skipped.absent} result(s) marked absent from this run (baselineState) were not imported.`,
      );
    if (skipped.passing > 0)
      notes.add(`${skipped.passing} passing or not-applicable result(s) were not imported.`);
    if (skipped.unreadable > 0)
      notes.add(`${skipped.unreadable} result(s) that are not SARIF result objects were skipped.`);
    yield* out.scan({ scanner: 'SARIF' });
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  } finally {
    await run?.spool.dispose();
  }
}

export function createSarifImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: FORMAT,
    label: 'SARIF 2.1.0 (static analysis, secrets, dependency scanners)',
    hints:
      'JSON object with "runs" of {"tool": {"driver": ...}, "results": [...]}, usually "version": "2.1.0" and a sarif $schema',
    sniff(head: string): number {
      if (!/^\s*\{/.test(head) || !/"runs"\s*:\s*\[/.test(head)) return 0;
      if (/"\$schema"\s*:\s*"[^"]*sarif/i.test(head)) return 0.95;
      if (/"version"\s*:\s*"2\.1\.0"/.test(head)) return 0.9;
      return /"tool"\s*:\s*\{\s*"driver"\s*:/.test(head) ? 0.85 : 0;
    },
    parse(input: Readable, ctx: ParseContext) {
      return parseSarif(input, ctx, options);
    },
  };
}

export const sarifImporter: Importer = createSarifImporter();
