import { describe, expect, it } from 'vitest';
import { fixture } from '../../helpers/import';
import { testCore } from '../../helpers/core';
import { PASS } from '../../helpers/vault';

describe('import over the router', () => {
  it('runs an import job with progress and per-file results, then lists history and findings', async () => {
    const core = testCore();
    const seen: { name: string; payload: Record<string, unknown> }[] = [];
    core.events.subscribe((name, payload) =>
      seen.push({ name, payload: payload as Record<string, unknown> }),
    );
    const { router } = core;
    expect(
      await router.call('import.start', { paths: [fixture('nmap', 'nmap_multiple_port.xml')] }),
    ).toMatchObject({ ok: false, error: { code: 'VAULT_LOCKED' } });
    await router.call('vault.create', { operator: 'alice', passphrase: PASS });
    expect(await router.call('import.chooseFiles', undefined)).toEqual({
      ok: true,
      value: { available: false, paths: [] },
    });
    const formats = await router.call('import.formats', undefined);
    const names = formats.ok ? (formats.value as { format: string }[]).map((f) => f.format) : [];
    expect(names).toEqual(expect.arrayContaining(['nessus', 'qualys-xml', 'sarif', 'cyclonedx']));
    expect(new Set(names).size).toBe(names.length);

    const started = await router.call('import.start', {
      paths: [fixture('qualys_xml', 'Qualys_Sample_Report.xml'), '/nonexistent/file.nessus'],
    });
    expect(started.ok).toBe(true);
    const jobId = (started as { value: { jobId: string } }).value.jobId;
    await expect
      .poll(() => seen.find((e) => e.name === 'jobFinished'), { timeout: 30_000 })
      .toBeTruthy();
    const files = seen
      .filter((e) => e.name === 'importFileDone')
      .map((e) => e.payload['summary'] as Record<string, unknown>);
    expect(files).toHaveLength(2);
    expect(files[0]).toMatchObject({
      format: 'qualys-xml',
      assets: 8,
      findings: { new: expect.any(Number) },
    });
    expect(files[1]).toMatchObject({ error: { code: 'IMPORT_FILE_UNREADABLE' } });
    expect(seen.some((e) => e.name === 'progress' && e.payload['jobId'] === jobId)).toBe(true);

    const history = await router.call('import.history', { limit: 10 });
    expect(history).toMatchObject({
      ok: true,
      value: [{ fileName: 'Qualys_Sample_Report.xml', format: 'qualys-xml', assets: 8 }],
    });
    const heartbleed = await router.call('findings.list', { limit: 5, cve: 'CVE-2014-0160' });
    expect(heartbleed.ok && heartbleed.value).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          asset: expect.objectContaining({ ip: '64.41.200.250' }),
          port: 443,
          vulnerability: expect.objectContaining({ severity: 'high' }),
        }),
      ]),
    );
  });
});
