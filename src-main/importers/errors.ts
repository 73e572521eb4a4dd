import { VzError } from '../core/errors';

/**
 * Error codes of the importers (stable, in the contract's ERROR_CODES too):
 * IMPORT_UNKNOWN_FORMAT, IMPORT_MALFORMED (also for bounded sizes: nesting depth, string
 * length), IMPORT_UNSAFE (DOCTYPE/entities, zip bombs), IMPORT_FILE_UNREADABLE,
 * IMPORT_NOT_A_FILE, IMPORT_FAILED, IMPORT_DUPLICATE_FILE, CANCELLED.
 */
export function malformed(
  fileName: string,
  detail: string,
  line?: number,
  column?: number,
): VzError {
  const where =
    line !== undefined ? `line ${line}${column !== undefined ? `, column ${column}` : ''}: ` : '';
  return new VzError('IMPORT_MALFORMED', `${fileName}: ${where}${detail}`, {
    fileName,
    line,
    column,
  });
}

export function unsafe(fileName: string, detail: string): VzError {
  return new VzError('IMPORT_UNSAFE', `${fileName}: ${detail}`, { fileName });
}
