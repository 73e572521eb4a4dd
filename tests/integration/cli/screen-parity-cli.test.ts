/**
 * State changes the screens offer, from the CLI too: the second factor (Settings), saved
 * findings views (Findings), stored SSH credentials and a host using one (Push), and a
 * backup to the vault's own backups folder (Settings). Each goes to the same core function
 * as its IPC handler; the assertions read the result back.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { totp } from '../../../src-main/vault/totp';
import { cli } from '../../helpers/cli';
import { PASS, newVault, tempDir } from '../../helpers/vault';

async function vault() {
  const { path, session } = await newVault();
  session.lock();
  return { path, vz: cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS }) };
}

describe('screen actions in the CLI', () => {
  it('operators totp enroll / confirm / disable: unlocks need the code while it is on', async () => {
    const { path } = await vault();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    const enrol = await vz('operators', 'totp', 'enroll', '--json');
    expect(enrol.code, enrol.err).toBe(0);
    const { secret, uri } = JSON.parse(enrol.out) as { secret: string; uri: string };
    expect(uri).toContain(`secret=${secret}`);
    expect((await vz('operators', 'totp', 'confirm', '000000')).code).not.toBe(0);
    const confirmed = await vz('operators', 'totp', 'confirm', totp(secret));
    expect(confirmed.code, confirmed.err).toBe(0);
    const without = await vz('operators', 'list');
    expect(without.code).not.toBe(0);
    const withCode = cli({
      VULNZERO_VAULT: path,
      VULNZERO_PASSPHRASE: PASS,
      VULNZERO_TOTP: totp(secret),
    });
    const listed = await withCode('operators', 'list', '--json');
    expect(listed.code, listed.err).toBe(0);
    expect(JSON.parse(listed.out)).toMatchObject([{ name: 'alice', totpEnabled: true }]);
    expect((await withCode('operators', 'totp', 'disable')).code).not.toBe(0); // needs --yes
    expect((await withCode('operators', 'totp', 'disable', '--yes')).code).toBe(0);
    expect((await vz('operators', 'list')).code).toBe(0);
  });

  it('findings views save / list / remove, with the screen schema', async () => {
    const { vz } = await vault();
    const saved = await vz(
      'findings',
      'views',
      'save',
      'kev due',
      '--filter',
      '{"kev":true,"status":["open"]}',
      '--sort',
      'due:asc',
      '--columns',
      'risk,title,due',
      '--group-by',
      'asset',
      '--json',
    );
    expect(saved.code, saved.err).toBe(0);
    const listed = await vz('findings', 'views', '--json');
    expect(JSON.parse(listed.out)).toEqual([
      {
        name: 'kev due',
        filter: { kev: true, status: ['open'] },
        sort: { column: 'due', dir: 'asc' },
        columns: ['risk', 'title', 'due'],
        groupBy: 'asset',
      },
    ]);
    const badSort = await vz('findings', 'views', 'save', 'x', '--sort', 'cvss');
    expect(badSort.code).not.toBe(0);
    expect(badSort.err).toContain('--sort must be COLUMN[:asc|desc]');
    expect((await vz('findings', 'views', 'remove', 'kev due')).code).not.toBe(0); // needs --yes
    expect((await vz('findings', 'views', 'remove', 'kev due', '--yes')).code).toBe(0);
    expect(JSON.parse((await vz('findings', 'views', '--json')).out)).toEqual([]);
    const gone = await vz('findings', 'views', 'remove', 'kev due', '--yes');
    expect(gone.code).not.toBe(0);
    expect(gone.err).toContain('No saved view "kev due"');
  });

  it('hosts credential add, hosts credentials, and a host that uses the stored one', async () => {
    const { vz } = await vault();
    const dir = tempDir('vz-cred-');
    const key = join(dir, 'id_ed25519');
    expect(spawnSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', key]).status).toBe(0);
    const added = await vz('hosts', 'credential', 'add', 'ops-key', '--key', key, '--json');
    expect(added.code, added.err).toBe(0);
    const listed = JSON.parse((await vz('hosts', 'credentials', '--json')).out) as {
      name: string;
      kind: string;
    }[];
    expect(listed).toMatchObject([{ name: 'ops-key', kind: 'ssh-key' }]);
    const host = await vz(
      'hosts',
      'add',
      'web-1',
      '--address',
      '127.0.10.9',
      '--user',
      'ops',
      '--credential',
      'ops-key',
    );
    expect(host.code, host.err).toBe(0);
    const hosts = JSON.parse((await vz('hosts', 'list', '--json')).out) as {
      name: string;
      credential: { name: string };
    }[];
    expect(hosts).toMatchObject([{ name: 'web-1', credential: { name: 'ops-key' } }]);
    const both = await vz('hosts', 'set', 'web-1', '--credential', 'ops-key', '--key', key);
    expect(both.code).not.toBe(0);
    const unknown = await vz('hosts', 'set', 'web-1', '--credential', 'nope');
    expect(unknown.err).toContain('no stored credential named nope');
  });

  it('vault backup without OUT writes to the vault backups folder, like the Settings screen', async () => {
    const { path, vz } = await vault();
    const made = await vz('vault', 'backup', '--json');
    expect(made.code, made.err).toBe(0);
    const backup = JSON.parse(made.out) as { path: string };
    expect(backup.path.startsWith(`${path}.backups`)).toBe(true);
    expect(existsSync(backup.path)).toBe(true);
  });
});
