/**
 * `npm run fuzz [-- --cases N] [--ipc-cases N] [--seed S] [--max-seconds T]
 *   [--only import|hostile|ipc] [--hostile-scale F]`
 *
 * Seeded, bounded fuzzing that prints its figures as BENCH lines:
 *   fuzz.import_cases, fuzz.import_crashes, fuzz.import_hangs,
 *   fuzz.import_errors_without_position  (mutated scanner files and feeds)
 *   fuzz.hostile_cases, fuzz.hostile_failures, fuzz.hostile_peak_rss_mb  (XXE, billion
 *     laughs, quadratic blow-up, 1 GB single lines, deep nesting, gzip/xz bombs)
 *   fuzz.ipc_cases, fuzz.ipc_untyped_errors, fuzz.ipc_vault_changed_on_failure
 * The default counts are the full run (100,000 import cases); CI runs a small count
 * (tests/integration/fuzz-chaos.test.ts). Exit 1 when anything crashed, hung, lost its
 * position or changed the vault on a failed call; the failures are printed with the seed
 * that reproduces them.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { report } from '../bench/report';
import { fuzzImports, type FuzzFailure } from './import-fuzz';
import { hostileCases, runHostile } from './hostile-cases';
import { fuzzIpc } from './ipc-fuzz';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    'ipc-cases': { type: 'string', default: '20000' },
    seed: { type: 'string', default: '20261206' },
    'max-seconds': { type: 'string', default: '1800' },
    only: { type: 'string' },
    'hostile-scale': { type: 'string', default: '1' },
  },
});
const seed = Number(values.seed);
const maxSeconds = Number(values['max-seconds']);
let bad = 0;

function show(kind: string, failures: FuzzFailure[]): void {
  for (const f of failures.slice(0, 10))
    process.stderr.write(
      `# ${kind}: ${f.format} ${f.target} seed ${f.seed}\n#   ${f.detail.split('\n').slice(0, 4).join('\n#   ')}\n`,
    );
}

if (values.only === undefined || values.only === 'import') {
  const r = await fuzzImports({
    cases: Number(values.cases),
    seed,
    caseTimeoutMs: 10_000,
    maxSeconds,
    workers: Math.max(1, Math.min(4, availableParallelism())),
    heapMb: 256,
  });
  const noPosition = [...r.outcomes].filter(([k]) => k.endsWith('/no-position'));
  report('fuzz', 'import_cases', r.cases, 'cases');
  report('fuzz', 'import_targets', r.targets, 'files');
  report('fuzz', 'import_formats', r.formats, 'formats');
  report('fuzz', 'import_crashes', r.crashes.length, 'cases');
  report('fuzz', 'import_hangs', r.hangs.length, 'cases');
  report(
    'fuzz',
    'import_errors_without_position',
    noPosition.reduce((n, [, c]) => n + c, 0),
    'cases',
  );
  report('fuzz', 'import_s', r.seconds, 's');
  process.stderr.write(`# outcomes: ${[...r.outcomes].map(([k, v]) => `${k} ${v}`).join(', ')}\n`);
  show('crash', r.crashes);
  show('hang', r.hangs);
  show('no position', r.unpositioned);
  bad += r.crashes.length + r.hangs.length + noPosition.length;
}

if (values.only === undefined || values.only === 'hostile') {
  // Refused with a typed error, or parsed, within 300 MB and the case's time bound.
  const scale = Number(values['hostile-scale']);
  let failures = 0;
  let peak = 0;
  for (const c of hostileCases(scale)) {
    const r = await runHostile(c.name, scale);
    peak = Math.max(peak, r.maxRssMb);
    const ok = r.outcome !== 'crash' && r.maxRssMb <= 300;
    if (!ok) failures += 1;
    process.stderr.write(
      `# hostile ${c.name}: ${r.outcome} in ${r.seconds.toFixed(2)} s, ${r.maxRssMb.toFixed(0)} MB${r.message ? ` (${r.message})` : ''}\n`,
    );
  }
  report('fuzz', 'hostile_cases', hostileCases(scale).length, 'cases');
  report('fuzz', 'hostile_failures', failures, 'cases');
  report('fuzz', 'hostile_peak_rss_mb', peak, 'MB');
  bad += failures;
}

if (values.only === undefined || values.only === 'ipc') {
  const r = await fuzzIpc({ cases: Number(values['ipc-cases']), seed, maxSeconds });
  report('fuzz', 'ipc_cases', r.cases, 'cases');
  report('fuzz', 'ipc_channels', r.channels, 'channels');
  report('fuzz', 'ipc_untyped_errors', r.untyped.length, 'cases');
  report('fuzz', 'ipc_vault_changed_on_failure', r.changedOnFailure.length, 'cases');
  report('fuzz', 'ipc_s', r.seconds, 's');
  for (const f of [...r.untyped, ...r.changedOnFailure].slice(0, 10))
    process.stderr.write(`# ipc: ${f}\n`);
  bad += r.untyped.length + r.changedOnFailure.length;
}
process.exit(bad ? 1 : 0);
