/** `vulnzero vault settings`: the Settings screen's preferences, shown or changed (admin). */
import { contract } from '../../../src-preload/contract';
import { readPreferences, updatePreferences, type Preferences } from '../../vault/preferences';
import { UNLOCK_OPTIONS, choice, optionalInt } from '../args';
import type { Command } from '../command';
import { contractInput } from '../contract-input';
import { printResult, withSession } from '../vault-access';

function describe(p: Preferences): string {
  return [
    `idle lock          ${p.idleLockMinutes} min`,
    `automatic backup   ${p.backupIntervalHours ? `every ${p.backupIntervalHours} h` : 'off'}, keep ${p.backupKeep}`,
    `local model        ${p.llmThreads} thread(s)`,
    `feeds              ${p.requireSignedFeeds ? 'signed bundles only' : 'signed bundles and unsigned files'}`,
  ].join('\n');
}

export const vaultSettingsCommand: Command = {
  name: 'vault settings',
  summary: 'Show the vault preferences, or change them (admin, audited).',
  usage:
    '[--idle-lock-minutes N] [--backup-interval-hours N] [--backup-keep N] [--llm-threads N] [--require-signed-feeds on|off]',
  options: {
    ...UNLOCK_OPTIONS,
    'idle-lock-minutes': { type: 'string' },
    'backup-interval-hours': { type: 'string' },
    'backup-keep': { type: 'string' },
    'llm-threads': { type: 'string' },
    'require-signed-feeds': { type: 'string' },
  },
  run: (run) => {
    const v = run.values;
    const signed = choice(v['require-signed-feeds'], '--require-signed-feeds', [
      'on',
      'off',
    ] as const);
    const changes: Partial<Preferences> = {
      ...optional('idleLockMinutes', optionalInt(v['idle-lock-minutes'], '--idle-lock-minutes', 0)),
      ...optional(
        'backupIntervalHours',
        optionalInt(v['backup-interval-hours'], '--backup-interval-hours', 0),
      ),
      ...optional('backupKeep', optionalInt(v['backup-keep'], '--backup-keep', 0)),
      ...optional('llmThreads', optionalInt(v['llm-threads'], '--llm-threads', 0)),
      ...(signed ? { requireSignedFeeds: signed === 'on' } : {}),
    };
    return withSession(run, (session) => {
      const settings = Object.keys(changes).length
        ? updatePreferences(session, contractInput(contract.vault.updateSettings.input, changes))
        : readPreferences(session);
      printResult(run, settings, describe(settings));
      return 0;
    });
  },
};

function optional<K extends keyof Preferences>(key: K, value: Preferences[K] | undefined) {
  return value === undefined ? {} : { [key]: value };
}
