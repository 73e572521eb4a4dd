/**
 * "yarn_audit": `yarn audit --json` (yarn 1): one JSON object per line, `auditAdvisory`
 * lines (the npm advisory of one resolution path, shared with npm_audit), an
 * `auditSummary`, and `info`/`warning`/`error` messages. Also the NDJSON of
 * `yarn npm audit --json` (yarn 2+: `{"value": package, "children": {ID, Issue, URL,
 * Severity, "Vulnerable Versions", "Tree Versions", Dependents}}`).
 *
 * yarn repeats an advisory once per resolution path; each advisory and installed version
 * becomes one finding (a set of the pairs seen so far, bounded by the advisories, drops the
 * repeats). An `error` line means the audit did not run: the file fails with yarn's message.
 */
import type { Readable } from 'node:stream';
import { z } from 'zod';
import { malformed } from '../errors';
import type {
  ImportRecord,
  Importer,
  NormalizedAsset,
  NormalizedFinding,
  ParseContext,
} from '../types';
import { toImportError } from '../common/import-errors';
import { describeIssues, optionalString, stringList } from '../common/json-fields';
import { NoteCollector } from '../common/notes';
import { RecordEmitter } from '../common/record-emitter';
import { lookupSeverity } from '../common/severity';
import { cleanText, uniqueStrings } from '../common/text';
import { advisoryFindings, npmAdvisorySchema } from '../app/npm-advisory';
import { readJsonLines } from '../app/ndjson';
import { APP_SEVERITY } from '../app/severity-words';
import { softwareAssetOr } from '../app/software-asset';
import { fixedFromVulnerableRange } from '../app/versions';
import { chooseKey, ghsaIn, titleFor } from '../app/vuln-key';

const FORMAT = 'yarn_audit';
const SCANNER = 'yarn audit';

const classicLine = z.looseObject({ type: z.string(), data: z.unknown().optional() });
const advisoryData = z.looseObject({
  resolution: z.looseObject({ path: optionalString }).optional().catch(undefined),
  advisory: npmAdvisorySchema,
});
const berryLine = z.looseObject({
  value: z.string().min(1),
  children: z.looseObject({
    ID: z.union([z.string(), z.number()]).transform(String).optional().catch(undefined),
    Issue: optionalString,
    URL: optionalString,
    Severity: optionalString,
    'Vulnerable Versions': optionalString,
    'Tree Versions': stringList,
    Dependents: stringList,
  }),
});
type BerryEntry = z.infer<typeof berryLine>;

function berryFindings(
  entry: BerryEntry,
  asset: NormalizedAsset,
  notes: NoteCollector,
  where: string,
): NormalizedFinding[] {
  const c = entry.children;
  const ids = chooseKey(
    ghsaIn(c.URL) ?? (c.ID !== undefined && /^\d+$/.test(c.ID) ? `npm:${c.ID}` : c.ID),
  );
  if (ids === undefined) {
    notes.add(`${where}: skipped, the advisory has no id.`);
    return [];
  }
  let severity = lookupSeverity(c.Severity, APP_SEVERITY);
  if (severity === undefined) {
    severity = 'info';
    notes.add(`${where}: severity "${c.Severity ?? ''}" is not known; rated info.`);
  }
  const fixed = fixedFromVulnerableRange(c['Vulnerable Versions']);
  const versions = uniqueStrings(c['Tree Versions'] ?? []);
  const dependents = uniqueStrings(c.Dependents ?? []);
  const issue = cleanText(c.Issue);
  return (versions.length > 0 ? versions : [undefined]).map((version) => {
    const component: NonNullable<NormalizedFinding['component']> = { name: entry.value };
    if (version) component.version = version;
    if (fixed) component.fixedVersion = fixed;
    const finding: NormalizedFinding = {
      format: FORMAT,
      scanner: { name: SCANNER, ...(c.ID !== undefined ? { pluginId: c.ID } : {}) },
      asset,
      vulnerability: {
        key: ids.key,
        cves: ids.cves,
        title: titleFor(issue, ids.key, entry.value),
        severity,
        cwes: [],
        references: uniqueStrings([c.URL]),
      },
      component,
    };
    const evidence = [
      c['Vulnerable Versions'] ? `Vulnerable versions: ${c['Vulnerable Versions']}` : '',
      dependents.length > 0 ? `Dependents:\n${dependents.slice(0, 20).join('\n')}` : '',
    ].filter(Boolean);
    if (evidence.length > 0) finding.evidence = evidence.join('\n');
    return finding;
  });
}

