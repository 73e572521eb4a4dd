import { VzError } from '../core/errors';
import { throwIfCancelled } from '../core/jobs';

/**
 * Error codes of the feed parsers (stable: the vault and the renderer branch on them):
 * FEED_MALFORMED (the file is not a valid feed of its kind; the message names the file and
 * the line, entry or byte offset), FEED_UNKNOWN_KIND (content matches no supported feed),
 * CANCELLED (the job's signal was aborted).
 */
export const FEED_ERROR_CODES = ['FEED_MALFORMED', 'FEED_UNKNOWN_KIND', 'CANCELLED'] as const;

export function feedMalformed(fileName: string, where: string | null, detail: string): VzError {
  const at = where === null ? '' : `${where}: `;
  return new VzError('FEED_MALFORMED', `${fileName}: ${at}${detail}`, {
    fileName,
    ...(where === null ? {} : { where }),
  });
}

/** A zod issue path as an operator reads it: `vulnerabilities[3].cveID`. */
export function formatPath(prefix: string, path: readonly PropertyKey[]): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? String(part) : `.${String(part)}`;
  }
  return out;
}

/** The parsers take an optional signal; the job registry's check applies when there is one. */
export function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal) throwIfCancelled(signal);
}
