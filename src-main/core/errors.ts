/**
 * The one error type the core throws on purpose. Its `code` is stable (scripts and the
 * renderer branch on it) and its `message` is written for an operator: it crosses the
 * bridge and the CLI as is. Anything else thrown is a bug and is reported as INTERNAL.
 */
export class VzError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'VzError';
    this.code = code;
    this.details = details;
  }
}

export function isVzError(e: unknown): e is VzError {
  return e instanceof VzError;
}

/** Short description of a value that is not an Error, for logs only. */
export function describeThrown(e: unknown): string {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return typeof e === 'string' ? e : (JSON.stringify(e) ?? String(e));
}