async function* parseYarn(
  input: Readable,
  ctx: ParseContext,
): AsyncGenerator<ImportRecord, void, undefined> {
  const { fileName, signal } = ctx;
  const notes = new NoteCollector(fileName);
  const out = new RecordEmitter(notes);
  const asset = softwareAssetOr(undefined, fileName, notes, 'yarn audit does not name the project');
  const seen = new Set<string>();
  let records = 0;
  let deprecations = 0;
  const start = function* (): Generator<ImportRecord> {
    yield* out.scan({ scanner: SCANNER });
    yield* out.asset(asset);
  };
  try {
    for await (const { line, value } of readJsonLines(input, fileName, signal)) {
      const where = `line ${line}`;
      const berry = berryLine.safeParse(value);
      if (berry.success) {
        records += 1;
        yield* start();
        if (/\(deprecation\)\s*$/.test(berry.data.children.ID ?? '')) {
          deprecations += 1;
          continue;
        }
        for (const finding of berryFindings(berry.data, asset, notes, where))
          yield* out.finding(finding, where);
        yield* out.pendingNotes();
        continue;
      }
      const classic = classicLine.safeParse(value);
      if (!classic.success) {
        throw malformed(
          fileName,
          'not a yarn audit line (expected {"type": ..., "data": ...})',
          line,
        );
      }
      const { type, data } = classic.data;
      if (type === 'error') {
        // An error line may carry no data at all (JSON.stringify(undefined) is undefined).
        const message =
          typeof data === 'string' ? data : (JSON.stringify(data) ?? 'the line gives no details');
        throw malformed(fileName, `yarn audit did not run: ${message.slice(0, 500)}`, line);
      }
      if (type === 'auditSummary') {
        records += 1;
        yield* start();
        continue;
      }
      if (type !== 'auditAdvisory') continue;
      records += 1;
      yield* start();
      const parsed = advisoryData.safeParse(data);
      if (!parsed.success) {
        notes.add(
          `${where}: skipped, not a yarn audit advisory (${describeIssues(parsed.error)}).`,
        );
        yield* out.pendingNotes();
        continue;
      }
      const { advisory } = parsed.data;
      const id = advisory.id ?? advisory.module_name;
      const findings = advisoryFindings(
        advisory,
        { format: FORMAT, scanner: SCANNER, asset, notes, where },
        (version) => !seen.has(`${id}|${version ?? ''}`),
      );
      for (const finding of findings) {
        seen.add(`${id}|${finding.component?.version ?? ''}`);
        yield* out.finding(finding, where);
      }
      yield* out.pendingNotes();
    }
    if (records === 0) {
      throw malformed(fileName, 'not a yarn audit report: no auditAdvisory or auditSummary line');
    }
    if (deprecations > 0) {
      notes.add(`${deprecations} deprecation notice(s) (not vulnerabilities) were not imported.`);
    }
    yield* start();
    yield* out.finish();
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}

/** The first few lines of the head, parsed; a line cut by the 64 KiB limit is ignored. */
function headLines(head: string): unknown[] {
  const lines = head.split('\n').slice(0, 20);
  if (head.length >= 64 * 1024) lines.pop();
  return lines.flatMap((text) => {
    if (text.trim() === '') return [];
    try {
      return [JSON.parse(text) as unknown];
    } catch {
      return [Symbol.for('not-json')];
    }
  });
}

export const yarnAuditImporter: Importer = {
  format: FORMAT,
  label: 'yarn audit JSON lines (yarn 1; yarn 2+ npm audit)',
  hints:
    'one JSON object per line: {"type":"auditAdvisory"|"auditSummary",...} or {"value":...,"children":{"ID",...}}',
  sniff(head: string): number {
    if (!/^\s*\{/.test(head)) return 0;
    const values = headLines(head);
    if (values.length === 0 || values.some((v) => typeof v !== 'object' || v === null)) {
      // A pretty-printed JSON document spans lines and is not NDJSON; a long first line may
      // still be an advisory cut by the head limit.
      return /^\{"type":"audit(?:Advisory|Summary)"/.test(head) ? 0.9 : 0;
    }
    const types = values
      .map((v) => classicLine.safeParse(v))
      .filter((r) => r.success)
      .map((r) => r.data.type);
    if (types.some((t) => t === 'auditAdvisory' || t === 'auditSummary')) return 0.95;
    if (values.some((v) => berryLine.safeParse(v).success)) return 0.9;
    // Only messages (a failed audit): recognised so that it fails with yarn's reason.
    if (types.length === values.length && types.includes('error')) return 0.6;
    return 0;
  },
  parse(input: Readable, ctx: ParseContext) {
    return parseYarn(input, ctx);
  },
};
