/**
 * What the importer fuzzers run: every real scanner fixture (by the format its content
 * says) and every feed sample, and one case = parse a mutated copy to the end. A case
 * passes when it parses or fails with a typed VzError; a malformed-input error must name
 * the file and say where (line/column, byte offset or JSON path) — anything else is a
 * crash, reported with its seed.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { isVzError } from '../../src-main/core/errors';
import { detectFeedKindFromText } from '../../src-main/feeds/detect';
import { parseFeed } from '../../src-main/feeds/parse';
import type { FeedKind } from '../../src-main/feeds/types';
import { IMPORTERS } from '../../src-main/importers/registry';
import { gunzipSync } from 'node:zlib';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
export const FUZZ_FILE = 'fuzz-case';

export type Target =
  | { kind: 'import'; path: string; format: string }
  | { kind: 'feed'; path: string; format: FeedKind };

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) return files(full);
    return name.startsWith('SOURCES') || name.endsWith('.md') ? [] : [full];
  });
}

function scannerFormat(path: string): string | null {
  const head = readFileSync(path)
    .subarray(0, 65536)
    .toString('utf8')
    .replace(/^\uFEFF/, '');
  let best = { format: '', score: 0 };
  for (const i of IMPORTERS) {
    const score = i.sniff(head, path);
    if (score > best.score) best = { format: i.format, score };
  }
  return best.score >= 0.5 ? best.format : null;
}

function feedFormat(path: string): FeedKind | null {
  let bytes = readFileSync(path).subarray(0, 1 << 20);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(readFileSync(path));
  try {
    return detectFeedKindFromText(path, bytes.subarray(0, 65536).toString('utf8'));
  } catch {
    return null;
  }
}

/** Every fixture the fuzzers mutate, in a stable order; files over `maxBytes` are left out. */
export function fuzzTargets(maxBytes = 1_600_000): Target[] {
  const targets: Target[] = [];
  for (const path of files(FIXTURES).sort()) {
    if (statSync(path).size > maxBytes) continue;
    if (path.includes(`${join(FIXTURES, 'feeds')}/`)) {
      const format = feedFormat(path);
      if (format) targets.push({ kind: 'feed', path, format });
    } else {
      const format = scannerFormat(path);
      if (format) targets.push({ kind: 'import', path, format });
    }
  }
  return targets;
}

/**
 * A malformed-input error must name the file and say where; only errors about the file
 * as a whole (empty, required top-level part missing, not this kind of report) have no
 * place to point at.
 */
const WHOLE_FILE =
  /the file is empty|\bno "|\bnot an? |did not run|header line found|missing required field/i;
const POSITION =
  /line \d+|column \d+|byte \d+|character \d+|offset \d+|at \$|\[\d+\]|record \d+|row \d+|entry \d+|item \d+/i;
/** `file: field.path: what is wrong` (a JSON field path is the position). */
const FIELD_PATH = /^[^:]+: [\w$.[\]]+: /;

/**
 * Parses `bytes` as the target's format to the end. Resolves with "ok" or the typed error's
 * code (`CODE/no-position` when a malformed-input error does not say where); rejects with
 * anything that is not a VzError.
 */
export async function runCase(
  target: Target,
  bytes: Buffer,
): Promise<{ outcome: string; message?: string }> {
  const input = Readable.from([bytes]);
  try {
    if (target.kind === 'import') {
      const importer = IMPORTERS.find((i) => i.format === target.format);
      if (!importer) throw new Error(`no importer ${target.format}`);
      for await (const record of importer.parse(input, { fileName: FUZZ_FILE })) void record;
    } else {
      for await (const item of parseFeed(target.format, input, { fileName: FUZZ_FILE })) void item;
    }
    return { outcome: 'ok' };
  } catch (error) {
    if (!isVzError(error)) throw error;
    // A TypeError wrapped into a typed error is still a defect of the parser.
    const defect = error.details?.['defect'];
    if (typeof defect === 'string')
      throw new Error(`${defect} wrapped as ${error.code}: ${error.message}`, { cause: error });
    if (
      /MALFORMED$/.test(error.code) &&
      !(
        error.message.includes(FUZZ_FILE) &&
        (POSITION.test(error.message) ||
          FIELD_PATH.test(error.message) ||
          WHOLE_FILE.test(error.message))
      )
    )
      return { outcome: `${error.code}/no-position`, message: error.message };
    return { outcome: error.code };
  }
}
