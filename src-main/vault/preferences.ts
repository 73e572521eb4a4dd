/**
 * The vault's preferences (Settings screen, `vault.getSettings`/`vault.updateSettings`,
 * `vulnzero vault settings`): idle lock, automatic backups, the local model's threads, and
 * whether feeds must come as signed bundles. Each is a vault setting; changing one needs
 * the admin role and is audited (`settings.set`) by the session.
 */
import { VzError } from '../core/errors';
import { THREADS_SETTING } from '../drafts/llm-draft';
import { defaultThreads } from '../drafts/llm/runtime';
import { DEFAULT_IDLE_MINUTES } from './manager';
import { DEFAULT_BACKUP_KEEP, type VaultSession } from './session';

export const REQUIRE_SIGNED_FEEDS_SETTING = 'feeds.requireSigned';

export interface Preferences {
  idleLockMinutes: number;
  backupIntervalHours: number;
  backupKeep: number;
  llmThreads: number;
  /** Unsigned KEV/EPSS/NVD/CVE files are refused; only signed bundles load. */
  requireSignedFeeds: boolean;
}

const KEYS: { [K in keyof Preferences]: [string, () => Preferences[K]] } = {
  idleLockMinutes: ['lock.idleMinutes', () => DEFAULT_IDLE_MINUTES],
  backupIntervalHours: ['backup.intervalHours', () => 24],
  backupKeep: ['backup.keep', () => DEFAULT_BACKUP_KEEP],
  llmThreads: [THREADS_SETTING, defaultThreads],
  requireSignedFeeds: [REQUIRE_SIGNED_FEEDS_SETTING, () => false],
};

export function readPreferences(session: VaultSession): Preferences {
  const read = <K extends keyof Preferences>(k: K): Preferences[K] =>
    session.setting(KEYS[k][0], KEYS[k][1]());
  return {
    idleLockMinutes: read('idleLockMinutes'),
    backupIntervalHours: read('backupIntervalHours'),
    backupKeep: read('backupKeep'),
    llmThreads: read('llmThreads'),
    requireSignedFeeds: read('requireSignedFeeds'),
  };
}

/** Saves the given preferences (already validated by the contract's schema). */
export function updatePreferences(session: VaultSession, input: Partial<Preferences>): Preferences {
  session.requireRole('admin');
  for (const name of Object.keys(KEYS) as (keyof Preferences)[]) {
    const value = input[name];
    if (value !== undefined) session.setSetting(KEYS[name][0], value);
  }
  return readPreferences(session);
}

/** Refuses unsigned feed files when the vault takes signed bundles only. */
export function assertUnsignedFeedsAllowed(session: VaultSession): void {
  if (session.setting(REQUIRE_SIGNED_FEEDS_SETTING, false))
    throw new VzError(
      'FEED_UNSIGNED_REFUSED',
      'This vault takes signed feed bundles only (admin setting "Require signed feeds"): load the bundle made on the connected side, not plain KEV/EPSS/NVD/CVE files.',
    );
}
