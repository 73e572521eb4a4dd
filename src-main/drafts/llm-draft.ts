/**
 * The model's part of drafting: the registered model, the finding as the prompt sees
 * it, generation with progress and cancel. The runtime (one loaded model at a time) is
 * shared by the process: `LlmService` keeps it, re-creates it when the thread setting
 * changes, and unloads the model when the vault locks.
 */
import type { JobControls } from '../core/jobs';
import type { CoreContext } from '../core/context';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';
import type { FindingContext, LlmGenerate } from './create';
import { generateLlmDraft, type GenerateOptions } from './llm/generate';
import type { LlmFinding } from './llm/prompt';
import { LlmRuntime, defaultThreads } from './llm/runtime';
import { getModel } from './models';

export const THREADS_SETTING = 'llm.threads';

export function llmFinding(f: FindingContext): LlmFinding {
  return {
    title: f.title,
    severity: f.severity,
    cves: f.cves,
    assetName: f.assetName,
    os: f.os,
    port: f.port,
    service: f.service,
    component: f.componentName
      ? {
          name: f.componentName,
          installedVersion: f.componentVersion,
          fixedVersion: f.componentFixedVersion,
        }
      : null,
    evidence: f.evidence,
    description: f.description,
    solution: f.solution,
  };
}

export function llmGenerator(
  runtime: LlmRuntime,
  db: Db,
  modelId: number | undefined,
  options: GenerateOptions = {},
): LlmGenerate {
  return async (finding, rulesDraft) => {
    const model = getModel(db, modelId);
    const result = await generateLlmDraft(
      runtime,
      {
        model: { path: model.path, sha256: model.sha256 },
        finding: llmFinding(finding),
        rulesDraft,
      },
      options,
    );
    return { content: result.content, modelSha256: result.modelSha256, modelId: model.id };
  };
}

/** The process's LLM runtime. */
export class LlmService {
  private runtime: LlmRuntime | null = null;

  constructor(
    private readonly fixedThreads?: number,
    /** Generation options for every draft (tests bound the tiny model's output). */
    readonly generate: GenerateOptions = {},
  ) {}

  runtimeFor(threads: number): LlmRuntime {
    if (this.runtime && this.runtime.threads === threads) return this.runtime;
    void this.runtime?.unload();
    this.runtime = new LlmRuntime({ threads });
    return this.runtime;
  }

  threadsFor(session: VaultSession): number {
    return this.fixedThreads ?? session.setting<number>(THREADS_SETTING, defaultThreads());
  }

  /** The model in memory, if any. */
  get loaded(): { path: string; sha256: string } | null {
    return this.runtime?.loaded ?? null;
  }

  async unload(): Promise<void> {
    await this.runtime?.unload();
  }
}

/** The generator a `drafts.create` job uses: progress as tokens and tokens/s. */
export function llmGeneratorFor(
  ctx: CoreContext,
  session: VaultSession,
  modelId: number | undefined,
  controls: JobControls,
): LlmGenerate {
  const runtime = ctx.llm.runtimeFor(ctx.llm.threadsFor(session));
  return llmGenerator(runtime, session.db, modelId, {
    ...ctx.llm.generate,
    signal: controls.signal,
    onProgress: (p) =>
      controls.progress(
        p.phase,
        p.tokens,
        p.maxTokens,
        p.phase === 'loading'
          ? 'loading the model'
          : `${p.tokens} tokens, ${p.tokensPerSecond.toFixed(1)} tokens/s`,
      ),
  });
}
