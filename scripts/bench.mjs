#!/usr/bin/env node
// Runs the benchmarks in tests/bench: every `<group>.bench.ts`, or one group with
// `npm run bench -- --only GROUP`. Each benchmark prints its figures as
// `BENCH <group>.<name> <value> <unit>` lines; benchmarks measure, they never assert.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({
  options: { only: { type: 'string', multiple: true } },
  allowPositionals: false,
});
const dir = join(import.meta.dirname, '..', 'tests', 'bench');
const groups = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .map((f) => f.slice(0, -'.bench.ts'.length))
  .sort();

const wanted = values.only ?? groups;
const unknown = wanted.filter((g) => !groups.includes(g));
if (unknown.length) {
  process.stderr.write(
    `unknown benchmark group(s): ${unknown.join(', ')}; known: ${groups.join(', ')}\n`,
  );
  process.exit(2);
}

let failed = 0;
for (const group of wanted) {
  process.stderr.write(`# bench ${group}\n`);
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join(dir, `${group}.bench.ts`)],
    {
      stdio: 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (run.status !== 0) {
    process.stderr.write(`# bench ${group} failed (exit ${run.status})\n`);
    failed += 1;
  }
}
process.exit(failed ? 1 : 0);
