/**
 * "dependency_check": OWASP Dependency-Check reports, JSON (app/dependency-check-json.ts)
 * or XML (app/dependency-check-xml.ts), chosen by the first character of the content.
 */
import type { Readable } from 'node:stream';
import type { ImportRecord, Importer, ParseContext } from '../types';
import type { JsonImporterOptions } from '../tabular/json-stream';
import { toImportError } from '../common/import-errors';
import { malformed } from '../errors';
import { findRoot } from '../xml/sniff';
import { parseDependencyCheckJson } from '../app/dependency-check-json';
import { parseDependencyCheckXml } from '../app/dependency-check-xml';
import { peekFirstChar } from '../app/first-char';

async function* parseDependencyCheck(
  input: Readable,
  ctx: ParseContext,
  options: JsonImporterOptions,
): AsyncGenerator<ImportRecord, void, undefined> {
  let peeked;
  try {
    peeked = await peekFirstChar(input);
  } catch (error) {
    throw toImportError(error, ctx.fileName, ctx.signal);
  }
  if (peeked.first === '<') yield* parseDependencyCheckXml(peeked.stream, ctx);
  else if (peeked.first === undefined) throw malformed(ctx.fileName, 'the file is empty');
  else yield* parseDependencyCheckJson(peeked.stream, ctx, options);
}

export function sniffDependencyCheck(head: string): number {
  if (/^\s*\{/.test(head)) {
    const schema = /"reportSchema"\s*:/.test(head);
    const deps = /"dependencies"\s*:\s*\[/.test(head);
    if (schema && (deps || /"scanInfo"\s*:/.test(head))) return 0.95;
    return deps && /"scanInfo"\s*:\s*\{[^}]*"engineVersion"/.test(head) ? 0.8 : 0;
  }
  const root = findRoot(head);
  if (root === undefined || root.name !== 'analysis') return 0;
  return /DependencyCheck\/dependency-check\.[\d.]+\.xsd/.test(root.tag)
    ? 0.95
    : head.includes('<dependencies>') && head.includes('<projectInfo>')
      ? 0.7
      : 0;
}

export function createDependencyCheckImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: 'dependency_check',
    label: 'OWASP Dependency-Check (JSON or XML)',
    hints:
      'JSON with "reportSchema" and "dependencies", or XML root <analysis xmlns=".../dependency-check.N.xsd">',
    sniff: sniffDependencyCheck,
    parse(input: Readable, ctx: ParseContext) {
      return parseDependencyCheck(input, ctx, options);
    },
  };
}

export const dependencyCheckImporter: Importer = createDependencyCheckImporter();
