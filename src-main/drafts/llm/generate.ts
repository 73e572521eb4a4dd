/**
 * One LLM remediation draft: prompt (untrusted data fenced), generation constrained by a
 * JSON-schema grammar, streaming progress, cancel, timeout, then parse and validate again
 * with the contract's zod schema.
 *
 * No repair retry: an answer that is not schema-valid (cut at maxTokens, or out of the zod
 * bounds) is an LLM_INVALID_OUTPUT error carrying the zod issues. A retry would double the
 * time of a failure on a small CPU and the grammar already makes such answers rare.
 */
import type { Llama, LlamaGrammar } from 'node-llama-cpp';
import { VzError } from '../../core/errors';
import { draftContent, type DraftContent } from '../../../src-preload/drafts-schemas';
import { contextOverflow, isContextOverflow, isOutOfMemory, outOfMemory } from './errors';
import { clampLimits, draftJsonSchema, type OutputLimits } from './json-schema';
import { buildPrompt, type BuiltPrompt, type LlmDraftRequestData } from './prompt';
import { abortError, type LlmRuntime, type LoadedModel, type ModelRef } from './runtime';

export interface LlmDraftRequest extends LlmDraftRequestData {
  model: ModelRef;
}

export interface LlmProgress {
  phase: 'loading' | 'generating';
  /** Tokens generated so far. */
  tokens: number;
  maxTokens: number;
  tokensPerSecond: number;
  elapsedMs: number;
}

export interface GenerateOptions {
  signal?: AbortSignal;
  onProgress?: (progress: LlmProgress) => void;
  /** Minimum time between two "generating" progress events. Default 100 ms; 0 every token. */
  progressIntervalMs?: number;
  /** Whole call, model load included. Default 10 minutes. */
  timeoutMs?: number;
  /** Cap on generated tokens (also capped by the room left in the context). Default 3072. */
  maxTokens?: number;
  /** Sampling seed. Default: random (returned in the result). */
  seed?: number;
  /** Sampling temperature. Default 0.2; 0 is greedy. */
  temperature?: number;
  /** Grammar limits on the answer. */
  limits?: Partial<OutputLimits>;
  /** Fixed prompt boundary, for tests and benchmarks only. */
  boundary?: string;
}

export interface LlmDraftResult {
  content: DraftContent;
  /** Tokens generated. */
  tokens: number;
  tokensPerSecond: number;
  modelSha256: string;
  promptTokens: number;
  seed: number;
  durationMs: number;
}

export const DEFAULT_MAX_TOKENS = 3072;
export const DEFAULT_TIMEOUT_MS = 10 * 60_000;
/** Tokens the chat template adds around the system and user messages (generous). */
const TEMPLATE_TOKENS = 64;
/** Below this much room for the answer, generation cannot even write the JSON skeleton. */
export const MIN_ANSWER_TOKENS = 128;

const grammars = new WeakMap<Llama, Map<string, Promise<LlamaGrammar>>>();

/** The grammar for some limits, compiled once per binding. */
export function draftGrammar(llama: Llama, limits: OutputLimits): Promise<LlamaGrammar> {
  let byLimits = grammars.get(llama);
  if (!byLimits) {
    byLimits = new Map<string, Promise<LlamaGrammar>>();
    grammars.set(llama, byLimits);
  }
  const key = JSON.stringify(limits);
  let grammar = byLimits.get(key);
  if (!grammar) {
    grammar = llama.createGrammarForJsonSchema(draftJsonSchema(limits));
    byLimits.set(key, grammar);
    grammar.catch(() => byLimits.delete(key));
  }
  return grammar;
}

/** Tokens the prompt takes in the context (an estimate: template tokens are approximated). */
export function countPromptTokens(loaded: LoadedModel, prompt: BuiltPrompt): number {
  return (
    loaded.model.tokenize(prompt.system).length +
    loaded.model.tokenize(prompt.user).length +
    TEMPLATE_TOKENS
  );
}

/** Parses and validates the model's answer. Throws LLM_INVALID_OUTPUT. */
export function parseDraftAnswer(text: string, stopReason: string, tokens: number): DraftContent {
  if (stopReason === 'maxTokens') {
    throw new VzError(
      'LLM_INVALID_OUTPUT',
      `The model's answer was cut at ${tokens} tokens before the draft was complete. Allow more ` +
        `tokens, a larger context, or smaller output limits.`,
      { reason: 'truncated', tokens },
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new VzError('LLM_INVALID_OUTPUT', 'The model did not answer with valid JSON.', {
      reason: 'json',
    });
  }
  const parsed = draftContent.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    throw new VzError(
      'LLM_INVALID_OUTPUT',
      `The model's draft does not meet the draft schema: ${issues
        .slice(0, 3)
        .map((i) => `${i.path || '(root)'}: ${i.message}`)
        .join('; ')}.`,
      { reason: 'schema', issues },
    );
  }
  return parsed.data;
}

