import { describe, expect, it } from 'vitest';
import { VzError } from '../../../../src-main/core/errors';
import {
  contextOverflow,
  isContextOverflow,
  isOutOfMemory,
  LLM_ERROR_CODES,
  loadError,
} from '../../../../src-main/drafts/llm/errors';
import { parseDraftAnswer } from '../../../../src-main/drafts/llm/generate';
import {
  clampLimits,
  DEFAULT_OUTPUT_LIMITS,
  draftJsonSchema,
} from '../../../../src-main/drafts/llm/json-schema';
import {
  abortError,
  defaultThreads,
  LlmRuntime,
  RuntimeAbort,
} from '../../../../src-main/drafts/llm/runtime';

const VALID = {
  precheck: 'set -eu\ntrue',
  apply: 'set -eu\napt-get install --only-upgrade openssl',
  verify: 'true',
  rollback: 'echo manual; exit 1',
  metadata: { risk: 'medium', rebootNeeded: false, servicesToRestart: ['nginx'], notes: 'n' },
};

function thrown(fn: () => unknown): VzError {
  try {
    fn();
  } catch (e) {
    if (e instanceof VzError) return e;
    throw e;
  }
  throw new Error('expected a throw');
}

describe('parsing the model answer', () => {
  it('accepts a valid draft', () => {
    expect(parseDraftAnswer(JSON.stringify(VALID), 'eogToken', 50)).toEqual(VALID);
  });

  it('reports schema violations with the zod issues', () => {
    const bad = { ...VALID, apply: '', metadata: { ...VALID.metadata, risk: 'extreme' } };
    const err = thrown(() => parseDraftAnswer(JSON.stringify(bad), 'eogToken', 50));
    expect(err.code).toBe('LLM_INVALID_OUTPUT');
    expect(err.message).toMatch(/apply/);
    const issues = err.details?.issues as Array<{ path: string }>;
    expect(issues.map((i) => i.path).sort()).toEqual(['apply', 'metadata.risk']);
  });

  it('reports a too-long script', () => {
    const err = thrown(() =>
      parseDraftAnswer(JSON.stringify({ ...VALID, verify: 'x'.repeat(70_000) }), 'eogToken', 9),
    );
    expect(err.code).toBe('LLM_INVALID_OUTPUT');
    expect((err.details?.issues as Array<{ path: string }>)[0]?.path).toBe('verify');
  });

  it('reports invalid JSON and a truncated answer', () => {
    expect(thrown(() => parseDraftAnswer('{"precheck": ', 'eogToken', 3)).message).toMatch(
      /valid JSON/,
    );
    const cut = thrown(() => parseDraftAnswer('{"precheck": "a', 'maxTokens', 77));
    expect(cut.code).toBe('LLM_INVALID_OUTPUT');
    expect(cut.details).toMatchObject({ reason: 'truncated', tokens: 77 });
  });
});

describe('output limits and the JSON schema', () => {
  it('mirrors the draft content fields with bounded lengths', () => {
    const schema = draftJsonSchema(DEFAULT_OUTPUT_LIMITS);
    expect(Object.keys(schema.properties)).toEqual([
      'precheck',
      'apply',
      'verify',
      'rollback',
      'metadata',
    ]);
    expect(schema.properties.apply).toEqual({ type: 'string', minLength: 1, maxLength: 4000 });
    expect(Object.keys(schema.properties.metadata.properties)).toEqual([
      'risk',
      'rebootNeeded',
      'servicesToRestart',
      'notes',
    ]);
    expect(schema.properties.metadata.properties.risk.enum).toEqual(['low', 'medium', 'high']);
  });

  it('clamps limits to the zod bounds and rejects nonsense', () => {
    expect(clampLimits({ scriptChars: 1_000_000, services: 50 })).toMatchObject({
      scriptChars: 65_536,
      services: 20,
      notesChars: DEFAULT_OUTPUT_LIMITS.notesChars,
    });
    expect(() => clampLimits({ notesChars: 0 })).toThrow(/positive integer/);
    expect(() => clampLimits({ serviceChars: 1.5 })).toThrow(/positive integer/);
  });
});

