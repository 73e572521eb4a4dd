/** The local LLM engine of remediation drafts (see docs/llm.md). */
export { LLM_ERROR_CODES, type LlmErrorCode } from './errors';
export {
  generateLlmDraft,
  parseDraftAnswer,
  DEFAULT_MAX_TOKENS,
  DEFAULT_TIMEOUT_MS,
  type GenerateOptions,
  type LlmDraftRequest,
  type LlmDraftResult,
  type LlmProgress,
} from './generate';
export { DEFAULT_OUTPUT_LIMITS, draftJsonSchema, type OutputLimits } from './json-schema';
export { inspectModel, sha256File, type ModelFileInfo, type ModelMetadata } from './model-info';
export {
  buildPrompt,
  instructionSkeleton,
  SYSTEM_INSTRUCTIONS,
  type BuiltPrompt,
  type Fence,
  type LlmDraftRequestData,
  type LlmFinding,
} from './prompt';
export {
  LlmRuntime,
  defaultThreads,
  DEFAULT_CONTEXT_SIZE,
  DEFAULT_IDLE_UNLOAD_MS,
  type IdleTimers,
  type LlmRuntimeOptions,
  type ModelRef,
} from './runtime';
export { writeTinyModel, buildTinyModel, TINY_MODEL, type WrittenModel } from './tiny-model';