/**
 * Generates a draft with the local model. Rejects with a VzError: CANCELLED (signal, or the
 * runtime unloaded), LLM_TIMEOUT, LLM_BUSY, LLM_CONTEXT_OVERFLOW, LLM_OUT_OF_MEMORY,
 * LLM_INVALID_OUTPUT, MODEL_INVALID, MODEL_LOAD_FAILED.
 */
export async function generateLlmDraft(
  runtime: LlmRuntime,
  request: LlmDraftRequest,
  options: GenerateOptions = {},
): Promise<LlmDraftResult> {
  const started = performance.now();
  const limits = clampLimits(options.limits);
  const prompt = buildPrompt(
    request,
    options.boundary === undefined ? { limits } : { limits, boundary: options.boundary },
  );
  const maxTokensWanted = options.maxTokens ?? DEFAULT_MAX_TOKENS;
  if (!Number.isInteger(maxTokensWanted) || maxTokensWanted < 1) {
    throw new VzError('INVALID_INPUT', 'maxTokens must be a positive whole number.');
  }
  const seed = options.seed ?? Math.floor(Math.random() * 0x7fffffff);
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const interval = options.progressIntervalMs ?? 100;
  const onProgress = options.onProgress;

  const timeout = new AbortController();
  const timer = setTimeout(() => {
    timeout.abort(
      new VzError(
        'LLM_TIMEOUT',
        `The model did not finish within ${Math.round(timeoutMs / 1000)} s. Try fewer threads ` +
          `competing for the CPU, a smaller model, or a longer timeout.`,
        { timeoutMs },
      ),
    );
  }, timeoutMs);
  timer.unref();
  const outer = options.signal ? AbortSignal.any([options.signal, timeout.signal]) : timeout.signal;

  try {
    return await runtime.run(
      request.model,
      async (loaded, signal) => {
        const grammar = await draftGrammar(loaded.llama, limits);
        const promptTokens = countPromptTokens(loaded, prompt);
        const room = loaded.contextSize - promptTokens;
        if (room < MIN_ANSWER_TOKENS) {
          throw contextOverflow(promptTokens + MIN_ANSWER_TOKENS, loaded.contextSize);
        }
        const maxTokens = Math.min(maxTokensWanted, room);
        if (signal.aborted) throw abortError(signal);

        const { LlamaChatSession } = await import('node-llama-cpp');
        const sequence = loaded.context.getSequence();
        const session = new LlamaChatSession({
          contextSequence: sequence,
          systemPrompt: prompt.system,
          autoDisposeSequence: false,
        });
        let tokens = 0;
        let lastEmit = -Infinity;
        const genStart = performance.now();
        const rate = (now: number): number => {
          const s = (now - genStart) / 1000;
          return s > 0 ? tokens / s : 0;
        };
        try {
          const answer = await session.promptWithMeta(prompt.user, {
            grammar,
            maxTokens,
            seed,
            temperature: options.temperature ?? 0.2,
            signal,
            stopOnAbortSignal: false,
            onToken: (chunk) => {
              if (chunk.length === 0) return;
              tokens += chunk.length;
              if (!onProgress) return;
              const now = performance.now();
              if (interval > 0 && now - lastEmit < interval) return;
              lastEmit = now;
              onProgress({
                phase: 'generating',
                tokens,
                maxTokens,
                tokensPerSecond: rate(now),
                elapsedMs: now - started,
              });
            },
          });
          if (signal.aborted) throw abortError(signal);
          const end = performance.now();
          const content = parseDraftAnswer(answer.responseText, answer.stopReason, tokens);
          return {
            content,
            tokens,
            tokensPerSecond: rate(end),
            modelSha256: loaded.ref.sha256,
            promptTokens,
            seed,
            durationMs: end - started,
          };
        } catch (e) {
          if (signal.aborted) throw abortError(signal);
          if (e instanceof VzError) throw e;
          if (isOutOfMemory(e)) {
            throw outOfMemory('generate the draft', e instanceof Error ? e.message : String(e));
          }
          if (isContextOverflow(e)) throw contextOverflow(promptTokens, loaded.contextSize);
          throw e;
        } finally {
          session.dispose({ disposeSequence: false });
          await sequence.dispose();
        }
      },
      {
        signal: outer,
        onLoading: () =>
          onProgress?.({
            phase: 'loading',
            tokens: 0,
            maxTokens: maxTokensWanted,
            tokensPerSecond: 0,
            elapsedMs: performance.now() - started,
          }),
      },
    );
  } catch (e) {
    // An abort can surface from node-llama-cpp as its own error (or the signal's reason).
    if (outer.aborted && !(e instanceof VzError && e.code !== 'CANCELLED')) {
      throw abortError(outer);
    }
    throw e;
  } finally {
    clearTimeout(timer);
  }
}
