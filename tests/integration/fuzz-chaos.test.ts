/**
 * CI's small run of `npm run fuzz` and `npm run chaos`: the same programs an operator runs
 * for the full counts, with counts that fit the CI budget. The zeros are the assertions:
 * no crash, hang, position-less error, untyped IPC error, vault changed by a failed call,
 * corrupt vault after kill -9, unnoticed damage, failed restore or silent push state.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function bench(
  script: string,
  args: string[],
): { code: number | null; figures: Map<string, number>; stderr: string } {
  const run = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--expose-gc', join(root, script), ...args],
    {
      cwd: root,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const figures = new Map<string, number>();
  for (const m of run.stdout.matchAll(/^BENCH (\S+) (\S+) \S+$/gm))
    figures.set(m[1] ?? '', Number(m[2]));
  return { code: run.status, figures, stderr: run.stderr };
}

describe('fuzz and chaos, small counts', () => {
  it('npm run fuzz: mutated files, hostile files and IPC payloads end typed and bounded', () => {
    const { code, figures, stderr } = bench('tests/fuzz/run.ts', [
      '--cases',
      '1500',
      '--ipc-cases',
      '900',
      '--hostile-scale',
      '0.25',
      '--seed',
      '42',
    ]);
    expect(figures.get('fuzz.import_cases'), stderr).toBe(1500);
    expect(figures.get('fuzz.import_formats')).toBeGreaterThanOrEqual(28);
    expect(figures.get('fuzz.import_crashes'), stderr).toBe(0);
    expect(figures.get('fuzz.import_hangs'), stderr).toBe(0);
    expect(figures.get('fuzz.import_errors_without_position'), stderr).toBe(0);
    expect(figures.get('fuzz.hostile_cases')).toBe(11);
    expect(figures.get('fuzz.hostile_failures'), stderr).toBe(0);
    expect(figures.get('fuzz.hostile_peak_rss_mb')).toBeLessThanOrEqual(300);
    expect(figures.get('fuzz.ipc_cases')).toBe(900);
    expect(figures.get('fuzz.ipc_untyped_errors'), stderr).toBe(0);
    expect(figures.get('fuzz.ipc_vault_changed_on_failure'), stderr).toBe(0);
    expect(code, stderr).toBe(0);
  }, 600_000);

  it('npm run chaos: kill -9 mid-import, a damaged page, SSH cuts mid-push', () => {
    const { code, figures, stderr } = bench('tests/chaos/run.ts', [
      '--kills',
      '4',
      '--restores',
      '3',
      '--ssh-cuts',
      '3',
      '--hosts',
      '150',
      '--seed',
      '42',
    ]);
    expect(figures.get('chaos.import_kill_trials'), stderr).toBe(4);
    expect(figures.get('chaos.vault_corrupt'), stderr).toBe(0);
    expect(
      (figures.get('chaos.import_whole') ?? 0) + (figures.get('chaos.import_absent') ?? 0),
    ).toBe(4);
    expect(figures.get('chaos.backup_damage_detected'), stderr).toBe(3);
    expect(figures.get('chaos.backup_restore_ok'), stderr).toBe(3);
    // CI runs as root with openssh-server: the SSH cuts run there.
    if (process.getuid?.() === 0) {
      expect(figures.get('chaos.ssh_cut_trials'), stderr).toBe(3);
      expect(figures.get('chaos.silent_states'), stderr).toBe(0);
    }
    expect(code, stderr).toBe(0);
  }, 600_000);
});
