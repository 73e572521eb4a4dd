/**
 * A scan of hosts known only as 127.0.0.1 / localhost must never lose findings silently:
 * the CLI (--json), the router's importFileDone summary and the audit entry report the
 * skipped findings with their reason, and --keep-generic-hosts / keepGenericHosts keeps
 * them as an asset identified by the scan and the host's name.
 */
import { describe, expect, it } from 'vitest';
import { auditedCli } from '../../helpers/cli-audit';
import { testCore } from '../../helpers/core';
import { fixture } from '../../helpers/import';
import { runJob } from '../../helpers/jobs';
import { PASS, newVault } from '../../helpers/vault';

const LOCALHOST = fixture('generic_hosts', 'openvas_localhost.xml');
/** The same report with its real address: how many findings the file carries. */
const ORIGINAL = fixture('openvas_xml', 'many_vuln.xml');

interface PublicSummary {
  file: string;
  assets: number;
  findings: { new: number };
  skipped: { count: number; reasons: { reason: string; count: number }[] };
}

describe('findings of generic-only hosts', () => {
  it('CLI: reports them as skipped in --json, stdout and the audit entry, and keeps them on request', async () => {
    const reference = await newVault();
    reference.session.lock();
    const carried = JSON.parse(
      (
        await auditedCli({ VULNZERO_VAULT: reference.path, VULNZERO_PASSPHRASE: PASS }, reference)(
          'import',
          ORIGINAL,
          '--json',
        )
      ).out,
    ) as PublicSummary[];
    const total = carried[0]?.findings.new ?? 0;
    expect(total).toBeGreaterThan(10);
    expect(carried[0]?.skipped).toEqual({ count: 0, reasons: [] });

    const { path, session } = await newVault();
    session.lock();
    const vz = auditedCli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS }, { path });
    await vz.skipAudit();
    const dropped = await vz('import', LOCALHOST, '--json');
    expect(dropped.code).toBe(0);
    const [summary] = JSON.parse(dropped.out) as PublicSummary[];
    expect(summary).toMatchObject({ assets: 0, findings: { new: 0 } });
    expect(summary?.skipped.count).toBe(total);
    expect(summary?.skipped.reasons).toEqual([
      { reason: expect.stringContaining('no usable asset identifier'), count: total },
    ]);
    expect(dropped.err).toContain(`${total} finding(s) skipped`);
    expect(dropped.err).toContain('--keep-generic-hosts');
    const entry = dropped.audit.find((a) => a.action === 'import.file');
    expect(entry?.summary).toMatchObject({ after: { skipped: { count: total } } });

    const text = await vz('import', LOCALHOST);
    expect(text.out).toContain(`skipped ${total}`);

    const kept = await vz('import', LOCALHOST, '--keep-generic-hosts', '--json');
    expect(kept.code).toBe(0);
    const [keptSummary] = JSON.parse(kept.out) as PublicSummary[];
    expect(keptSummary).toMatchObject({
      assets: 1,
      findings: { new: total },
      skipped: { count: 0, reasons: [] },
    });
    const keptEntry = kept.audit.find((a) => a.action === 'import.file');
    expect(keptEntry?.summary).toMatchObject({ after: { assets: 1, findings: { new: total } } });
    expect(JSON.stringify(keptEntry?.summary)).not.toContain('skipped');

    const findings = await vz('findings', '--json', '--limit', '1000');
    const rows = JSON.parse(findings.out) as { asset: { ip?: string } }[];
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r.asset.ip))).toEqual(new Set(['127.0.0.1']));
  });

  it('router: importFileDone carries skipped; keepGenericHosts keeps one asset per scan and name', async () => {
    const core = testCore();
    await core.router.call('vault.create', { operator: 'alice', passphrase: PASS });
    const summaries: Record<string, unknown>[] = [];
    core.events.subscribe((name, payload) => {
      if (name === 'importFileDone')
        summaries.push((payload as { summary: Record<string, unknown> }).summary);
    });
    const first = await runJob(core, 'import.start', { paths: [LOCALHOST] });
    expect(first.state).toBe('done');
    const skipped = summaries[0]?.['skipped'] as { count: number } | undefined;
    expect(skipped?.count).toBeGreaterThan(10);
    expect(summaries[0]).toMatchObject({ assets: 0, findings: { new: 0 } });

    const second = await runJob(core, 'import.start', {
      paths: [LOCALHOST],
      keepGenericHosts: true,
    });
    expect(second.state).toBe('done');
    expect(summaries[1]).toMatchObject({ assets: 1, findings: { new: skipped?.count } });
    expect(summaries[1]?.['skipped']).toBeUndefined();

    // Another scan of "localhost" is another asset: the name alone identifies nothing.
    await runJob(core, 'import.start', { paths: [LOCALHOST], keepGenericHosts: true });
    const assets = await core.router.call('assets.list', { limit: 10 });
    expect(assets.ok && (assets.value as unknown[]).length).toBe(2);
    const asset = assets.ok ? (assets.value as { id: number }[])[0] : undefined;
    const detail = await core.router.call('assets.detail', { id: asset?.id ?? 0 });
    expect(detail.ok && JSON.stringify(detail.value)).toMatch(/"scan"/);

    expect(
      await core.router.call('import.start', { paths: [LOCALHOST], keepGenericHosts: 'yes' }),
    ).toMatchObject({ ok: false, error: { code: 'INVALID_INPUT' } });
  });
});
