import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../src-main/importers/import-files';
import { fixture, quietControls } from '../../helpers/import';
import { cli } from '../../helpers/cli';
import { PASS, newVault } from '../../helpers/vault';

const KEV = fixture('feeds', 'known_exploited_vulnerabilities.json');
const EPSS_NEW = fixture('feeds', 'epss_scores-2026-09-29.slice.csv');
const EPSS_OLD = fixture('feeds', 'epss_scores-2025-02-20.slice.csv');
const NVD = fixture('feeds', 'nvd', 'full-page.json');

/** A Trivy report (from a real one) whose first three findings carry CVEs the feed samples know. */
function trivyWithFeedCves(dir: string): string {
  const report = JSON.parse(readFileSync(fixture('trivy', 'scheme_2_many_vulns.json'), 'utf8')) as {
    Results: { Vulnerabilities: Record<string, unknown>[] }[];
  };
  const vulns = report.Results[0]!.Vulnerabilities;
  const [nvdOnly, epssOnly, kevOne] = vulns as [
    Record<string, unknown>,
    Record<string, unknown>,
    Record<string, unknown>,
  ];
  nvdOnly['VulnerabilityID'] = 'CVE-2023-27314';
  delete nvdOnly['CVSS'];
  epssOnly['VulnerabilityID'] = 'CVE-1999-0002';
  kevOne['VulnerabilityID'] = 'CVE-2019-0708';
  const path = join(dir, 'trivy-feeds.json');
  writeFileSync(path, JSON.stringify(report));
  return path;
}

