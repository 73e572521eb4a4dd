/**
 * `npm run fixture:tiny-model -- OUT.gguf [--seed N]`: writes the tiny random-weight llama
 * model used by the tests, so anyone can try the LLM path without a real model.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeTinyModel } from '../src-main/drafts/llm/tiny-model';

const USAGE = 'usage: npm run fixture:tiny-model -- OUT.gguf [--seed N]\n';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      options: { seed: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(USAGE);
    return 0;
  }
  const out = parsed.positionals[0];
  if (!out || parsed.positionals.length > 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const seed = parsed.values.seed === undefined ? 1 : Number(parsed.values.seed);
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) {
    process.stderr.write(`--seed must be a whole number from 0 to 4294967295\n${USAGE}`);
    return 2;
  }
  const written = await writeTinyModel(resolve(out), { seed });
  process.stdout.write(`${written.path}\n${written.size} bytes\nsha256 ${written.sha256}\n`);
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
