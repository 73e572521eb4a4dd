/**
 * `vulnzero vault settings`: the Settings screen's preferences from the CLI (show, change,
 * the idle lock that cannot be turned off, admin only, audited), and "Require signed
 * feeds": with it on, plain KEV/EPSS/NVD files are refused by the CLI and the router alike.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../../helpers/cli';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { PASS, PASS2, newVault } from '../../helpers/vault';

const KEV = fixture('feeds', 'known_exploited_vulnerabilities.json');

describe('vault settings', () => {
  it('shows and changes the preferences; refuses turning the idle lock off; admin only', async () => {
    const { path, session } = await newVault();
    await session.addOperator({ name: 'bob', role: 'analyst', passphrase: PASS2 });
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS, VULNZERO_OPERATOR: 'alice' });
    const shown = await vz('vault', 'settings', '--json');
    expect(shown.code, shown.err).toBe(0);
    expect(JSON.parse(shown.out)).toMatchObject({
      idleLockMinutes: 15,
      backupIntervalHours: 24,
      requireSignedFeeds: false,
    });
    const changed = await vz(
      'vault',
      'settings',
      '--idle-lock-minutes',
      '30',
      '--backup-keep',
      '3',
      '--require-signed-feeds',
      'on',
    );
    expect(changed.code, changed.err).toBe(0);
    expect(changed.out).toContain('idle lock          30 min');
    expect(changed.out).toContain('feeds              signed bundles only');
    const off = await vz('vault', 'settings', '--idle-lock-minutes', '0');
    expect(off.code).not.toBe(0);
    expect(off.err).toContain('The idle lock cannot be turned off');
    const analyst = cli({
      VULNZERO_VAULT: path,
      VULNZERO_PASSPHRASE: PASS2,
      VULNZERO_OPERATOR: 'bob',
    });
    const refused = await analyst('vault', 'settings', '--backup-keep', '9');
    expect(refused.code).not.toBe(0);
    expect(refused.err).toMatch(/admin/i);
  });

  it('with "Require signed feeds" on, unsigned feed files are refused by the CLI and the router', async () => {
    const { path, session } = await newVault();
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    expect((await vz('feeds', 'import', KEV)).code).toBe(0);
    expect((await vz('vault', 'settings', '--require-signed-feeds', 'on')).code).toBe(0);
    const refused = await vz('feeds', 'import', KEV);
    expect(refused.code).not.toBe(0);
    expect(refused.err).toContain('This vault takes signed feed bundles only');

    const core = testCore({ vaultPath: path });
    expect(
      await core.router.call('vault.unlock', { operator: 'alice', passphrase: PASS }),
    ).toMatchObject({
      ok: true,
    });
    expect(await core.router.call('feeds.import', { paths: [KEV] })).toMatchObject({
      ok: false,
      error: { code: 'FEED_UNSIGNED_REFUSED' },
    });
    expect(await core.router.call('vault.getSettings', undefined)).toMatchObject({
      ok: true,
      value: { requireSignedFeeds: true },
    });
    await core.dispose();
  });
});
