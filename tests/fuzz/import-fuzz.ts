/**
 * `npm run fuzz` for the importers and feed parsers: `cases` mutated files spread over
 * every fixture, run by worker threads (one case in flight each). A case that runs past
 * `caseTimeoutMs` is a hang: its worker is terminated and replaced. A worker that runs out
 * of its heap bound is a crash. Every crash and hang is kept with its target and seed so
 * `mutate(file, rng(seed))` reproduces it.
 */
import { Worker } from 'node:worker_threads';
import { fuzzTargets, type Target } from './cases';

export interface ImportFuzzOptions {
  cases: number;
  seed: number;
  caseTimeoutMs: number;
  /** Stop starting new cases after this long (the figures say how many ran). */
  maxSeconds: number;
  workers: number;
  /** Heap bound of each worker (MB): a file that needs more is a failure. */
  heapMb: number;
}

export interface FuzzFailure {
  target: string;
  format: string;
  seed: number;
  detail: string;
}

export interface ImportFuzzResult {
  cases: number;
  targets: number;
  formats: number;
  outcomes: Map<string, number>;
  crashes: FuzzFailure[];
  hangs: FuzzFailure[];
  /** Malformed-input errors that do not say where. */
  unpositioned: FuzzFailure[];
  seconds: number;
}

const WORKER = new URL('./import-worker-boot.mjs', import.meta.url);

function caseSeed(seed: number, i: number): number {
  return (Math.imul(seed, 1_000_003) + i) >>> 0;
}

export async function fuzzImports(options: ImportFuzzOptions): Promise<ImportFuzzResult> {
  const targets = fuzzTargets();
  const result: ImportFuzzResult = {
    cases: 0,
    targets: targets.length,
    formats: new Set(targets.map((t) => `${t.kind}:${t.format}`)).size,
    outcomes: new Map(),
    crashes: [],
    hangs: [],
    unpositioned: [],
    seconds: 0,
  };
  const started = performance.now();
  let next = 0;
  const take = (): number | null => {
    if (next >= options.cases) return null;
    if ((performance.now() - started) / 1000 > options.maxSeconds) return null;
    return next++;
  };
  const failure = (target: Target, seed: number, detail: string): FuzzFailure => ({
    target: target.path,
    format: target.format,
    seed,
    detail,
  });

  const lane = async (): Promise<void> => {
    let worker: Worker | null = null;
    const spawn = (): Worker =>
      new Worker(WORKER, {
        resourceLimits: { maxOldGenerationSizeMb: options.heapMb },
      });
    for (let i = take(); i !== null; i = take()) {
      const target = targets[i % targets.length] as Target;
      const seed = caseSeed(options.seed, i);
      worker ??= spawn();
      const w = worker;
      const outcome = await new Promise<{ outcome: string; crash?: string; message?: string }>(
        (resolve) => {
          const timer = setTimeout(() => resolve({ outcome: 'hang' }), options.caseTimeoutMs);
          const done = (value: { outcome: string; crash?: string; message?: string }): void => {
            clearTimeout(timer);
            w.off('message', done);
            w.off('error', failed);
            resolve(value);
          };
          const failed = (error: Error): void =>
            done({ outcome: 'crash', crash: `worker died: ${error.message}` });
          w.on('message', done);
          w.once('error', failed);
          w.postMessage({ target, seed });
        },
      );
      result.cases += 1;
      result.outcomes.set(outcome.outcome, (result.outcomes.get(outcome.outcome) ?? 0) + 1);
      if (outcome.outcome.endsWith('/no-position'))
        result.unpositioned.push(failure(target, seed, outcome.message ?? ''));
      if (outcome.outcome === 'hang') result.hangs.push(failure(target, seed, 'no result in time'));
      if (outcome.outcome === 'crash')
        result.crashes.push(failure(target, seed, outcome.crash ?? ''));
      if (outcome.outcome === 'hang' || outcome.outcome === 'crash') {
        await w.terminate();
        worker = null;
      }
    }
    await worker?.terminate();
  };
  await Promise.all(Array.from({ length: options.workers }, () => lane()));
  result.seconds = (performance.now() - started) / 1000;
  return result;
}
