/**
 * The remediation lab, one host (the `npm run lab` loop in small, inside `npm test`): a
 * real debootstrapped Debian bookworm root whose openssl is the point-release build,
 * its own real sshd on 127.0.10.1, a local apt mirror on 127.0.10.254 with the old and
 * the bookworm-security builds. Through the CLI: import the lab's Nessus scan → rule
 * draft → ready → approve → a dry run refused while dpkg's lock is held → push (a real
 * apt upgrade) → rescan import; then a push
 * rollback reinstalls the captured pre-state. dpkg --audit stays clean, sshd answers.
 */
import { join } from 'node:path';
import { mkdirSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Output } from '../../../src-preload/contract';
import { auditedCli } from '../../helpers/cli-audit';
import { PASS, newVault, tempDir } from '../../helpers/vault';
import {
  baseRoot,
  cloneRoot,
  inRoot,
  installedVersions,
  LAB_CACHE,
  requireLabTools,
} from '../../lab/debian-root';
import { injectFault } from '../../lab/faults';
import { configureRoot, labHost, processesIn, type LabHost } from '../../lab/lab-host';
import {
  buildMirror,
  fixedBuild,
  serveMirror,
  type FixedBuild,
  type MirrorServer,
} from '../../lab/mirror';
import { fromAssetsArgs } from '../../lab/push-advisory';
import type { Advisory } from '../../lab/scan';
import { scanHosts } from '../../lab/scan-hosts';

type Run = Output<'push.status'>;
const WORK = '/var/tmp/vz-lab-one-host';
const dir = tempDir('vz-lab-vault-');
let host: LabHost;
let mirror: MirrorServer;
let vz: ReturnType<typeof auditedCli>;
let openssl: Advisory;
let before: Map<string, string>;
const json = <T>(r: { out: string }) => JSON.parse(r.out) as T;

const scan = (file: string, at: Date) => scanHosts([host], [openssl], file, at).file;

beforeAll(async () => {
  requireLabTools();
  const base = baseRoot();
  openssl = {
    source: 'openssl',
    builds: ['libssl3', 'openssl'].map(fixedBuild).filter((b): b is FixedBuild => b !== null),
  };
  buildMirror(base, join(LAB_CACHE, 'mirror'), openssl.builds);
  mirror = await serveMirror(join(LAB_CACHE, 'mirror'));
  rmSync(WORK, { recursive: true, force: true });
  const root = join(WORK, 'lab-1', 'root');
  cloneRoot(base, root);
  const keys = configureRoot(root, 'lab-1', '127.0.10.1', mirror.url, join(WORK, 'keys'));
  host = labHost('lab-1', '127.0.10.1', root, keys);
  await host.start();
  before = installedVersions(root);
  const { path, session } = await newVault(dir);
  session.lock();
  vz = auditedCli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS }, { path });
  await vz.skipAudit();
}, 600_000);

afterAll(async () => {
  await host?.stop();
  await mirror?.stop();
  if (host) expect(processesIn(host.root)).toEqual([]);
  rmSync(WORK, { recursive: true, force: true });
});

describe('one real Debian host: scan in, verified fix out, rolled back', () => {
  let runId = 0;

  it('the host really runs the point-release openssl that bookworm-security fixes', () => {
    expect(openssl.builds.map((b) => b.name)).toEqual(['libssl3', 'openssl']);
    for (const b of openssl.builds) {
      expect(b.suite).toBe('bookworm-security');
      expect(before.get(b.name), b.name).toBeDefined();
      expect(before.get(b.name)).not.toBe(b.version);
    }
    expect(inRoot(host.root, ['cat', '/etc/apt/sources.list'])).toBe(
      `deb [trusted=yes] ${mirror.url} ./\n`,
    );
  });

  it('imports the scan, drafts by rule, approves and pushes a real apt upgrade', async () => {
    mkdirSync(join(WORK, 'scans'), { recursive: true });
    const imported = await vz(
      'import',
      scan(join(WORK, 'scans', 'before.nessus'), new Date(Date.now() - 60_000)),
      '--json',
    );
    expect(imported.code, imported.err).toBe(0);
    expect(json<{ findings: { new: number } }[]>(imported)[0]?.findings.new).toBe(1);

    const groups = json<{ groupKey: string; findingIds: number[] }[]>(
      await vz('drafts', 'groups', '--json'),
    );
    const key = `pkg:debian:${openssl.builds.map((b) => `${b.name}=${b.version}`).join(',')}`;
    expect(groups.map((g) => g.groupKey)).toContain(key);
    const created = await vz('drafts', 'create', '--group', key, '--json');
    expect(created.code, created.err).toBe(0);
    const draft = json<Output<'drafts.get'>>(created);
    expect((await vz('drafts', 'ready', String(draft.id))).code).toBe(0);

    const made = await vz(...fromAssetsArgs(draft.hosts[0]?.assetId as number, host));
    expect(made.code, made.err).toBe(0);
    const [target] = json<{ name: string; address: string }[]>(made);
    expect(target?.address).toBe('127.0.10.1');
    expect((await vz('hosts', 'pin', target!.name, '--fingerprint', host.fingerprint)).code).toBe(
      0,
    );
    const version = draft.versions.at(-1)?.id;
    const approval = json<{ id: number }>(
      await vz('approve', String(version), '--targets', target!.name, '--json'),
    );

    // A held dpkg lock (no psmisc on a minimal host): the precheck sees it, nothing runs.
    const lock = await injectFault('dpkg-lock', host, mirror, new Map());
    const dry = await vz('push', 'run', String(approval.id), '--dry-run', '--json');
    await lock.clear();
    expect(json<Run>(dry).hosts[0]?.state, dry.out).toBe('not_safe');
    expect(json<Run>(dry).steps.find((s) => s.step === 'precheck')?.stderr).toContain(
      'the package manager is busy',
    );
    expect(installedVersions(host.root)).toEqual(before);

    const pushed = await vz('push', 'run', String(approval.id), '--json');
    expect(pushed.code, `${pushed.out}\n${pushed.err}\n${host.log()}`).toBe(0);
    const run = json<Run>(pushed);
    runId = run.id;
    expect(run.hosts[0]?.state).toBe('verified');
    const after = installedVersions(host.root);
    for (const b of openssl.builds) expect(after.get(b.name)).toBe(b.version);
    expect(inRoot(host.root, ['dpkg', '--audit'])).toBe('');

    // The rescan no longer reports the advisory; the fix stays closed.
    const rescan = await vz(
      'import',
      scan(join(WORK, 'scans', 'after.nessus'), new Date()),
      '--json',
    );
    expect(rescan.code, rescan.err).toBe(0);
    const findings = json<{ status: string }[]>(await vz('findings', '--json'));
    expect(findings.map((f) => f.status)).toEqual(['fixed_verified']);
  }, 600_000);

  it('rolls back to the captured pre-state with the old build from the mirror', async () => {
    const rolled = await vz('push', 'rollback', String(runId), '--host', 'lab-1', '--json');
    expect(rolled.code, `${rolled.out}\n${rolled.err}`).toBe(0);
    const now = installedVersions(host.root);
    for (const b of openssl.builds) expect(now.get(b.name), rolled.out).toBe(before.get(b.name));
    expect(inRoot(host.root, ['dpkg', '--audit'])).toBe('');
    // The upgraded-then-restored host still boots its sshd.
    await host.start();
    expect(host.log()).toContain('Server listening on 127.0.10.1 port 22');
  }, 300_000);
});