describe('LLM errors', () => {
  it('lists the codes the bridge must know', () => {
    expect(LLM_ERROR_CODES).toEqual(
      expect.arrayContaining([
        'MODEL_INVALID',
        'MODEL_LOAD_FAILED',
        'LLM_CONTEXT_OVERFLOW',
        'LLM_OUT_OF_MEMORY',
        'LLM_TIMEOUT',
        'CANCELLED',
      ]),
    );
  });

  it('classifies out-of-memory and context-overflow failures', () => {
    const oom = new Error('x');
    oom.name = 'InsufficientMemoryError';
    expect(isOutOfMemory(oom)).toBe(true);
    expect(
      isOutOfMemory(
        new Error('ggml_backend_cpu_buffer_type_alloc_buffer: failed to allocate buffer'),
      ),
    ).toBe(true);
    expect(isOutOfMemory(new Error('std::bad_alloc'))).toBe(true);
    expect(isOutOfMemory(new Error('Failed to load model'))).toBe(false);
    expect(
      isContextOverflow(new Error('The context size is too small to generate a response')),
    ).toBe(true);
    expect(isContextOverflow(new Error('nope'))).toBe(false);
    const e = contextOverflow(5000, 4096);
    expect(e.code).toBe('LLM_CONTEXT_OVERFLOW');
    expect(e.message).toMatch(/about 5000 tokens .* holds 4096/);
  });

  it('explains a load failure with llama.cpp’s own reason', () => {
    const e = loadError(new Error('Failed to load model'), 'm.gguf', [
      "llama_model_load: error loading model: tensor 'x' data is not within the file bounds",
      'llama_model_load_from_file_impl: failed to load model',
    ]);
    expect(e.code).toBe('MODEL_LOAD_FAILED');
    expect(e.message).toMatch(
      /^The model m\.gguf could not be loaded: tensor 'x' data is not within the file bounds\./,
    );
    expect(loadError(new Error('Failed to load model'), 'm.gguf', []).message).toMatch(
      /Failed to load model/,
    );
    const oom = loadError(new Error('unable to allocate 8 GiB'), 'm.gguf', []);
    expect(oom.code).toBe('LLM_OUT_OF_MEMORY');
    const passthrough = new VzError('CANCELLED', 'c');
    expect(loadError(passthrough, 'm', [])).toBe(passthrough);
  });

  it('maps abort reasons', () => {
    const c = new AbortController();
    c.abort();
    expect(abortError(c.signal).code).toBe('CANCELLED');
    const u = new AbortController();
    u.abort(new RuntimeAbort('unload'));
    expect(abortError(u.signal).message).toMatch(/unloaded/);
    const t = new AbortController();
    t.abort(new VzError('LLM_TIMEOUT', 'late'));
    expect(abortError(t.signal).code).toBe('LLM_TIMEOUT');
  });
});

describe('runtime options', () => {
  it('defaults threads to cores - 1, at least 1', () => {
    expect(defaultThreads()).toBeGreaterThanOrEqual(1);
    expect(new LlmRuntime().threads).toBe(defaultThreads());
    expect(new LlmRuntime({ threads: 3 }).threads).toBe(3);
  });

  it('rejects invalid threads and context sizes', () => {
    expect(() => new LlmRuntime({ threads: 0 })).toThrow(/Threads/);
    expect(() => new LlmRuntime({ threads: 1.5 })).toThrow(/Threads/);
    expect(() => new LlmRuntime({ contextSize: 10 })).toThrow(/context size/);
  });

  it('does not load anything until asked, and unload is a no-op then', async () => {
    const r = new LlmRuntime({ threads: 1 });
    expect(r.loaded).toBeNull();
    expect(r.busy).toBe(false);
    await r.unload();
    expect(r.stats).toEqual({ loads: 0, unloads: 0 });
  });
});
