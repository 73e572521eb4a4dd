import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listFindings } from '../../../src-main/findings/list';
import { importFiles } from '../../../src-main/importers/import-files';
import { normalizedFindingSchema } from '../../../src-main/importers/types';
import type { VaultSession } from '../../../src-main/vault/session';
import { verifyAudit } from '../../../src-main/vault/audit';
import { fixture, laterNessusScan, quietControls } from '../../helpers/import';
import { newVault } from '../../helpers/vault';

const NESSUS = fixture('nessus_xml', 'nessus_with_cvssv3.nessus');

async function run(session: VaultSession, ...paths: string[]) {
  return importFiles(session, paths, { controls: quietControls() });
}

function snapshot(session: VaultSession) {
  return session.db
    .prepare(
      `SELECT identity, asset_id, vulnerability_id, status, first_seen, occurrences, evidence, component_version,
              component_fixed_version FROM findings ORDER BY identity`,
    )
    .all();
}

describe('importing into the vault', () => {
  it('imports a real .nessus file with concrete facts and an audit entry', async () => {
    const { session } = await newVault();
    const [summary] = await run(session, NESSUS);
    expect(summary).toMatchObject({
      file: 'nessus_with_cvssv3.nessus',
      format: 'nessus',
      sha256: 'ffe0306a4ec2b33b4a0c39031fe556aa0425f1359fd7f0fef24700eb79de6928',
      assets: 1,
      findings: { new: 48, updated: 0, unchanged: 0, notSeen: 0 },
    });
    expect(summary?.error).toBeUndefined();
    const php = listFindings(session.db, { limit: 10, cve: 'cve-2006-1015' });
    expect(php).toHaveLength(1);
    expect(php[0]).toMatchObject({
      status: 'open',
      asset: { ip: '44.228.249.3', fqdn: 'testphp.vulnweb.com' },
      port: 80,
      protocol: 'tcp',
      vulnerability: { key: 'nessus:31649', severity: 'high', cvss2: 7.5 },
      component: { name: 'PHP', version: '5.1.6', fixedVersion: '5.2' },
    });
    for (const f of listFindings(session.db, { limit: 1000 })) normalizedFindingSchema.parse(f);
    const audit = session.db
      .prepare(`SELECT summary FROM audit WHERE action = 'import.file'`)
      .pluck()
      .get() as string;
    expect(JSON.parse(audit)).toMatchObject({
      after: { file: 'nessus_with_cvssv3.nessus', format: 'nessus' },
    });
    expect(verifyAudit(session.db).ok).toBe(true);
  });

  it('an identical re-import is reported as a duplicate and changes nothing but lastSeen', async () => {
    const { session } = await newVault();
    await run(session, NESSUS);
    const before = snapshot(session);
    const [again] = await run(session, NESSUS);
    expect(again).toMatchObject({
      findings: { new: 0, updated: 0, unchanged: 48, notSeen: 0 },
      duplicateOf: 1,
    });
    expect(snapshot(session)).toEqual(before);
    expect(session.db.prepare('SELECT count(*) FROM assets').pluck().get()).toBe(1);
  });

  it('never closes a finding because a file lacks it: a newer scan of the same host marks it "not seen"; it reopens when seen again', async () => {
    const { dir, session } = await newVault();
    await run(session, NESSUS);
    // A decision must survive re-imports.
    session.db
      .prepare(`UPDATE findings SET status = 'accepted' WHERE identity LIKE '%|nessus:11219|%'`)
      .run();
    const later = laterNessusScan(NESSUS, join(dir, 'later.nessus'), ['31649', '11219']);
    const [second] = await run(session, later);
    expect(second?.findings).toMatchObject({ new: 0, notSeen: 1 });
    const php = listFindings(session.db, { limit: 1, cve: 'CVE-2006-1015' })[0];
    expect(php?.status).toBe('not_seen');
    expect(
      session.db
        .prepare(`SELECT status FROM findings WHERE identity LIKE '%|nessus:11219|%'`)
        .pluck()
        .get(),
    ).toBe('accepted');

    // An OLDER file lacking a finding never marks it.
    const older = join(dir, 'older.nessus');
    writeFileSync(
      older,
      readFileSync(NESSUS, 'utf8').replace(
        /<ReportItem [^>]*pluginID="45590"[\s\S]*?<\/ReportItem>/,
        '',
      ),
    );
    const [third] = await run(session, older);
    expect(third?.findings.notSeen).toBe(0);

    // Seen again in a newer scan: reopened.
    const [fourth] = await run(session, laterNessusScan(NESSUS, join(dir, 'again.nessus')));
    expect(fourth?.findings.updated).toBeGreaterThanOrEqual(1);
    expect(listFindings(session.db, { limit: 1, cve: 'CVE-2006-1015' })[0]?.status).toBe('open');
  });

  it('reopens a finding closed as fixed when it reappears', async () => {
    const { session } = await newVault();
    await run(session, NESSUS);
    session.db
      .prepare(`UPDATE findings SET status = 'fixed' WHERE identity LIKE '%|nessus:31649|%'`)
      .run();
    const [again] = await run(session, NESSUS);
    expect(again?.findings.updated).toBe(1);
    expect(
      session.db
        .prepare(
          `SELECT status, status_reason FROM findings WHERE identity LIKE '%|nessus:31649|%'`,
        )
        .get(),
    ).toEqual({
      status: 'open',
      status_reason: 'seen again by a scan',
    });
  });

  it('a failing file leaves no trace but its error; the other files of the batch still import', async () => {
    const { dir, session } = await newVault();
    const truncated = join(dir, 'cut.nessus');
    const bytes = readFileSync(NESSUS);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const notAScan = join(dir, 'notes.txt');
    writeFileSync(notAScan, 'just some text\n');
    const results = await run(
      session,
      truncated,
      fixture('openvas_xml', 'many_vuln.xml'),
      notAScan,
    );
    expect(results[0]?.error).toMatchObject({
      code: 'IMPORT_MALFORMED',
      message: expect.stringMatching(/^cut\.nessus: line \d+/),
    });
    expect(results[1]).toMatchObject({ format: 'openvas-xml', findings: { new: 44 } });
    expect(results[2]?.error).toMatchObject({
      code: 'IMPORT_UNKNOWN_FORMAT',
      message: expect.stringContaining('Supported formats: nessus,'),
    });
    expect(session.db.prepare('SELECT file_name FROM scans').pluck().all()).toEqual([
      'many_vuln.xml',
    ]);
    expect(
      session.db.prepare(`SELECT count(*) FROM findings WHERE scanner = 'Nessus'`).pluck().get(),
    ).toBe(0);
  });

  it('matches assets across scanners and formats by their identifiers', async () => {
    const { session } = await newVault();
    const results = await run(
      session,
      fixture('nessus_xml', 'nessus_v_unknown.xml'),
      fixture('nessus_csv', 'nessus_many_vuln2-all.csv'),
      fixture('grype', 'many_vulns3.json'),
    );
    for (const r of results) expect(r.error).toBeUndefined();
    const assets = session.db
      .prepare('SELECT count(*) FROM assets WHERE merged_into IS NULL')
      .pluck()
      .get() as number;
    const identifiers = session.db
      .prepare(`SELECT count(DISTINCT value) FROM asset_identifiers WHERE kind = 'ip'`)
      .pluck()
      .get() as number;
    // Every IP belongs to exactly one live asset.
    expect(
      session.db
        .prepare(
          `SELECT count(*) FROM (SELECT value FROM asset_identifiers WHERE kind = 'ip' GROUP BY value HAVING count(*) > 1)`,
        )
        .pluck()
        .get(),
    ).toBe(0);
    expect(assets).toBeGreaterThan(0);
    expect(identifiers).toBeGreaterThan(0);
  });

  it('cancelling rolls back the file in progress', async () => {
    const { dir, session } = await newVault();
    const big = join(dir, 'big.nessus');
    const text = readFileSync(NESSUS, 'utf8');
    const items = text.match(/<ReportItem [\s\S]*?<\/ReportItem>/g)?.join('') ?? '';
    writeFileSync(big, text.replace('</HostProperties>', `</HostProperties>${items.repeat(200)}`));
    const controller = new AbortController();
    const promise = importFiles(session, [big], {
      controls: { signal: controller.signal, progress: () => controller.abort() },
    });
    await expect(promise).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(session.db.prepare('SELECT count(*) FROM scans').pluck().get()).toBe(0);
    expect(session.db.prepare('SELECT count(*) FROM findings').pluck().get()).toBe(0);
  });
});
