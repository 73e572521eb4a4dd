/**
 * LLM draft overhead: `generateLlmDraft` (prompt building, runtime, grammar cache, progress,
 * timeout, parse and zod validation) against raw node-llama-cpp generation with the same
 * model file, prompt, grammar, sampling seed and token count, one thread each.
 * Called by the drafts benchmark; it measures and never asserts timings.
 */
import { getLlama, LlamaChatSession, LlamaLogLevel } from 'node-llama-cpp';
import { generateLlmDraft, type GenerateOptions } from '../../src-main/drafts/llm/generate';
import { draftJsonSchema, type OutputLimits } from '../../src-main/drafts/llm/json-schema';
import { sha256File } from '../../src-main/drafts/llm/model-info';
import { buildPrompt, type LlmFinding } from '../../src-main/drafts/llm/prompt';
import { LlmRuntime } from '../../src-main/drafts/llm/runtime';

const FINDING: LlmFinding = {
  title: 'OpenSSL < 3.0.13 multiple vulnerabilities',
  severity: 'high',
  cves: ['CVE-2024-0727'],
  assetName: 'web-01.example.lan',
  os: 'Ubuntu 22.04.3 LTS',
  port: 443,
  service: 'https',
  component: {
    name: 'openssl',
    installedVersion: '3.0.2-0ubuntu1.12',
    fixedVersion: '3.0.2-0ubuntu1.14',
  },
  evidence:
    'Installed package : openssl_3.0.2-0ubuntu1.12\nFixed package     : openssl_3.0.2-0ubuntu1.14',
  solution: 'Update the affected openssl package.',
};
const LIMITS: OutputLimits = { scriptChars: 48, notesChars: 48, services: 2, serviceChars: 16 };
const BOUNDARY = 'vzbench0000000000000000000';
const SEED = 7;
const TEMPERATURE = 0.2;
const MAX_TOKENS = 1000;
const CONTEXT_SIZE = 4096;

/**
 * Percent extra wall time of a draft over raw generation: (draft - raw) / raw * 100, from
 * the fastest of `runs` interleaved runs each (after one warm-up run each, which also
 * checks that both paths generate the same number of tokens).
 */
export async function llmOverheadPct(modelPath: string, runs = 6): Promise<number> {
  const sha256 = await sha256File(modelPath);

  // The product path.
  const runtime = new LlmRuntime({ threads: 1, contextSize: CONTEXT_SIZE, idleUnloadMs: 0 });
  const draftOptions: GenerateOptions = {
    limits: LIMITS,
    maxTokens: MAX_TOKENS,
    seed: SEED,
    temperature: TEMPERATURE,
    boundary: BOUNDARY,
    onProgress: () => undefined,
  };
  const draft = async (): Promise<number> => {
    const r = await generateLlmDraft(
      runtime,
      { model: { path: modelPath, sha256 }, finding: FINDING },
      draftOptions,
    );
    return r.tokens;
  };

  // The raw path: node-llama-cpp only, same model file, prompt, grammar and sampling.
  const llama = await getLlama({
    gpu: false,
    build: 'never',
    skipDownload: true,
    progressLogs: false,
    logLevel: LlamaLogLevel.error,
    logger: () => undefined,
  });
  const model = await llama.loadModel({ modelPath, gpuLayers: 0 });
  const context = await model.createContext({
    contextSize: Math.min(CONTEXT_SIZE, model.trainContextSize),
    threads: 1,
    sequences: 1,
  });
  const grammar = await llama.createGrammarForJsonSchema(draftJsonSchema(LIMITS));
  const prompt = buildPrompt({ finding: FINDING }, { boundary: BOUNDARY, limits: LIMITS });
  const raw = async (): Promise<number> => {
    const sequence = context.getSequence();
    const session = new LlamaChatSession({
      contextSequence: sequence,
      systemPrompt: prompt.system,
      autoDisposeSequence: false,
    });
    let tokens = 0;
    try {
      const text = await session.prompt(prompt.user, {
        grammar,
        maxTokens: MAX_TOKENS,
        seed: SEED,
        temperature: TEMPERATURE,
        onToken: (t) => (tokens += t.length),
      });
      JSON.parse(text);
      return tokens;
    } finally {
      session.dispose({ disposeSequence: false });
      await sequence.dispose();
    }
  };

  try {
    const warmDraft = await draft();
    const warmRaw = await raw();
    if (warmDraft !== warmRaw) {
      throw new Error(
        `draft and raw generated different token counts (${warmDraft} vs ${warmRaw})`,
      );
    }
    const draftMs: number[] = [];
    const rawMs: number[] = [];
    const time = async (fn: () => Promise<number>, into: number[]): Promise<void> => {
      const t = performance.now();
      await fn();
      into.push(performance.now() - t);
    };
    for (let i = 0; i < runs; i++) {
      // Alternate which goes first, so neither always runs on a warmer cache.
      if (i % 2 === 0) {
        await time(raw, rawMs);
        await time(draft, draftMs);
      } else {
        await time(draft, draftMs);
        await time(raw, rawMs);
      }
    }
    // The fastest run of each: the least disturbed by other load on the machine.
    const r = Math.min(...rawMs);
    return ((Math.min(...draftMs) - r) / r) * 100;
  } finally {
    await context.dispose();
    await model.dispose();
    await runtime.dispose();
  }
}
