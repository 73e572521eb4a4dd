/**
 * `npm run chaos [-- --kills N] [--restores N] [--ssh-cuts N] [--seed S] [--hosts H]`
 *
 * Faults injected on purpose, printed as BENCH lines (never asserted here; the CI test
 * tests/integration/fuzz-chaos.test.ts runs small counts and checks the zeros):
 *   chaos.import_kill_trials, chaos.import_whole, chaos.import_absent, chaos.vault_corrupt
 *   chaos.backup_restore_trials, chaos.backup_damage_detected, chaos.backup_restore_ok
 *   chaos.ssh_cut_trials, chaos.silent_states   (needs root: real sshd on loopback)
 * Exit 1 when a vault was corrupt, damage went unnoticed, a restore failed or a host
 * ended in a silent state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { report } from '../bench/report';
import { backupRestoreTrials } from './backup-restore';
import { importKillTrials } from './import-kills';
import { sshCutTrials } from './ssh-cuts';

const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    restores: { type: 'string', default: '20' },
    'ssh-cuts': { type: 'string', default: '20' },
    seed: { type: 'string', default: '20261206' },
    hosts: { type: 'string', default: '300' },
  },
});
const seed = Number(values.seed);
const dir = mkdtempSync(join(tmpdir(), 'vz-chaos-'));
let bad = 0;
try {
  const kills = await importKillTrials(dir, Number(values.kills), seed, Number(values.hosts));
  report('chaos', 'import_file_mb', kills.fileMb, 'MB');
  report('chaos', 'import_kill_trials', kills.trials, 'trials');
  report('chaos', 'import_whole', kills.whole, 'trials');
  report('chaos', 'import_absent', kills.absent, 'trials');
  report('chaos', 'vault_corrupt', kills.corrupt.length, 'trials');
  for (const c of kills.corrupt) process.stderr.write(`# corrupt: ${c}\n`);
  bad += kills.corrupt.length;

  const restores = await backupRestoreTrials(dir, Number(values.restores), seed);
  report('chaos', 'backup_restore_trials', restores.trials, 'trials');
  report('chaos', 'backup_damage_detected', restores.detected, 'trials');
  report('chaos', 'backup_restore_ok', restores.restored, 'trials');
  for (const f of restores.failures) process.stderr.write(`# restore: ${f}\n`);
  bad += restores.failures.length;

  if (Number(values['ssh-cuts']) > 0) {
    const cuts = await sshCutTrials(Number(values['ssh-cuts']), seed);
    if (cuts === null)
      process.stderr.write('# ssh cuts skipped: needs root and sshd (see docs/ssh.md)\n');
    else {
      report('chaos', 'ssh_cut_trials', cuts.trials, 'trials');
      report('chaos', 'silent_states', cuts.silent.length, 'trials');
      process.stderr.write(
        `# ssh end states: ${[...cuts.states].map(([k, v]) => `${k} ${v}`).join(', ')}\n`,
      );
      for (const s of cuts.silent) process.stderr.write(`# silent: ${s}\n`);
      bad += cuts.silent.length;
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
process.exit(bad ? 1 : 0);
