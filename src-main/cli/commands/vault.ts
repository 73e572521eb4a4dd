import { demoMark } from '../../demo/init';
import { verifyAudit } from '../../vault/audit';
import { auditAnchor, checkAnchor } from '../../vault/audit-anchor';
import { restoreBackup, restoreBroken } from '../../vault/restore';
import { createVault } from '../../vault/vault';
import { UsageError, type Command } from '../command';
import {
  NEW_PASSPHRASE_OPTION,
  OPERATOR_OPTION,
  TOTP_OPTION,
  newPassphrase,
  operatorName,
  passphrase,
  printResult,
  requireYes,
  vaultPath,
  withSession,
} from '../vault-access';

const UNLOCK_OPTIONS = { ...OPERATOR_OPTION, ...TOTP_OPTION };

function size(bytes: number): string {
  return bytes >= 1 << 20
    ? `${(bytes / (1 << 20)).toFixed(1)} MiB`
    : `${(bytes / 1024).toFixed(1)} KiB`;
}

export const vaultCommands: Command[] = [
  {
    name: 'vault init',
    summary: 'Create a new encrypted vault and its first operator (admin).',
    usage: '[--operator NAME]',
    options: OPERATOR_OPTION,
    run: async (run) => {
      const path = vaultPath(run);
      const operator =
        typeof run.values['operator'] === 'string'
          ? run.values['operator']
          : (run.io.env['VULNZERO_OPERATOR'] ?? 'admin');
      const session = await createVault({ path, operator, passphrase: await passphrase(run) });
      const info = session.info();
      session.lock();
      printResult(
        run,
        { vault: path, vaultId: info.vaultId, operator, role: 'admin' },
        `Created vault ${path} with operator ${operator} (admin).`,
      );
      return 0;
    },
  },
  {
    name: 'vault info',
    summary: 'Schema version, cipher, size and operators (no secrets).',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const info = { ...session.info(), demo: demoMark(session.db) !== null };
        printResult(
          run,
          info,
          [
            `vault:    ${info.path}${info.demo ? '   (DEMO vault: sample data only)' : ''}`,
            `schema:   ${info.schemaVersion} (latest ${info.latestSchemaVersion})`,
            `cipher:   ${info.cipher} (legacy ${info.legacy}), key epoch ${info.keyEpoch}`,
            `size:     ${size(info.sizeBytes)}`,
            `operators: ${info.operators.map((o) => `${o.name} (${o.role}${o.totpEnabled ? ', TOTP' : ''})`).join(', ')}`,
          ].join('\n'),
        );
        return 0;
      }),
  },
  {
    name: 'vault passwd',
    summary:
      "Change the operator's passphrase (new one from VULNZERO_NEW_PASSPHRASE or --new-passphrase-file).",
    usage: '',
    options: { ...UNLOCK_OPTIONS, ...NEW_PASSPHRASE_OPTION },
    run: async (run) => {
      const current = await passphrase(run);
      const next = await newPassphrase(run);
      return withSession(run, async (session) => {
        await session.changePassphrase(current, next);
        printResult(
          run,
          { changed: true, operator: session.operator.name },
          `Passphrase changed for ${session.operator.name}.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'vault rekey',
    summary: 'Rotate the data key (admin); every operator keeps access.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, async (session) => {
        const { epoch } = await session.rotateDataKey({
          progress: (phase, done, total) => run.io.stderr(`${phase}: ${done}/${total ?? '?'}\n`),
        });
        printResult(run, { rotated: true, keyEpoch: epoch }, `Data key rotated (epoch ${epoch}).`);
        return 0;
      }),
  },
  {
    name: 'vault backup',
    summary:
      "Write a consistent encrypted backup (plus its key file, OUT.keys); without OUT, in the vault's backups folder like the Settings screen.",
    usage: '[OUT]',
    options: UNLOCK_OPTIONS,
    run: (run) => {
      const out = run.positionals[0];
      return withSession(run, async (session) => {
        const backup = await session.backup('manual', out);
        printResult(
          run,
          backup,
          `Backup written to ${backup.path} (${size(backup.size)}) with its key file ${backup.path}.keys.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'vault restore',
    summary:
      'Restore a backup (admin) after checking its key and integrity; keeps the previous vault. --damaged: when the vault no longer opens or fails its check.',
    usage: 'IN --yes [--damaged]',
    options: {
      ...UNLOCK_OPTIONS,
      yes: { type: 'boolean', default: false },
      damaged: { type: 'boolean', default: false },
    },
    run: async (run) => {
      const input = run.positionals[0];
      if (!input)
        throw new UsageError(
          'vault restore needs the backup file: vulnzero vault restore IN --yes [--damaged]',
        );
      requireYes(run, 'Restoring replaces the current vault');
      const secret = await passphrase(run);
      if (run.values['damaged'] === true) {
        // No session can be unlocked on a damaged vault: the operator proves themselves on
        // the backup (its key file, its integrity, their admin role in it).
        const path = vaultPath(run);
        const totp =
          typeof run.values['totp'] === 'string' ? run.values['totp'] : run.io.env['VULNZERO_TOTP'];
        const restored = await restoreBroken(path, {
          backupPath: input,
          operator: operatorName(run, path),
          passphrase: secret,
          ...(totp ? { totp } : {}),
        });
        printResult(
          run,
          { restored: input, previous: restored.previous, damage: restored.damage },
          `The vault was damaged (${restored.damage}). Restored ${input}; the damaged vault is kept at ${restored.previous}.`,
        );
        return 0;
      }
      return withSession(run, async (session) => {
        const restored = await restoreBackup(session, { backupPath: input, passphrase: secret });
        restored.session.lock();
        printResult(
          run,
          { restored: input, previous: restored.previous },
          `Restored ${input}. The previous vault is kept at ${restored.previous}.`,
        );
        return 0;
      });
    },
  },
  {
    name: 'vault check',
    summary: 'PRAGMA integrity_check, foreign keys and the audit chain; exit 1 on any problem.',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, async (session) => {
        const result = await session.check();
        const text = result.ok
          ? `ok: integrity check passed, audit chain of ${result.audit.entries} entries verifies.`
          : `PROBLEMS:\n${[...result.problems, ...(result.audit.firstBroken ? [`audit entry ${result.audit.firstBroken.seq}: ${result.audit.firstBroken.reason}`] : [])].join('\n')}`;
        printResult(run, result, text);
        return result.ok ? 0 : 1;
      }),
  },
  {
    name: 'audit verify',
    summary:
      'Verify the audit chain; reports the first broken entry (exit 1). --anchor also checks nothing was cut off its end.',
    usage: '[--anchor vz-audit:SEQ:MAC]',
    options: { ...UNLOCK_OPTIONS, anchor: { type: 'string' } },
    run: (run) =>
      withSession(run, (session) => {
        const verdict = verifyAudit(session.db);
        const given = run.values['anchor'];
        const anchored = typeof given === 'string' ? checkAnchor(session.db, given) : undefined;
        const text = [
          verdict.ok
            ? `ok: ${verdict.entries} entries verify.`
            : `BROKEN at entry ${verdict.firstBroken?.seq} (position ${verdict.firstBroken?.position}): ${verdict.firstBroken?.reason}. ${verdict.entries} entries before it verify.`,
          ...(anchored
            ? [
                anchored.ok
                  ? `anchor: entry ${anchored.seq} is in the chain (${anchored.head - anchored.seq} entries after it).`
                  : `ANCHOR FAILED: ${anchored.reason}.`,
              ]
            : []),
        ].join('\n');
        printResult(run, anchored ? { ...verdict, anchor: anchored } : verdict, text);
        return verdict.ok && (anchored?.ok ?? true) ? 0 : 1;
      }),
  },
  {
    name: 'audit anchor',
    summary:
      'Print the newest audit entry as an anchor to write down outside the vault (audit verify --anchor checks it).',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const anchor = auditAnchor(session.db);
        printResult(
          run,
          anchor,
          `${anchor.anchor}\nentry ${anchor.seq} of ${anchor.ts}. Keep it outside the vault; later: vulnzero audit verify --anchor ${anchor.anchor}`,
        );
        return 0;
      }),
  },
];
