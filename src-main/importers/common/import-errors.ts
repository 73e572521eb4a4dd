/**
 * Importers never throw a raw Error: whatever escapes their parsing (an I/O failure, a
 * temporary-file error) is reported as a VzError naming the file.
 */
import { isVzError, type VzError } from '../../core/errors';
import { malformed } from '../errors';
import { cancelled } from './cancel';

export function toImportError(
  error: unknown,
  fileName: string,
  signal: AbortSignal | undefined,
): VzError {
  if (isVzError(error)) return error;
  if (signal?.aborted) return cancelled(fileName);
  const message = error instanceof Error ? error.message : String(error);
  const wrapped = malformed(fileName, `could not be read: ${message}`);
  // A TypeError or RangeError is a defect in the importer, not in the file: the operator
  // still gets a typed error, and the fuzzers count it as a crash.
  if (error instanceof TypeError || error instanceof RangeError || error instanceof ReferenceError)
    Object.assign(wrapped.details ?? {}, { defect: error.name });
  return wrapped;
}
