/**
 * The local LLM engine against a real (tiny, random-weight) GGUF model, loaded by
 * node-llama-cpp with one thread.
 */
import { writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { draftContent } from '../../../src-preload/drafts-schemas';
import { VzError } from '../../../src-main/core/errors';
import { sha256File } from '../../../src-main/drafts/llm/model-info';
import {
  generateLlmDraft,
  type GenerateOptions,
  type LlmProgress,
} from '../../../src-main/drafts/llm/generate';
import { LlmRuntime, type IdleTimers, type ModelRef } from '../../../src-main/drafts/llm/runtime';
import type { WrittenModel } from '../../../src-main/drafts/llm/tiny-model';
import {
  BENIGN,
  TEST_LIMITS,
  TEST_MAX_TOKENS,
  tempDir,
  tinyModel,
} from '../../unit/drafts/llm/fixtures';

const OPTIONS: GenerateOptions = {
  limits: TEST_LIMITS,
  maxTokens: TEST_MAX_TOKENS,
  seed: 42,
  progressIntervalMs: 0,
};

async function rejection(p: Promise<unknown>): Promise<VzError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VzError) return e;
    throw e;
  }
  throw new Error('expected a rejection');
}

/** Timers the test fires by hand. */
function manualTimers(): IdleTimers & {
  pending: Array<{ fn: () => void; ms: number }>;
  fire(): void;
} {
  const pending: Array<{ fn: () => void; ms: number; id: number }> = [];
  let next = 1;
  return {
    pending,
    setTimeout(fn, ms) {
      const id = next++;
      pending.push({ fn, ms, id });
      return id;
    },
    clearTimeout(h) {
      const i = pending.findIndex((p) => p.id === h);
      if (i >= 0) pending.splice(i, 1);
    },
    fire() {
      for (const p of pending.splice(0)) p.fn();
    },
  };
}

