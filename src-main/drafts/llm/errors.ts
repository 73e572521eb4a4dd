/**
 * Error codes of the local LLM engine and the mapping from node-llama-cpp / llama.cpp
 * failures to operator-readable VzErrors.
 */
import { VzError } from '../../core/errors';

export const LLM_ERROR_CODES = [
  'MODEL_INVALID',
  'MODEL_LOAD_FAILED',
  'LLM_BUSY',
  'LLM_CONTEXT_OVERFLOW',
  'LLM_OUT_OF_MEMORY',
  'LLM_TIMEOUT',
  'LLM_INVALID_OUTPUT',
  'CANCELLED',
] as const;
export type LlmErrorCode = (typeof LLM_ERROR_CODES)[number];

const OOM =
  /out of memory|failed to allocate|unable to allocate|cannot allocate|bad_alloc|ENOMEM|insufficient memory|not enough (?:memory|v?ram)/i;
const OVERFLOW =
  /context size is too small|context is too small|exceeds? the context|context (?:is )?full|too many tokens|input is too long/i;

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function isOutOfMemory(e: unknown): boolean {
  return (e instanceof Error && e.name === 'InsufficientMemoryError') || OOM.test(messageOf(e));
}

export function isContextOverflow(e: unknown): boolean {
  return OVERFLOW.test(messageOf(e));
}

export function outOfMemory(what: string, detail: string): VzError {
  return new VzError(
    'LLM_OUT_OF_MEMORY',
    `Not enough memory to ${what}. Close other programs, choose a smaller (more quantized) ` +
      `model or a smaller context size.`,
    { detail },
  );
}

export function contextOverflow(needed: number, available: number): VzError {
  return new VzError(
    'LLM_CONTEXT_OVERFLOW',
    `The prompt needs about ${needed} tokens but the model's context holds ${available}. ` +
      `Shorten the finding's evidence, or use a model or context size with a larger window.`,
    { needed, available },
  );
}

/**
 * Maps a failure while loading a model. `llamaLog` is what llama.cpp logged during the
 * attempt; its "error loading model" line is the most useful explanation.
 */
export function loadError(e: unknown, fileName: string, llamaLog: readonly string[]): VzError {
  if (e instanceof VzError) return e;
  const detail = messageOf(e);
  if (isOutOfMemory(e)) return outOfMemory(`load ${fileName}`, detail);
  const logged = [...llamaLog]
    .reverse()
    .map((line) => /error loading model:\s*(.+)$/i.exec(line)?.[1] ?? null)
    .find((m) => m !== null);
  const why = logged ?? detail;
  return new VzError(
    'MODEL_LOAD_FAILED',
    `The model ${fileName} could not be loaded: ${why}. The file may be corrupt, incomplete ` +
      `or made for a newer llama.cpp; copy it again or choose another model.`,
    { detail, log: llamaLog.slice(-5) },
  );
}

export function cancelled(why: string): VzError {
  return new VzError('CANCELLED', why);
}
