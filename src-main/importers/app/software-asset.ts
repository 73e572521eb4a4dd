/**
 * The asset of SBOM and dependency reports: the project, repository or image they describe
 * (`asset.software`). Each format documents where the name comes from; when a file names
 * nothing, the file's base name without its extension stands in (stable as long as the
 * operator keeps naming the reports the same way) and a note says so.
 */
import type { NormalizedAsset } from '../types';
import type { NoteCollector } from '../common/notes';
import { cleanValue } from '../common/text';

/** Names longer than this are cut: a name is an identifier, not a description. */
const MAX_NAME_CHARS = 1024;

export function softwareAsset(
  name: string | null | undefined,
  version?: string | null,
): NormalizedAsset | undefined {
  const text = cleanValue(name)?.slice(0, MAX_NAME_CHARS);
  if (text === undefined) return undefined;
  const ver = cleanValue(version)?.slice(0, MAX_NAME_CHARS);
  return { software: ver === undefined ? { name: text } : { name: text, version: ver } };
}

/**
 * The base name without its extension ("cxf-3.4.6.sarif" -> "cxf-3.4.6"), and without a
 * second report extension ("app.cdx.json" -> "app"); a name that is only an extension
 * stays as is.
 */
export function fileStem(fileName: string): string {
  const base = fileName.replace(/^.*[\\/]/, '');
  const stem = base
    .replace(/\.[A-Za-z0-9]{1,10}$/, '')
    .replace(/\.(?:sarif|json|xml|cdx|bom|sbom|ndjson|jsonl)$/i, '');
  return stem === '' ? base || 'report' : stem;
}

/**
 * The named software asset, or the file-name fallback with a note (`what` says what the
 * format would have named: "the report names no project").
 */
export function softwareAssetOr(
  named: NormalizedAsset | undefined,
  fileName: string,
  notes: NoteCollector,
  what: string,
): NormalizedAsset {
  if (named !== undefined) return named;
  const stem = fileStem(fileName);
  notes.add(`${what}; the software asset is named after the file: "${stem}".`);
  return { software: { name: stem } };
}