describe('local LLM drafts (tiny model, 1 thread)', () => {
  let tiny: WrittenModel;
  let ref: ModelRef;
  let runtime: LlmRuntime;

  beforeAll(async () => {
    tiny = await tinyModel();
    ref = { path: tiny.path, sha256: tiny.sha256 };
    runtime = new LlmRuntime({ threads: 1, idleUnloadMs: 0 });
  });
  afterAll(async () => {
    await runtime.dispose();
  });

  it('generates a schema-valid draft with streaming progress', async () => {
    const events: LlmProgress[] = [];
    const result = await generateLlmDraft(
      runtime,
      { model: ref, finding: BENIGN },
      { ...OPTIONS, onProgress: (p) => events.push(p) },
    );
    expect(draftContent.safeParse(result.content).success).toBe(true);
    for (const step of ['precheck', 'apply', 'verify', 'rollback'] as const) {
      expect(result.content[step].length).toBeGreaterThan(0);
      expect(result.content[step].length).toBeLessThanOrEqual(TEST_LIMITS.scriptChars);
    }
    expect(['low', 'medium', 'high']).toContain(result.content.metadata.risk);
    expect(result.content.metadata.servicesToRestart.length).toBeLessThanOrEqual(2);
    expect(result.modelSha256).toBe(tiny.sha256);
    expect(result.seed).toBe(42);
    expect(result.tokens).toBeGreaterThan(20);
    expect(result.tokens).toBeLessThan(TEST_MAX_TOKENS);
    expect(result.tokensPerSecond).toBeGreaterThan(0);
    expect(result.promptTokens).toBeGreaterThan(300);

    expect(events[0]?.phase).toBe('loading');
    const generating = events.filter((e) => e.phase === 'generating');
    expect(generating.length).toBeGreaterThan(5);
    for (let i = 1; i < generating.length; i++) {
      expect(generating[i]!.tokens).toBeGreaterThan(generating[i - 1]!.tokens);
    }
    expect(generating.at(-1)!.tokens).toBe(result.tokens);
    expect(generating.every((e) => e.maxTokens === TEST_MAX_TOKENS)).toBe(true);
    expect(runtime.loaded).toEqual(ref);
  });

  it('is reproducible for a fixed seed and boundary', async () => {
    const a = await generateLlmDraft(
      runtime,
      { model: ref, finding: BENIGN },
      { ...OPTIONS, boundary: 'vzaaaaaaaaaaaaaaaaaaaaaaaa' },
    );
    const b = await generateLlmDraft(
      runtime,
      { model: ref, finding: BENIGN },
      { ...OPTIONS, boundary: 'vzaaaaaaaaaaaaaaaaaaaaaaaa' },
    );
    expect(b.content).toEqual(a.content);
    expect(b.tokens).toBe(a.tokens);
  });

  it('cancels mid-generation promptly with CANCELLED', async () => {
    const controller = new AbortController();
    let abortedAt = 0;
    let events = 0;
    const err = await rejection(
      generateLlmDraft(
        runtime,
        { model: ref, finding: BENIGN },
        {
          ...OPTIONS,
          // Large limits: uncancelled, this would run for the whole token budget.
          limits: { scriptChars: 4000 },
          maxTokens: 1500,
          signal: controller.signal,
          onProgress: (p) => {
            if (p.phase !== 'generating') return;
            events++;
            if (!controller.signal.aborted) {
              abortedAt = performance.now();
              controller.abort();
            }
          },
        },
      ),
    );
    const latency = performance.now() - abortedAt;
    expect(err.code).toBe('CANCELLED');
    expect(err.message).toMatch(/cancelled/i);
    expect(events).toBeLessThan(10);
    expect(latency).toBeLessThan(1000);
    expect(runtime.busy).toBe(false);
    // The runtime is usable right after.
    const again = await generateLlmDraft(runtime, { model: ref, finding: BENIGN }, OPTIONS);
    expect(draftContent.safeParse(again.content).success).toBe(true);
  });

  it('refuses a second generation while one runs (LLM_BUSY)', async () => {
    const first = generateLlmDraft(runtime, { model: ref, finding: BENIGN }, OPTIONS);
    const second = await rejection(
      generateLlmDraft(runtime, { model: ref, finding: BENIGN }, OPTIONS),
    );
    expect(second.code).toBe('LLM_BUSY');
    expect(second.message).toMatch(/already generating/);
    expect(draftContent.safeParse((await first).content).success).toBe(true);
  });

  it('times out with LLM_TIMEOUT', async () => {
    const err = await rejection(
      generateLlmDraft(
        runtime,
        { model: ref, finding: BENIGN },
        { ...OPTIONS, limits: { scriptChars: 4000 }, maxTokens: 1500, timeoutMs: 150 },
      ),
    );
    expect(err.code).toBe('LLM_TIMEOUT');
    expect(err.message).toMatch(/did not finish within/);
  });

  it('reports a prompt longer than the context as LLM_CONTEXT_OVERFLOW', async () => {
    const small = new LlmRuntime({ threads: 1, contextSize: 512, idleUnloadMs: 0 });
    try {
      const err = await rejection(
        generateLlmDraft(small, { model: ref, finding: BENIGN }, OPTIONS),
      );
      expect(err.code).toBe('LLM_CONTEXT_OVERFLOW');
      expect(err.message).toMatch(
        /prompt needs about \d+ tokens but the model's context holds 512/,
      );
      expect(err.details?.available).toBe(512);
    } finally {
      await small.dispose();
    }
  });

  it('reports an answer cut by maxTokens as LLM_INVALID_OUTPUT', async () => {
    const err = await rejection(
      generateLlmDraft(runtime, { model: ref, finding: BENIGN }, { ...OPTIONS, maxTokens: 10 }),
    );
    expect(err.code).toBe('LLM_INVALID_OUTPUT');
    expect(err.message).toMatch(/cut at 10 tokens/);
  });

  it('unload() frees the model (and cancels a running generation); the next draft reloads it', async () => {
    const r = new LlmRuntime({ threads: 1, idleUnloadMs: 0 });
    try {
      await generateLlmDraft(r, { model: ref, finding: BENIGN }, OPTIONS);
      expect(r.stats).toEqual({ loads: 1, unloads: 0 });
      await r.unload();
      expect(r.loaded).toBeNull();
      expect(r.stats).toEqual({ loads: 1, unloads: 1 });

      const running = generateLlmDraft(
        r,
        { model: ref, finding: BENIGN },
        {
          ...OPTIONS,
          limits: { scriptChars: 4000 },
          maxTokens: 1500,
          onProgress: (p) => {
            if (p.phase === 'generating' && p.tokens === 1) void r.unload();
          },
        },
      );
      const err = await rejection(running);
      expect(err.code).toBe('CANCELLED');
      expect(err.message).toMatch(/unloaded/);
      await r.unload();
      expect(r.loaded).toBeNull();
      expect(r.stats).toEqual({ loads: 2, unloads: 2 });

      const again = await generateLlmDraft(r, { model: ref, finding: BENIGN }, OPTIONS);
      expect(draftContent.safeParse(again.content).success).toBe(true);
      expect(r.stats.loads).toBe(3);
      expect(r.loaded).toEqual(ref);
    } finally {
      await r.dispose();
    }
    expect(r.loaded).toBeNull();
    expect(
      (await rejection(generateLlmDraft(r, { model: ref, finding: BENIGN }, OPTIONS))).code,
    ).toBe('CANCELLED');
  });

  it('unloads after the idle period (injected timer), and not while busy', async () => {
    const timers = manualTimers();
    const r = new LlmRuntime({ threads: 1, idleUnloadMs: 60_000, timers });
    try {
      await generateLlmDraft(r, { model: ref, finding: BENIGN }, OPTIONS);
      expect(r.loaded).toEqual(ref);
      expect(timers.pending.map((p) => p.ms)).toEqual([60_000]);
      // A new generation clears the pending timer and schedules a new one afterwards.
      await generateLlmDraft(r, { model: ref, finding: BENIGN }, OPTIONS);
      expect(timers.pending).toHaveLength(1);
      expect(r.stats.loads).toBe(1);
      timers.fire();
      await new Promise((res) => setTimeout(res, 50));
      expect(r.loaded).toBeNull();
      expect(r.stats.unloads).toBe(1);
      expect(timers.pending).toHaveLength(0);
    } finally {
      await r.dispose();
    }
  });

  it('unloads after a real short idle period', async () => {
    const r = new LlmRuntime({ threads: 1, idleUnloadMs: 100 });
    try {
      await r.load(ref);
      expect(r.loaded).toEqual(ref);
      await new Promise((res) => setTimeout(res, 400));
      expect(r.loaded).toBeNull();
    } finally {
      await r.dispose();
    }
  });

  describe('corrupt or changed model files', () => {
    const dir = tempDir();

    it('a file truncated in its tensor data: MODEL_LOAD_FAILED naming the cause', async () => {
      const path = join(dir, 'cut.gguf');
      writeFileSync(path, readFileSync(tiny.path).subarray(0, 300_000));
      const r = new LlmRuntime({ threads: 1, idleUnloadMs: 0 });
      const err = await rejection(
        generateLlmDraft(
          r,
          { model: { path, sha256: await sha256File(path) }, finding: BENIGN },
          OPTIONS,
        ),
      );
      expect(err.code).toBe('MODEL_LOAD_FAILED');
      expect(err.message).toMatch(/cut\.gguf could not be loaded/);
      expect(err.message).toMatch(/not within the file bounds|corrupt/);
      expect(r.loaded).toBeNull();
      await r.dispose();
    });

    it('random bytes: MODEL_LOAD_FAILED', async () => {
      const path = join(dir, 'random.gguf');
      writeFileSync(path, Buffer.from(Array.from({ length: 5000 }, (_, i) => (i * 7919) % 251)));
      const r = new LlmRuntime({ threads: 1, idleUnloadMs: 0 });
      const err = await rejection(r.load({ path, sha256: await sha256File(path) }));
      expect(err.code).toBe('MODEL_LOAD_FAILED');
      expect(err.message).toMatch(/random\.gguf could not be loaded/);
      await r.dispose();
    });

    it('a file whose hash changed since it was added: MODEL_INVALID', async () => {
      const r = new LlmRuntime({ threads: 1, idleUnloadMs: 0 });
      const err = await rejection(r.load({ path: tiny.path, sha256: '0'.repeat(64) }));
      expect(err.code).toBe('MODEL_INVALID');
      expect(err.message).toMatch(/changed since it was added/);
      await r.dispose();
    });

    it('a missing file: MODEL_INVALID', async () => {
      const r = new LlmRuntime({ threads: 1, idleUnloadMs: 0 });
      const err = await rejection(r.load({ path: join(dir, 'gone.gguf'), sha256: tiny.sha256 }));
      expect(err.code).toBe('MODEL_INVALID');
      expect(err.message).toMatch(/cannot be read/);
      await r.dispose();
    });
  });
});
