/**
 * The rules engine on real scanner findings (Nessus local checks for CentOS, AlmaLinux
 * and Ubuntu from Tenable VM exports), the lint of every generated script, and the apt
 * draft run for real against a fake dpkg-query/apt-get on PATH with the real
 * `dpkg --compare-versions`, to prove the version logic and the exit codes.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DraftContent } from '../../../src-preload/drafts-schemas';
import { findingContext, ruleGroups } from '../../../src-main/drafts/create';
import { lintDraft } from '../../../src-main/drafts/lint';
import { evaluatePolicy, policySettings } from '../../../src-main/drafts/policy';
import { matchRule, ruleDraft } from '../../../src-main/drafts/rules';
import { packageDraft } from '../../../src-main/drafts/rules/package-draft';
import { configDraft } from '../../../src-main/drafts/rules/config-draft';
import { importFiles } from '../../../src-main/importers/import-files';
import type { VaultSession } from '../../../src-main/vault/session';
import { fixture, quietControls } from '../../helpers/import';
import { newVault, tempDir } from '../../helpers/vault';

let session: VaultSession;
beforeAll(async () => {
  ({ session } = await newVault());
  const results = await importFiles(
    session,
    [
      fixture('tenable_vm_csv', 'nessus_new.csv'),
      fixture('tenable_vm_csv', 'tenable_many_vuln.csv'),
    ],
    { controls: quietControls() },
  );
  expect(results.map((r) => r.error)).toEqual([undefined, undefined]);
}, 60_000);

function byTitle(title: string) {
  const id = session.db
    .prepare(
      'SELECT f.id FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id WHERE v.title = ? LIMIT 1',
    )
    .pluck()
    .get(title) as number | undefined;
  expect(id, title).toBeDefined();
  return findingContext(session.db, id!);
}

describe('rules on real findings', () => {
  const cases: [string, string, string[]][] = [
    [
      'CentOS 7 : java-1.8.0-openjdk (CESA-2022:7002)',
      'rhel',
      [
        'java-1.8.0-openjdk=1.8.0.352.b08-2.el7_9',
        'java-1.8.0-openjdk-headless=1.8.0.352.b08-2.el7_9',
      ],
    ],
    [
      'AlmaLinux 8 : grub2 (ALSA-2022:2110)',
      'rhel',
      ['grub2-common=2.02-123.el8.alma', 'grub2-efi-x64=2.02-123.el8.alma'],
    ],
    [
      'Ubuntu 18.04 LTS / 20.04 LTS / 22.04 LTS / 22.10 : OpenJDK vulnerabilities (USN-5897-1)',
      'debian',
      [
        'openjdk-11-jdk=11.0.18+10-0ubuntu1~18.04.1',
        'openjdk-11-jdk-headless=11.0.18+10-0ubuntu1~18.04.1',
      ],
    ],
  ];
  for (const [title, family, fixes] of cases) {
    it(`${title} → ${family} package draft`, async () => {
      const finding = byTitle(title);
      const match = matchRule(finding);
      expect(match.kind).toBe('package');
      if (match.kind !== 'package') return;
      expect(match.family).toBe(family);
      const pairs = match.fixes.map((f) => `${f.name}=${f.fixed}`);
      for (const fix of fixes) expect(pairs).toContain(fix);
      const draft = ruleDraft(match, title);
      expect(draft.apply).toContain(family === 'debian' ? 'apt-get install' : 'dnf -y -q upgrade');
      for (const fix of match.fixes)
        expect(draft.precheck).toContain(`check '${fix.name}' '${fix.fixed}'`);
      expect(draft.metadata.rebootNeeded).toBe(title.includes('grub2'));
      const lint = await lintDraft(draft);
      expect(lint.filter((l) => !l.ok || !l.ran)).toEqual([]);
      expect(evaluatePolicy(draft, policySettings.parse({})).blocked).toBe(false);
    });
  }

  it('says why no rule applies, and keeps config rules to Linux hosts', () => {
    const printer = session.db
      .prepare(
        `SELECT f.id FROM findings f JOIN vulnerabilities v ON v.id = f.vulnerability_id JOIN assets a ON a.id = f.asset_id
         WHERE v.title LIKE 'SSH Weak%' AND a.os LIKE '%Printer%' LIMIT 1`,
      )
      .pluck()
      .get() as number;
    expect(matchRule(findingContext(session.db, printer))).toEqual({
      kind: 'none',
      reason: 'configuration rules cover Linux hosts; this host reports "HP JetDirect Printer"',
    });
    const daemon = byTitle('Network daemons not managed by the package system');
    expect(matchRule(daemon)).toMatchObject({
      kind: 'none',
      reason: /no package with a known fixed version/,
    });
  });

  it('reads Debian "Remote package installed / Should be" tokens on Debian hosts (found by the lab)', () => {
    // The form Nessus "Debian Local Security Checks" plugins print; the versions are the
    // bookworm point-release and bookworm-security builds the lab hosts really carry.
    const evidence = [
      'Remote package installed : libssl3_3.0.20-1~deb12u2',
      'Should be                : libssl3_3.0.22-1~deb12u2',
      'Remote package installed : libgssapi-krb5-2_1.20.1-2+deb12u3',
      'Should be                : libgssapi-krb5-2_1.20.1-2+deb12u4',
      'Remote package installed : zlib1g_1:1.2.13.dfsg-1',
      'Should be                : zlib1g_1:1.2.13.dfsg-1+deb12u1',
    ].join('\n');
    const facts = {
      title: 'Debian 12 : openssl - security update',
      os: 'Debian GNU/Linux 12 (bookworm)',
      evidence,
      componentName: null,
      componentVersion: null,
      componentFixedVersion: null,
      image: null,
    };
    expect(matchRule(facts)).toMatchObject({
      kind: 'package',
      family: 'debian',
      fixes: [
        { name: 'libgssapi-krb5-2', installed: '1.20.1-2+deb12u3', fixed: '1.20.1-2+deb12u4' },
        { name: 'libssl3', installed: '3.0.20-1~deb12u2', fixed: '3.0.22-1~deb12u2' },
        { name: 'zlib1g', installed: '1:1.2.13.dfsg-1', fixed: '1:1.2.13.dfsg-1+deb12u1' },
      ],
    });
    // The same tokens on an RPM host are not split the Debian way (no draft from a guess).
    const rpmHost = matchRule({ ...facts, os: 'CentOS Linux 7' });
    expect(rpmHost.kind === 'package' ? rpmHost.fixes.map((f) => f.name) : []).not.toContain(
      'libssl3',
    );
    // And RPM tokens with underscores in the release still read as RPM on RPM hosts.
    const el7 = matchRule({
      ...facts,
      os: 'CentOS Linux 7',
      evidence:
        'Remote package installed : openssl-1.0.2k-25.el7_9\nShould be : openssl-1.0.2k-26.el7_9\n',
    });
    expect(el7).toMatchObject({
      family: 'rhel',
      fixes: [{ name: 'openssl', installed: '1.0.2k-25.el7_9', fixed: '1.0.2k-26.el7_9' }],
    });
  });

  it('groups findings by packages, fixed versions and OS family across hosts', () => {
    const groups = ruleGroups(session.db);
    const java = groups.find((g) =>
      g.groupKey.startsWith('pkg:rhel:java-1.8.0-openjdk=1.8.0.352.b08-2.el7_9,'),
    );
    expect(java?.findingIds.length).toBeGreaterThan(1);
    expect(java?.hosts).toBe(java?.findingIds.length);
    for (const id of java!.findingIds) {
      const m = matchRule(findingContext(session.db, id));
      expect(m.kind !== 'none' && m.groupKey).toBe(java!.groupKey);
    }
  });

  it('every family and config rule writes scripts that pass sh -n and shellcheck', async () => {
    const drafts: DraftContent[] = [
      packageDraft('t', 'suse', [{ name: 'openssl', installed: null, fixed: '1.1.1d-2.80.1' }]),
      packageDraft('t', 'alpine', [{ name: 'busybox', installed: null, fixed: '1.36.1-r7' }]),
      configDraft('ssh-weak-crypto'),
      configDraft('tls-legacy'),
    ];
    for (const d of drafts) {
      expect((await lintDraft(d)).filter((l) => !l.ok || !l.ran)).toEqual([]);
      expect(evaluatePolicy(d, policySettings.parse({})).findings).toEqual([]);
    }
  });
});

describe('the apt draft against a fake dpkg-query and apt-get', () => {
  const dir = tempDir('vz-apt-');
  const bin = join(dir, 'bin');
  const db = join(dir, 'db');
  const state = join(dir, 'state');
  const log = join(dir, 'apt.log');
  mkdirSync(bin);
  mkdirSync(db);
  const tool = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/sh\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // dpkg-query -W -f='${Version}' PKG: the version recorded in $FAKE_DB/PKG.
  tool(
    'dpkg-query',
    'for last; do :; done\n[ -s "$FAKE_DB/$last" ] || exit 1\ncat "$FAKE_DB/$last"',
  );
  // apt-get: logs its arguments; an upgrade installs $FAKE_DB/PKG.candidate for each named
  // package and for those in $FAKE_DB/PKG.pulls (a dependency moved along, as libssl3
  // moves openssl); pkg=ver installs ver unless $FAKE_DB/PKG.held exists.
  tool(
    'apt-get',
    `echo "apt-get $*" >> "$FAKE_LOG"
for arg; do
  case "$arg" in
    -*|install|update|Dpkg::*) ;;
    *=*) [ -e "$FAKE_DB/\${arg%%=*}.held" ] || printf '%s' "\${arg#*=}" > "$FAKE_DB/\${arg%%=*}" ;;
    *) case "$*" in *--only-upgrade*)
         for p in "$arg" $(cat "$FAKE_DB/$arg.pulls" 2>/dev/null); do cp "$FAKE_DB/$p.candidate" "$FAKE_DB/$p"; done ;;
       esac ;;
  esac
done`,
  );
  tool('apt-cache', 'for last; do :; done\ncat "$FAKE_DB/$last.madison" 2>/dev/null || true');
  const draft = packageDraft('OpenSSL', 'debian', [
    { name: 'openssl', installed: '1.1.1f-1ubuntu2.9', fixed: '1.1.1f-1ubuntu2.16' },
  ]);
  const sh = (script: string, extra: Record<string, string> = {}) =>
    spawnSync('sh', ['-c', script], {
      encoding: 'utf8',
      env: {
        ...process.env,
        PATH: `${bin}:${process.env['PATH']}`,
        FAKE_DB: db,
        FAKE_LOG: log,
        VZ_STATE_DIR: state,
        ...extra,
      },
    });
  const run = (step: keyof Omit<DraftContent, 'metadata'>) => sh(draft[step]);
  const installed = (v: string | null) =>
    v === null ? writeFileSync(join(db, 'openssl'), '') : writeFileSync(join(db, 'openssl'), v);

  it('precheck compares versions the way dpkg does', () => {
    const table: [string | null, number][] = [
      ['1.1.1f-1ubuntu2.9', 0], // 2.9 < 2.16: needs the upgrade
      ['1.1.1f-1ubuntu2.16', 3], // already fixed
      ['1.1.1f-1ubuntu2.17~esm1', 3], // newer
      ['1.1.1f-1ubuntu2.16~rc1', 0], // a tilde sorts before the release
      ['1:1.1.0', 3], // an epoch wins
      [null, 4], // not installed: not applicable
    ];
    for (const [version, code] of table) {
      installed(version);
      const r = run('precheck');
      expect(r.status, `${version}: ${r.stdout}${r.stderr}`).toBe(code);
    }
  });

  it('apply upgrades exactly that package and records the previous version; verify and rollback follow', () => {
    installed('1.1.1f-1ubuntu2.9');
    writeFileSync(join(db, 'openssl.candidate'), '1.1.1f-1ubuntu2.20');
    expect(run('verify').status).toBe(1);
    const applied = run('apply');
    expect(applied.status, applied.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain(
      'apt-get install -y -qq --only-upgrade -o Dpkg::Options::=--force-confold openssl',
    );
    expect(readFileSync(join(state, 'openssl.previous'), 'utf8').trim()).toBe('1.1.1f-1ubuntu2.9');
    expect(run('verify').status).toBe(0);

    // The previous version is gone from the mirror: rollback says so and exits 6.
    writeFileSync(
      join(db, 'openssl.madison'),
      '   openssl | 1.1.1f-1ubuntu2.20 | http://mirror focal-updates/main amd64 Packages\n',
    );
    const manual = run('rollback');
    expect(manual.status).toBe(6);
    expect(manual.stderr).toContain('MANUAL ROLLBACK needed');
    // It is still there: rollback reinstalls it.
    writeFileSync(
      join(db, 'openssl.madison'),
      '   openssl | 1.1.1f-1ubuntu2.20 | http://mirror focal-updates/main amd64 Packages\n   openssl | 1.1.1f-1ubuntu2.9 | http://mirror focal/main amd64 Packages\n',
    );
    const restored = run('rollback');
    expect(restored.status, restored.stderr).toBe(0);
    expect(readFileSync(join(db, 'openssl'), 'utf8')).toBe('1.1.1f-1ubuntu2.9');
    expect(readFileSync(log, 'utf8')).toContain(
      '--allow-downgrades -o Dpkg::Options::=--force-confold openssl=1.1.1f-1ubuntu2.9',
    );
  });
  it('moves packages of one source as a set and records every pre-state first (found by the lab)', () => {
    // On a real bookworm host, upgrading libssl3 alone pulled openssl along, so openssl's
    // "previous" was recorded after the fact (the new build) and rollback restored nothing.
    const pair = packageDraft('OpenSSL', 'debian', [
      { name: 'libssl3', installed: '3.0.20-1~deb12u2', fixed: '3.0.22-1~deb12u2' },
      { name: 'openssl', installed: '3.0.20-1~deb12u2', fixed: '3.0.22-1~deb12u2' },
    ]);
    const version = (p: string) => readFileSync(join(db, p), 'utf8');
    writeFileSync(log, '');
    for (const p of ['libssl3', 'openssl']) {
      writeFileSync(join(db, p), '3.0.20-1~deb12u2');
      writeFileSync(join(db, `${p}.candidate`), '3.0.22-1~deb12u2');
      writeFileSync(
        join(db, `${p}.madison`),
        `   ${p} | 3.0.22-1~deb12u2 | http://127.0.10.254 ./ Packages\n   ${p} | 3.0.20-1~deb12u2 | http://127.0.10.254 ./ Packages\n`,
      );
    }
    writeFileSync(join(db, 'libssl3.pulls'), 'openssl');

    const applied = sh(pair.apply);
    expect(applied.status, applied.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain('--force-confold libssl3 openssl\n');
    for (const p of ['libssl3', 'openssl']) {
      expect(readFileSync(join(state, `${p}.previous`), 'utf8').trim()).toBe('3.0.20-1~deb12u2');
      expect(version(p)).toBe('3.0.22-1~deb12u2');
    }
    expect(applied.stdout).toContain(
      'apply: openssl upgraded from 3.0.20-1~deb12u2 to 3.0.22-1~deb12u2',
    );

    const restored = sh(pair.rollback);
    expect(restored.status, restored.stderr).toBe(0);
    expect(readFileSync(log, 'utf8')).toContain(
      '--force-confold libssl3=3.0.20-1~deb12u2 openssl=3.0.20-1~deb12u2\n',
    );
    expect([version('libssl3'), version('openssl')]).toEqual([
      '3.0.20-1~deb12u2',
      '3.0.20-1~deb12u2',
    ]);

    // apt "succeeds" but a package stays where it is (held): rollback does not claim it.
    expect(sh(pair.apply).status).toBe(0);
    writeFileSync(join(db, 'openssl.held'), '');
    const held = sh(pair.rollback);
    expect(held.status).toBe(6);
    expect(held.stdout).toContain('rollback: libssl3 is at its previous version 3.0.20-1~deb12u2');
    expect(held.stderr).toContain(
      'rollback: openssl is 3.0.22-1~deb12u2, not its previous 3.0.20-1~deb12u2: MANUAL ROLLBACK needed',
    );
    rmSync(join(db, 'openssl.held'));
  });
  it("a resumed run keeps its first pre-state; a rollback refuses another run's record", () => {
    const version = () => readFileSync(join(db, 'openssl'), 'utf8');
    installed('1.1.1f-1ubuntu2.9');
    writeFileSync(join(db, 'openssl.candidate'), '1.1.1f-1ubuntu2.20');
    writeFileSync(
      join(db, 'openssl.madison'),
      '   openssl | 1.1.1f-1ubuntu2.20 | http://mirror focal-updates/main amd64 Packages\n   openssl | 1.1.1f-1ubuntu2.9 | http://mirror focal/main amd64 Packages\n',
    );
    expect(sh(draft.apply, { VZ_RUN_ID: '41' }).status).toBe(0);
    // The connection was lost after the upgrade; the resumed run applies again.
    const resumed = sh(draft.apply, { VZ_RUN_ID: '41' });
    expect(resumed.stdout).toContain(
      'apply: openssl keeps the pre-state run 41 recorded: 1.1.1f-1ubuntu2.9',
    );
    expect(readFileSync(join(state, 'openssl.previous'), 'utf8').trim()).toBe('1.1.1f-1ubuntu2.9');

    const other = sh(draft.rollback, { VZ_RUN_ID: '42' });
    expect(other.status).toBe(6);
    expect(other.stderr).toContain('belongs to run 41, not this run (42): MANUAL ROLLBACK needed');
    expect(version()).toBe('1.1.1f-1ubuntu2.20');
    const own = sh(draft.rollback, { VZ_RUN_ID: '41' });
    expect(own.status, own.stderr).toBe(0);
    expect(version()).toBe('1.1.1f-1ubuntu2.9');
    // A new run records afresh.
    expect(sh(draft.apply, { VZ_RUN_ID: '43' }).status).toBe(0);
    expect(readFileSync(join(state, 'openssl.run'), 'utf8').trim()).toBe('43');
  });
});
