/**
 * Operations from the CLI: `vulnzero diagnostics --out FILE` (a redacted support bundle)
 * and `vulnzero vault check-backup [--id N]` (the Health panel's "Check last backup").
 */
import { existsSync } from 'node:fs';
import { demoMark } from '../../demo/init';
import { checkBackup } from '../../ops/backup-check';
import { diagnosticsBundle, writeDiagnostics } from '../../ops/diagnostics';
import type { HealthInputs } from '../../ops/health';
import { jobsFromLogs } from '../../ops/job-history';
import { logDirFor } from '../../ops/log-files';
import type { VaultSession } from '../../vault/session';
import { UsageError, type Command, type CommandRun } from '../command';
import { UNLOCK_OPTIONS } from '../args';
import { printResult, vaultPath, withSession } from '../vault-access';

function inputs(path: string, session: VaultSession | null): HealthInputs {
  const logDir = logDirFor(path);
  return {
    vaultPath: path,
    state: session ? 'unlocked' : existsSync(path) ? 'locked' : 'absent',
    session,
    demo: session ? demoMark(session.db) !== null : false,
    logDir: existsSync(logDir) ? logDir : null,
    jobs: existsSync(logDir) ? jobsFromLogs(logDir) : [],
    modelLoadedPath: null,
  };
}

function hasPassphrase(run: CommandRun): boolean {
  return Boolean(run.global.passphraseFile || run.io.env['VULNZERO_PASSPHRASE']);
}

export const opsCommands: Command[] = [
  {
    name: 'diagnostics',
    summary:
      'Write a redacted support bundle (versions, health, vault check, counts, recent jobs and logs) to FILE.',
    details:
      'No secrets, finding text or host addresses go in the bundle. With a passphrase the vault is unlocked for its check, counts, backups and feeds; without one the bundle holds what can be read while locked.',
    usage: '--out FILE [--force]',
    options: {
      ...UNLOCK_OPTIONS,
      out: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
    run: async (run) => {
      const out = run.values['out'];
      if (typeof out !== 'string' || out === '')
        throw new UsageError('diagnostics needs --out FILE');
      if (existsSync(out) && run.values['force'] !== true)
        throw new UsageError(`${out} exists; choose another file or add --force to replace it`);
      const path = vaultPath(run);
      const bundle = hasPassphrase(run)
        ? await withSession(run, (session) => diagnosticsBundle(inputs(path, session)))
        : await diagnosticsBundle(inputs(path, null));
      writeDiagnostics(out, bundle, true);
      const warnings = (bundle['health'] as { warnings: string[] }).warnings;
      printResult(
        run,
        { file: out, unlocked: bundle['unlocked'], warnings },
        `Wrote the diagnostics bundle to ${out}${bundle['unlocked'] ? '' : ' (vault locked: no passphrase given)'}.${warnings.length ? `\nWarnings:\n${warnings.map((w) => `  - ${w}`).join('\n')}` : ''}`,
      );
      return 0;
    },
  },
  {
    name: 'vault check-backup',
    summary:
      'Decrypt a backup (the newest, or --id N) and run integrity_check on it; audited; exit 1 when it fails.',
    usage: '[--id N]',
    options: { ...UNLOCK_OPTIONS, id: { type: 'string' } },
    run: (run) => {
      const raw = run.values['id'];
      const id = typeof raw === 'string' ? Number(raw) : undefined;
      if (id !== undefined && (!Number.isInteger(id) || id < 1))
        throw new UsageError('--id must be a backup number (see the Health panel or vault info)');
      return withSession(run, async (session) => {
        const check = await checkBackup(session, id);
        printResult(
          run,
          check,
          check.ok
            ? `ok: backup #${check.backupId} (${check.createdAt}) decrypts and passes integrity_check.`
            : `FAILED: backup #${check.backupId}: ${check.problem}`,
        );
        return check.ok ? 0 : 1;
      });
    },
  },
];
