/** `vulnzero findings --kind K`: kinds and SARIF locations through the built CLI. */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/import';
import { PASS, newVault } from '../../helpers/vault';

const bin = join(import.meta.dirname, '..', '..', '..', 'bin', 'vulnzero.cjs');

function vz(args: string[], env: Record<string, string>) {
  return spawnSync(process.execPath, [bin, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
  });
}

interface Listed {
  kind: string;
  location?: { path: string; line?: number };
  vulnerability: { key: string };
}

describe('findings --kind (built bin)', () => {
  it('lists one kind, prints kinds and locations, refuses unknown kinds', async () => {
    const { path, session } = await newVault();
    session.lock();
    const env = { VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS };
    const imported = vz(
      [
        'import',
        fixture('trivy', 'misconfigurations_and_secrets.json'),
        fixture('sarif', 'bash-report.sarif'),
      ],
      env,
    );
    expect(imported.status, imported.stderr).toBe(0);

    const secrets = JSON.parse(
      vz(['findings', '--kind', 'secret', '--json'], env).stdout,
    ) as Listed[];
    expect(secrets).toHaveLength(2);
    expect(secrets.every((f) => f.kind === 'secret')).toBe(true);
    const misconfig = vz(['findings', '--kind', 'misconfiguration'], env);
    expect(misconfig.status).toBe(0);
    expect(misconfig.stdout.trim().split('\n')).toHaveLength(1);
    expect(misconfig.stdout).toContain('[misconfiguration]');

    const all = JSON.parse(vz(['findings', '--json', '--limit', '1000'], env).stdout) as Listed[];
    const located = all.filter((f) => f.location);
    expect(located.map((f) => `${f.location?.path}:${f.location?.line}`)).toContain(
      '/home/damien/dd/docker/setEnv.sh:134',
    );
    expect(all.filter((f) => f.kind === 'vulnerability').length).toBeGreaterThan(0);

    const bad = vz(['findings', '--kind', 'malware'], env);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--kind must be one of vulnerability, misconfiguration');
  });
});
