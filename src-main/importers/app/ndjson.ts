/**
 * Line-delimited JSON (yarn audit --json): one JSON value per line, read one line at a
 * time so memory holds one line, never the file. A line longer than MAX_LINE_CHARS or
 * that is not JSON fails the file with its line number (IMPORT_MALFORMED).
 */
import { addAbortSignal, type Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { cancelled } from '../common/cancel';
import { toImportError } from '../common/import-errors';
import { malformed } from '../errors';

/** One yarn advisory line carries every dependency path; real ones stay far below this. */
export const MAX_LINE_CHARS = 32 * 1024 * 1024;

export interface JsonLine {
  line: number;
  value: unknown;
}

export async function* readJsonLines(
  input: Readable,
  fileName: string,
  signal: AbortSignal | undefined,
): AsyncGenerator<JsonLine, void, undefined> {
  if (signal?.aborted) throw cancelled(fileName);
  if (signal) addAbortSignal(signal, input);
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let line = 0;
  let first = true;
  const parse = (text: string): JsonLine | undefined => {
    line += 1;
    let body = text.endsWith('\r') ? text.slice(0, -1) : text;
    if (first) {
      body = body.replace(/^\uFEFF/, '');
      first = false;
    }
    if (body.trim() === '') return undefined;
    try {
      return { line, value: JSON.parse(body) as unknown };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw malformed(fileName, `not a JSON line (${reason})`, line);
    }
  };
  try {
    for await (const chunk of input as AsyncIterable<Buffer | string>) {
      if (signal?.aborted) throw cancelled(fileName);
      pending += typeof chunk === 'string' ? chunk : decoder.write(chunk);
      let start = 0;
      for (let at = pending.indexOf('\n'); at >= 0; at = pending.indexOf('\n', start)) {
        const parsed = parse(pending.slice(start, at));
        start = at + 1;
        if (parsed) yield parsed;
      }
      pending = pending.slice(start);
      if (pending.length > MAX_LINE_CHARS) {
        throw malformed(fileName, `a line is longer than ${MAX_LINE_CHARS} characters`, line + 1);
      }
    }
    pending += decoder.end();
    const last = parse(pending);
    if (last) yield last;
  } catch (error) {
    throw toImportError(error, fileName, signal);
  }
}
