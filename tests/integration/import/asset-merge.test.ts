import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateNessus } from '../../bench/generate-nessus';
import { cli } from '../../helpers/cli';
import { PASS, newVault } from '../../helpers/vault';

describe('asset identity across files', () => {
  it('merges assets when a record carries identifiers of both, explains why, and can split them again', async () => {
    const { dir, path, session } = await newVault();
    session.lock();
    const two = join(dir, 'two-hosts.nessus');
    await generateNessus(two, 2, 3);
    // A later file where host 10.0.0.0 reports the FQDN of the other host (e.g. a reused name).
    const bridging = join(dir, 'bridging.nessus');
    const text = readFileSync(two, 'utf8');
    const firstHost = text.slice(
      text.indexOf('<ReportHost'),
      text.indexOf('</ReportHost>') + '</ReportHost>'.length,
    );
    writeFileSync(
      bridging,
      text.replace(
        /<ReportHost[\s\S]*<\/ReportHost>/,
        firstHost.replace('srv0.corp.example', 'srv1.corp.example'),
      ),
    );

    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    expect((await vz('import', two)).code).toBe(0);
    expect((await vz('import', bridging)).code).toBe(0);
    const merges = JSON.parse((await vz('assets', 'merges', '--json')).out) as {
      id: number;
      fromAssetId: number;
      intoAssetId: number;
      reason: string;
      identifiers: { kind: string; value: string }[];
    }[];
    expect(merges).toHaveLength(1);
    expect(merges[0]).toMatchObject({
      fromAssetId: 2,
      intoAssetId: 1,
      reason: expect.stringContaining('fqdn srv1.corp.example'),
    });
    expect(merges[0]?.identifiers).toEqual(
      expect.arrayContaining([{ kind: 'ip', value: '10.0.0.1' }]),
    );

    expect((await vz('assets', 'split', '1')).code).toBe(2);
    expect((await vz('assets', 'split', '1', '--yes')).code).toBe(0);
    expect((await vz('assets', 'split', '1', '--yes')).code).toBe(1);
    const findings = JSON.parse(
      (await vz('findings', '--json', '--asset', '10.0.0.1')).out,
    ) as unknown[];
    expect(findings.length).toBeGreaterThan(0);
    const merged = JSON.parse((await vz('assets', 'merges', '--json')).out) as {
      splitAt: string | null;
    }[];
    expect(merged[0]?.splitAt).not.toBeNull();
  });
});
