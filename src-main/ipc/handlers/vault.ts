import { checkBackup } from '../../ops/backup-check';
import { VzError } from '../../core/errors';
import { checkPassphrase } from '../../vault/passphrase-policy';
import { restoreBackup } from '../../vault/restore';
import { DEFAULT_BACKUP_KEEP } from '../../vault/session';
import { DEFAULT_IDLE_MINUTES } from '../../vault/manager';
import { THREADS_SETTING } from '../../drafts/llm-draft';
import { defaultThreads } from '../../drafts/llm/runtime';
import type { Handlers } from '../router';

const SETTING_KEYS = {
  idleLockMinutes: ['lock.idleMinutes', DEFAULT_IDLE_MINUTES],
  backupIntervalHours: ['backup.intervalHours', 24],
  backupKeep: ['backup.keep', DEFAULT_BACKUP_KEEP],
  llmThreads: [THREADS_SETTING, defaultThreads()],
} as const;

export const vaultHandlers: Handlers['vault'] = {
  status: (_input, { vault }) => ({
    state: vault.state(),
    path: vault.path,
    operator: vault.operator(),
    demo: vault.isDemo(),
  }),

  startDemo: async (_input, { vault }) => {
    const session = await vault.startDemo();
    return { operator: session.operator, path: vault.path };
  },

  checkPassphrase: ({ passphrase, operator }) => checkPassphrase(passphrase, operator),

  create: async ({ operator, passphrase }, { vault }) => {
    if (vault.state() !== 'absent')
      throw new VzError('VAULT_EXISTS', 'A vault already exists here; unlock it instead.');
    const session = await vault.create(operator, passphrase);
    return { operator: session.operator };
  },

  unlock: async ({ operator, passphrase, totp }, { vault }) => {
    const session = await vault.unlock(operator, passphrase, totp);
    return { operator: session.operator };
  },

  lock: (_input, { vault }) => {
    vault.lock('operator');
    return { locked: true };
  },

  info: (_input, { vault }) => vault.session().info(),

  changePassphrase: async ({ current, next }, { vault }) => {
    await vault.session().changePassphrase(current, next);
    return { changed: true };
  },

  rotateKey: (_input, { vault, jobs }) => {
    const session = vault.session();
    session.requireRole('admin');
    const { jobId, done } = jobs.start('vault.rotateKey', (controls) =>
      session.rotateDataKey(controls),
    );
    done.catch(() => undefined); // the outcome reaches the renderer as a jobFinished event
    return { jobId };
  },

  // A job, so backups show in the Jobs view with their duration and outcome.
  backup: (_input, { vault, jobs }) => {
    const session = vault.session();
    session.requireRole('admin', 'approver');
    return jobs.start('vault.backup', (controls) => session.backup('manual', undefined, controls))
      .done;
  },
  checkBackup: (input, { vault, jobs }) =>
    jobs.start('vault.checkBackup', () => checkBackup(vault.session(), input?.id)).done,

  listBackups: (_input, { vault }) => vault.session().listBackups(),

  restore: async ({ path, passphrase }, { vault }) => {
    const { session, previous } = await restoreBackup(vault.session(), {
      backupPath: path,
      passphrase,
    });
    vault.adopt(session);
    return { previous };
  },

  check: (_input, { vault }) => vault.session().check(),

  getSettings: (_input, { vault }) => {
    const session = vault.session();
    return {
      idleLockMinutes: session.setting(...SETTING_KEYS.idleLockMinutes),
      backupIntervalHours: session.setting(...SETTING_KEYS.backupIntervalHours),
      backupKeep: session.setting(...SETTING_KEYS.backupKeep),
      llmThreads: session.setting(...SETTING_KEYS.llmThreads),
    };
  },

  updateSettings: (input, ctx) => {
    const session = ctx.vault.session();
    session.requireRole('admin');
    for (const [name, [key]] of Object.entries(SETTING_KEYS)) {
      const value = input[name as keyof typeof input];
      if (value !== undefined) session.setSetting(key, value);
    }
    ctx.vault.touch();
    return vaultHandlers.getSettings(undefined, ctx);
  },
};
