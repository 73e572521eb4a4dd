/**
 * A fuzz worker thread: receives { target, seed }, mutates the target's file with the
 * seed, parses it and posts the outcome (or the crash's message and stack). The parent
 * kills this thread when a case runs past its time bound (a hang).
 */
import { readFileSync } from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { runCase, type Target } from './cases';
import { mutate, rng } from './mutate';

const cache = new Map<string, Buffer>();

parentPort?.on('message', (msg: { target: Target; seed: number }) => {
  const original = cache.get(msg.target.path) ?? readFileSync(msg.target.path);
  cache.set(msg.target.path, original);
  const bytes = mutate(original, rng(msg.seed));
  runCase(msg.target, bytes).then(
    (outcome) => parentPort?.postMessage(outcome),
    (error: unknown) =>
      parentPort?.postMessage({
        outcome: 'crash',
        crash:
          error instanceof Error
            ? `${error.name}: ${error.message}\n${error.stack ?? ''}`
            : String(error),
      }),
  );
});
