/**
 * Cancellation as the importers report it: VzError CANCELLED naming the file, the same
 * wording as the XML importers so the operator sees one message style.
 */
import { VzError } from '../../core/errors';

export function cancelled(fileName: string): VzError {
  return new VzError('CANCELLED', `${fileName}: import cancelled.`);
}

/** Throws CANCELLED when `signal` was aborted; call at safe points in loops. */
export function throwIfCancelled(signal: AbortSignal | undefined, fileName: string): void {
  if (signal?.aborted) throw cancelled(fileName);
}
