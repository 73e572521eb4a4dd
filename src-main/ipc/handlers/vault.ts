import { checkBackup } from '../../ops/backup-check';
import { VzError } from '../../core/errors';
import { checkPassphrase } from '../../vault/passphrase-policy';
import { restoreBackup } from '../../vault/restore';
import { readPreferences, updatePreferences } from '../../vault/preferences';
import type { Handlers } from '../router';

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

  getSettings: (_input, { vault }) => readPreferences(vault.session()),

  updateSettings: (input, ctx) => {
    const settings = updatePreferences(ctx.vault.session(), input);
    ctx.vault.touch();
    return settings;
  },
};