describe('feeds in the vault', () => {
  it('enriches findings from the real KEV, EPSS and NVD samples; feed status shows what is loaded and how old', async () => {
    const { dir, path, session } = await newVault();
    const [imported] = await importFiles(session, [trivyWithFeedCves(dir)], {
      controls: quietControls(),
    });
    expect(imported?.error).toBeUndefined();
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });

    const empty = await vz('feeds', 'status', '--json');
    const before = JSON.parse(empty.out) as {
      kind: string;
      loaded: boolean;
      stale: boolean;
      reason: string;
    }[];
    expect(before.map((f) => [f.kind, f.loaded, f.stale])).toEqual([
      ['kev', false, true],
      ['epss', false, true],
      ['nvd', false, true],
      ['cve5', false, true],
    ]);
    expect(before[0]?.reason).toBe('kev: never loaded');

    expect((await vz('feeds', 'import', EPSS_OLD)).code).toBe(0);
    const loaded = await vz(
      'feeds',
      'import',
      KEV,
      EPSS_NEW,
      NVD,
      fixture('feeds', 'cve5', 'CVE-2022-1576.json'),
      '--json',
    );
    expect(loaded.code).toBe(0);
    expect(
      (JSON.parse(loaded.out) as { feeds: { kind: string; records: number; signed: boolean }[] })
        .feeds,
    ).toEqual([
      expect.objectContaining({ kind: 'kev', records: 1404, signed: false }),
      expect.objectContaining({ kind: 'epss', signed: false }),
      expect.objectContaining({ kind: 'nvd', records: 38 }),
      expect.objectContaining({ kind: 'cve5', records: 1 }),
    ]);

    const status = JSON.parse((await vz('feeds', 'status', '--json')).out) as {
      kind: string;
      loaded: boolean;
      date: string;
      signed: boolean;
      version: string;
    }[];
    expect(status.find((f) => f.kind === 'kev')).toMatchObject({ loaded: true, signed: false });
    expect(status.find((f) => f.kind === 'epss')?.date).toMatch(/^2026-09-29/);

    const findings = JSON.parse((await vz('findings', '--json', '--limit', '100')).out) as {
      vulnerability: { key: string; cvss3?: number };
      kev: { dueDate: string; ransomware: boolean } | null;
      epss: { score: number; date: string } | null;
      ssvc: { decision: string; inputs: Record<string, { value: string; source: string }> };
      riskScore: number;
      dueDate: string;
      overdue: boolean;
    }[];
    const byKey = (k: string) => findings.find((f) => f.vulnerability.key === k);
    // KEV: flagged with the catalog's due date (earlier than the SSVC SLA, so it wins and is overdue).
    expect(byKey('CVE-2019-0708')).toMatchObject({
      kev: { dueDate: '2022-05-03', ransomware: true },
      overdue: true,
    });
    expect(byKey('CVE-2019-0708')?.dueDate).toMatch(/^2022-05-03T23:59:59/);
    expect(byKey('CVE-2019-0708')?.ssvc.inputs['exploitation']).toMatchObject({ value: 'active' });
    // EPSS: the newest score date's value, with its date; the older date is kept as history.
    expect(byKey('CVE-1999-0002')?.epss).toMatchObject({
      score: 0.27858,
      date: expect.stringMatching(/^2026-09-29/),
    });
    // NVD fills the CVSS the scanner did not give.
    expect(byKey('CVE-2023-27314')?.vulnerability.cvss3).toBe(7.5);
    for (const f of findings) {
      expect(f.riskScore).toBeGreaterThanOrEqual(0);
      expect(f.riskScore).toBeLessThanOrEqual(100);
      expect(Object.keys(f.ssvc.inputs).sort()).toEqual([
        'automatable',
        'exploitation',
        'exposure',
        'humanImpact',
      ]);
    }

    // Asset criticality/exposure change the decision inputs.
    const set = await vz(
      'assets',
      'set',
      '--pattern',
      '*',
      '--criticality',
      'critical',
      '--exposure',
      'internet',
      '--json',
    );
    expect(JSON.parse(set.out)).toMatchObject({ updated: 1 });
    const after = JSON.parse(
      (await vz('findings', '--json', '--limit', '100')).out,
    ) as typeof findings;
    const kev = after.find((f) => f.vulnerability.key === 'CVE-2019-0708');
    expect(kev?.ssvc.inputs['exposure']).toMatchObject({ value: 'open' });
    expect(kev?.ssvc.decision).toBe('Immediate');
    expect(kev!.riskScore).toBeGreaterThan(byKey('CVE-2019-0708')!.riskScore);
    expect((await vz('assets', 'set', '--cidr', '10.0.0.0/33', '--criticality', 'low')).code).toBe(
      1,
    );
  });

  it('prioritization is tunable: the EPSS threshold and SLA days change decisions and due dates', async () => {
    const { dir, path, session } = await newVault();
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    expect((await vz('import', trivyWithFeedCves(dir))).code).toBe(0);
    expect((await vz('feeds', 'import', EPSS_NEW)).code).toBe(0);
    const epssFinding = async () =>
      (
        JSON.parse((await vz('findings', '--json', '--cve', 'CVE-1999-0002')).out) as {
          ssvc: { inputs: { exploitation: { value: string; source: string } } };
          dueDate: string;
          firstSeen: string;
        }[]
      )[0]!;
    expect((await epssFinding()).ssvc.inputs.exploitation.value).toBe('poc');
    const tuning = join(dir, 'tuning.json');
    writeFileSync(tuning, JSON.stringify({ epssPocThreshold: 0.5, slaDays: { Defer: 10 } }));
    expect((await vz('prioritization', 'set', tuning)).code).toBe(0);
    const tuned = await epssFinding();
    expect(tuned.ssvc.inputs.exploitation.value).toBe('none');
    const shown = JSON.parse((await vz('prioritization', 'show', '--json')).out) as {
      epssPocThreshold: number;
      slaDays: Record<string, number>;
    };
    expect(shown).toMatchObject({ epssPocThreshold: 0.5, slaDays: { Defer: 10, Immediate: 2 } });
    // The feed-age limit is configurable: the 2026-09-29 EPSS sample is stale at 7 days, fresh at 3650.
    const epssStale = async () =>
      (
        JSON.parse((await vz('feeds', 'status', '--json')).out) as {
          kind: string;
          stale: boolean;
        }[]
      ).find((f) => f.kind === 'epss')?.stale;
    expect(await epssStale()).toBe(true);
    writeFileSync(tuning, JSON.stringify({ maxFeedAgeDays: { epss: 3650 } }));
    expect((await vz('prioritization', 'set', tuning)).code).toBe(0);
    expect(await epssStale()).toBe(false);
    writeFileSync(tuning, JSON.stringify({ epssPocThreshold: 3 }));
    const bad = await vz('prioritization', 'set', tuning);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('epssPocThreshold');
  });

  it('a file imported after the feeds were loaded is enriched too', async () => {
    const { dir, path, session } = await newVault();
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    expect((await vz('feeds', 'import', KEV, NVD)).code).toBe(0);
    expect((await vz('import', trivyWithFeedCves(dir))).code).toBe(0);
    const rows = JSON.parse((await vz('findings', '--json', '--cve', 'CVE-2019-0708')).out) as {
      kev: unknown;
    }[];
    expect(rows[0]?.kev).toEqual({ dueDate: '2022-05-03', ransomware: true });
    const nvd = JSON.parse((await vz('findings', '--json', '--cve', 'CVE-2023-27314')).out) as {
      vulnerability: { cvss3?: number };
    }[];
    expect(nvd[0]?.vulnerability.cvss3).toBe(7.5);
  });

  it('signed bundles: valid imports; replay, tampering and unknown keys are refused with no data changed; an admin can force a rollback', async () => {
    const { dir, path, session } = await newVault();
    session.lock();
    const vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
    const keygen = await vz('feeds', 'keygen', join(dir, 'feed'), '--json');
    expect(keygen.code).toBe(0);
    expect(JSON.parse(keygen.out)).toMatchObject({
      fingerprint: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((statSync(join(dir, 'feed.key')).mode & 0o777).toString(8)).toBe('600');
    expect((await vz('feeds', 'keygen', join(dir, 'feed'))).code).toBe(1);
    const bundle = (name: string, sequence: number, ...files: string[]) =>
      vz(
        'feeds',
        'bundle',
        '--key',
        join(dir, 'feed.key'),
        '--out',
        join(dir, name),
        '--sequence',
        String(sequence),
        ...files,
      );

    expect((await bundle('b10.vzfeed', 10, KEV, EPSS_NEW)).code).toBe(0);
    expect((await bundle('b5.vzfeed', 5, EPSS_OLD)).code).toBe(0);

    const untrusted = await vz('feeds', 'import', join(dir, 'b10.vzfeed'));
    expect(untrusted.code).toBe(1);
    expect(untrusted.err).toContain('which is not a trusted feed key');
    expect((await vz('feeds', 'trust', 'add', 'connected-side', join(dir, 'feed.pub'))).code).toBe(
      0,
    );
    const list = JSON.parse((await vz('feeds', 'trust', 'list', '--json')).out) as {
      fingerprint: string;
    }[];
    expect(list).toHaveLength(1);

    const ok = await vz('feeds', 'import', join(dir, 'b10.vzfeed'), '--json');
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out)).toMatchObject({
      bundle: { sequence: 10, rollback: false },
      feeds: [
        { kind: 'kev', signed: true },
        { kind: 'epss', signed: true },
      ],
    });

    const counts = () =>
      vz('feeds', 'status', '--json').then((r) =>
        (JSON.parse(r.out) as { kind: string; records: number; date: string }[])
          .map((f) => `${f.kind}:${f.records}:${f.date}`)
          .join(' '),
      );
    const loadedState = await counts();

    const replay = await vz('feeds', 'import', join(dir, 'b10.vzfeed'));
    expect(replay.code).toBe(1);
    expect(replay.err).toContain(
      'Bundle sequence 10 is not newer than the last imported sequence 10',
    );
    const older = await vz('feeds', 'import', join(dir, 'b5.vzfeed'));
    expect(older.code).toBe(1);
    expect(older.err).toContain(
      'Bundle sequence 5 is not newer than the last imported sequence 10',
    );
    expect(await counts()).toBe(loadedState);

    const tampered = join(dir, 'tampered.vzfeed');
    const bytes = readFileSync(join(dir, 'b10.vzfeed'));
    bytes[bytes.length - 3000] = (bytes[bytes.length - 3000] ?? 0) ^ 0x01;
    writeFileSync(tampered, bytes);
    expect((await vz('feeds', 'import', tampered, '--force-rollback')).code).toBe(1);
    expect(await counts()).toBe(loadedState);

    const forced = await vz(
      'feeds',
      'import',
      join(dir, 'b5.vzfeed'),
      '--force-rollback',
      '--json',
    );
    expect(forced.code).toBe(0);
    expect(JSON.parse(forced.out)).toMatchObject({ bundle: { sequence: 5, rollback: true } });

    // Recognised by content, not by extension: a bundle renamed on the way in still verifies.
    expect((await bundle('feeds.vzb', 11, KEV)).code).toBe(0);
    const renamed = await vz('feeds', 'import', join(dir, 'feeds.vzb'), '--json');
    expect(JSON.parse(renamed.out)).toMatchObject({
      bundle: { sequence: 11, rollback: false },
      feeds: [{ kind: 'kev', signed: true }],
    });
    const mixed = await vz('feeds', 'import', join(dir, 'feeds.vzb'), KEV);
    expect(mixed.code).toBe(2);
    expect(mixed.err).toContain('import a bundle on its own');
    const audit = JSON.parse((await vz('audit', 'verify', '--json')).out) as { ok: boolean };
    expect(audit.ok).toBe(true);

    const fp = list[0]!.fingerprint;
    expect((await vz('feeds', 'trust', 'remove', fp)).code).toBe(2);
    expect((await vz('feeds', 'trust', 'remove', fp, '--yes')).code).toBe(0);
  });
});
