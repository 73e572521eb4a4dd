/**
 * Finding kinds in triage: Trivy misconfigurations and secrets, Nmap open services and
 * SARIF results on a software asset are filtered by kind and asset kind over the router,
 * and each row says its kind and (for SARIF) its file:line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { TriageFilter, TriageRow } from '../../../src-preload/triage-schemas';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS } from '../../helpers/vault';

const core = testCore();

async function rows(filter: TriageFilter): Promise<TriageRow[]> {
  const result = await core.router.call('findings.page', {
    filter,
    sort: { column: 'id', dir: 'asc' },
    limit: 500,
  });
  if (!result.ok) throw new Error(result.error.message);
  return (result.value as { rows: TriageRow[] }).rows;
}

beforeAll(async () => {
  const created = await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
  expect(created.ok).toBe(true);
  const imported = await runJob(core, 'import.start', {
    paths: [
      fixture('trivy', 'misconfigurations_and_secrets.json'),
      fixture('nmap', 'issue4406.xml'),
      fixture('sarif', 'bash-report.sarif'),
    ],
  });
  expect(imported.state, imported.error?.message).toBe('done');
});

describe('triage by finding kind', () => {
  it('filters each kind and keeps the kinds apart', async () => {
    const all = await rows({});
    const count = (kind: TriageRow['kind']) => all.filter((r) => r.kind === kind).length;
    expect(count('misconfiguration')).toBe(1);
    expect(count('secret')).toBe(2);
    expect(count('service')).toBeGreaterThan(0);

    const secrets = await rows({ kind: ['secret'] });
    expect(secrets).toHaveLength(2);
    expect(secrets.every((r) => r.kind === 'secret')).toBe(true);
    const services = await rows({ kind: ['service'] });
    expect(services).toHaveLength(count('service'));
    expect(services.every((r) => r.port !== null)).toBe(true);
    const both = await rows({ kind: ['misconfiguration', 'secret'] });
    expect(both.map((r) => r.id)).toEqual(
      all.filter((r) => r.kind === 'misconfiguration' || r.kind === 'secret').map((r) => r.id),
    );
    const vulns = await rows({ kind: ['vulnerability'] });
    expect(vulns).toHaveLength(count('vulnerability'));
  });

  it('filters software assets and shows SARIF locations as file:line', async () => {
    const software = await rows({ assetKind: 'software' });
    const hosts = await rows({ assetKind: 'host' });
    expect(software.length + hosts.length).toBe((await rows({})).length);
    const sarif = software.filter((r) => r.scanner === 'Shell Script Analysis');
    expect(sarif.length).toBeGreaterThan(0);
    expect(sarif.map((r) => r.location)).toContain('/home/damien/dd/docker/setEnv.sh:134');
    expect(sarif.every((r) => r.location !== null && /:\d+$/.test(r.location))).toBe(true);
    expect(hosts.filter((r) => r.scanner === 'Nmap').every((r) => r.location === null)).toBe(true);
  });

  it('refuses an unknown kind with a typed error', async () => {
    const result = await core.router.call('findings.page', {
      filter: { kind: ['malware'] },
      sort: { column: 'id', dir: 'asc' },
      limit: 10,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe('INVALID_INPUT');
  });
});
