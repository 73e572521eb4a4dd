/**
 * "cyclonedx": CycloneDX SBOMs in JSON (app/cyclonedx-json.ts) and XML
 * (app/cyclonedx-xml.ts), with embedded vulnerabilities and VEX (`analysis`). The syntax
 * is chosen by the first character of the content. A BOM without vulnerabilities is
 * valid: it records the software asset (coverage) and no findings.
 */
import type { Readable } from 'node:stream';
import type { ImportRecord, Importer, ParseContext } from '../types';
import type { JsonImporterOptions } from '../tabular/json-stream';
import { toImportError } from '../common/import-errors';
import { malformed } from '../errors';
import { findRoot } from '../xml/sniff';
import { parseCycloneDxJson } from '../app/cyclonedx-json';
import { parseCycloneDxXml } from '../app/cyclonedx-xml';
import { peekFirstChar } from '../app/first-char';

async function* parseCycloneDx(
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
  if (peeked.first === '<') yield* parseCycloneDxXml(peeked.stream, ctx);
  else if (peeked.first === undefined) throw malformed(ctx.fileName, 'the file is empty');
  else yield* parseCycloneDxJson(peeked.stream, ctx, options);
}

export function sniffCycloneDx(head: string): number {
  if (/^\s*\{/.test(head)) {
    if (/"bomFormat"\s*:\s*"CycloneDX"/.test(head)) return 0.95;
    return /"specVersion"\s*:\s*"1\.\d"/.test(head) && /"components"\s*:\s*\[/.test(head) ? 0.7 : 0;
  }
  const root = findRoot(head);
  if (root === undefined || root.name.replace(/^.*:/, '') !== 'bom') return 0;
  return /xmlns(?::\w+)?\s*=\s*["']http:\/\/cyclonedx\.org\/schema\/bom\//.test(root.tag)
    ? 0.95
    : 0.3;
}

export function createCycloneDxImporter(options: JsonImporterOptions = {}): Importer {
  return {
    format: 'cyclonedx',
    label: 'CycloneDX SBOM with vulnerabilities / VEX (JSON or XML)',
    hints:
      'JSON with "bomFormat": "CycloneDX", or XML root <bom xmlns="http://cyclonedx.org/schema/bom/1.x">',
    sniff: sniffCycloneDx,
    parse(input: Readable, ctx: ParseContext) {
      return parseCycloneDx(input, ctx, options);
    },
  };
}

export const cycloneDxImporter: Importer = createCycloneDxImporter();
