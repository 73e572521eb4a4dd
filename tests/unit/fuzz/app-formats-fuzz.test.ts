/**
 * The fuzzer covers the application and SBOM formats too: every one of them has real
 * fixtures among its targets, and seeded mutations of each (truncated, flipped, spliced)
 * end as "ok" or a typed error that says where — never a crash. Runs in-process with the
 * fuzzer's own case runner, a few hundred cases per format.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fuzzTargets, runCase } from '../../fuzz/cases';
import { mutate, rng } from '../../fuzz/mutate';

const APP_FORMATS = [
  'sarif',
  'cyclonedx',
  'osv_scanner',
  'dependency_check',
  'npm_audit',
  'npm_audit_7_plus',
  'yarn_audit',
  'ms_defender',
] as const;
const CASES_PER_FORMAT = 150;

const targets = fuzzTargets(300_000).filter((t) => t.kind === 'import');

describe('fuzzing the application and SBOM formats', () => {
  it('has real fixtures of every one among its targets', () => {
    const formats = new Set(targets.map((t) => t.format));
    for (const format of APP_FORMATS) expect(formats.has(format), format).toBe(true);
  });

  for (const format of APP_FORMATS)
    it(`${format}: ${CASES_PER_FORMAT} mutated files end typed, with a position`, async () => {
      const mine = targets.filter((t) => t.format === format);
      const random = rng(0x5eed + format.length);
      const outcomes = new Map<string, number>();
      for (let i = 0; i < CASES_PER_FORMAT; i++) {
        const target = mine[i % mine.length]!;
        const bytes = mutate(readFileSync(target.path), random);
        const { outcome, message } = await runCase(target, bytes);
        expect(outcome.endsWith('/no-position'), `${target.path} case ${i}: ${message}`).toBe(
          false,
        );
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
      // Mutations of real files both parse and fail: the cases are not all one kind.
      expect([...outcomes.values()].reduce((a, b) => a + b, 0)).toBe(CASES_PER_FORMAT);
      expect(outcomes.size).toBeGreaterThan(1);
    }, 60_000);
});
