/**
 * The renderer's typed client. Wraps `window.vulnzero` so screens get values or a
 * thrown ApiError (code + operator-readable message), never a raw envelope.
 */
import type { VulnzeroApi } from '../../../src-preload/api-types';
import type { BridgeError, Result } from '../../../src-preload/contract';

export class ApiError extends Error {
  readonly code: string;
  constructor(error: BridgeError) {
    super(error.message);
    this.name = 'ApiError';
    this.code = error.code;
  }
}

export function unwrap<T>(result: Result<T>): T {
  if (result.ok) return result.value;
  throw new ApiError(result.error);
}

export function bridge(): VulnzeroApi {
  const api = (globalThis as { vulnzero?: VulnzeroApi }).vulnzero;
  if (!api)
    throw new ApiError({
      code: 'NO_BRIDGE',
      message: 'The VulnZero core is not connected to this window.',
    });
  return api;
}

/** Calls a channel and unwraps: `await call((api) => api.app.version())`. */
export async function call<T>(fn: (api: VulnzeroApi) => Promise<Result<T>>): Promise<T> {
  return unwrap(await fn(bridge()));
}

export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
