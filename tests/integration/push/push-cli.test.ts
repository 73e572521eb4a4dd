/**
 * The public CLI for pushes, against two real sshd instances: `hosts add|set|list|pin|
 * import-known-hosts`, `approve DRAFT_VERSION --targets`, `push run APPROVAL [--dry-run]
 * [--concurrency N] --json`, `push status RUN --json`, `export ansible APPROVAL OUT_DIR`.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DraftContent } from '../../../src-preload/drafts-schemas';
import { createDraft, setDraftState } from '../../../src-main/drafts/store';
import { cli } from '../../helpers/cli';
import { startSshd, type SshdInstance } from '../../helpers/sshd';
import { PASS, newVault, tempDir } from '../../helpers/vault';

const WORK = '/tmp/vz-push-cli';
const CONTENT: DraftContent = {
  precheck: `#!/bin/sh\n[ -f ${WORK}/$VZ_HOST/done ] && exit 3\nexit 0\n`,
  apply: `#!/bin/sh\nset -eu\necho "$VZ_APPROVAL" > ${WORK}/$VZ_HOST/done\necho "applied on $VZ_HOST"\n`,
  verify: `#!/bin/sh\n[ -f ${WORK}/$VZ_HOST/done ]\n`,
  rollback: `#!/bin/sh\nrm -f ${WORK}/$VZ_HOST/done\n`,
  metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: 'cli test' },
};

const servers: SshdInstance[] = [];
const dir = tempDir('vz-push-cli-');
let vz: ReturnType<typeof cli>;
let versionId = 0;

beforeAll(async () => {
  rmSync(WORK, { recursive: true, force: true });
  for (const name of ['db1', 'db2']) mkdirSync(join(WORK, name), { recursive: true });
  chmodSync(WORK, 0o777);
  for (const name of ['db1', 'db2']) chmodSync(join(WORK, name), 0o777);
  servers.push(await startSshd(), await startSshd());
  const { path, session } = await newVault(dir);
  const draftId = await createDraft(
    session,
    { title: 'cli', groupKey: null, findingIds: [] },
    { content: CONTENT, engine: 'manual' },
  );
  setDraftState(session, draftId, 'ready');
  versionId = session.db
    .prepare('SELECT id FROM draft_versions WHERE draft_id = ?')
    .pluck()
    .get(draftId) as number;
  session.lock();
  vz = cli({ VULNZERO_VAULT: path, VULNZERO_PASSPHRASE: PASS });
  servers.forEach((s, i) => writeFileSync(join(dir, `key${i + 1}`), s.clientKey, { mode: 0o600 }));
}, 60_000);

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop()));
  rmSync(WORK, { recursive: true, force: true });
});

describe('push CLI', () => {
  it('adds hosts, shows fingerprints, pins by fingerprint or known_hosts, approves, pushes, reports and exports', async () => {
    for (const [i, s] of servers.entries()) {
      const added = await vz(
        'hosts',
        'add',
        `db${i + 1}`,
        '--address',
        s.host,
        '--port',
        String(s.port),
        '--user',
        s.user,
        '--key',
        join(dir, `key${i + 1}`),
        '--json',
      );
      expect(added.code, added.err).toBe(0);
    }
    // Without --fingerprint: shows the presented key, pins nothing, exits 1.
    const shown = await vz('hosts', 'pin', 'db1');
    expect(shown.code).toBe(1);
    expect(shown.out).toContain(servers[0]!.hostKey.fingerprint);
    const wrong = await vz(
      'hosts',
      'pin',
      'db1',
      '--fingerprint',
      'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
    );
    expect(wrong.code).toBe(1);
    expect(wrong.err).toContain('NOT pinned');
    expect(
      (await vz('hosts', 'pin', 'db1', '--fingerprint', servers[0]!.hostKey.fingerprint)).code,
    ).toBe(0);
    // db2 from a known_hosts file.
    const s2 = servers[1]!;
    writeFileSync(
      join(dir, 'known_hosts'),
      `[${s2.host}]:${s2.port} ${s2.hostKey.algorithm} ${s2.hostKey.publicKey}\n`,
    );
    const imported = JSON.parse(
      (await vz('hosts', 'import-known-hosts', join(dir, 'known_hosts'), '--json')).out,
    ) as { pinned: number; hosts: string[] };
    expect(imported).toMatchObject({ pinned: 1, hosts: ['db2'] });
    const hosts = JSON.parse((await vz('hosts', 'list', '--json')).out) as {
      name: string;
      hostKeys: { fingerprint: string }[];
    }[];
    expect(hosts.map((h) => [h.name, h.hostKeys[0]?.fingerprint])).toEqual([
      ['db1', servers[0]!.hostKey.fingerprint],
      ['db2', s2.hostKey.fingerprint],
    ]);

    const approved = await vz(
      'approve',
      String(versionId),
      '--targets',
      'db1,db2',
      '--concurrency',
      '2',
      '--comment',
      'CHG-7',
      '--json',
    );
    expect(approved.code, approved.err).toBe(0);
    const approval = JSON.parse(approved.out) as {
      id: number;
      sha256: string;
      targets: { name: string }[];
    };
    expect(approval.targets.map((t) => t.name)).toEqual(['db1', 'db2']);

    const dry = await vz('push', 'run', String(approval.id), '--dry-run', '--json');
    expect(dry.code, dry.err).toBe(0);
    expect(JSON.parse(dry.out)).toMatchObject({ state: 'done', options: { dryRun: true } });
    expect(existsSync(join(WORK, 'db1', 'done'))).toBe(false);
    const tooMany = await vz('push', 'run', String(approval.id), '--concurrency', '3');
    expect(tooMany.code).toBe(1);
    expect(tooMany.err).toContain('above the approved 2');

    const pushed = await vz('push', 'run', String(approval.id), '--concurrency', '1', '--json');
    expect(pushed.code, pushed.err).toBe(0);
    const run = JSON.parse(pushed.out) as {
      id: number;
      state: string;
      hosts: { name: string; state: string }[];
    };
    expect(run.hosts.map((h) => [h.name, h.state])).toEqual([
      ['db1', 'verified'],
      ['db2', 'verified'],
    ]);
    expect(readFileSync(join(WORK, 'db2', 'done'), 'utf8').trim()).toBe(String(approval.id));
    const status = JSON.parse((await vz('push', 'status', String(run.id), '--json')).out) as {
      steps: { step: string; stdout: string | null }[];
    };
    expect(status.steps.find((s) => s.step === 'apply')?.stdout).toBe('applied on db1\n');

    const out = join(dir, 'ansible');
    const exported = await vz('export', 'ansible', String(approval.id), out, '--json');
    expect(exported.code, exported.err).toBe(0);
    expect(readFileSync(join(out, 'playbook.yml'), 'utf8')).toContain(approval.sha256);
    expect(readFileSync(join(out, 'scripts', 'apply.sh'), 'utf8')).toBe(CONTENT.apply);
    expect((await vz('export', 'ansible', String(approval.id), out)).code).toBe(1);

    // Per-group settings: both hosts join group "db", then the group's sudo mode changes.
    for (const name of ['db1', 'db2'])
      expect((await vz('hosts', 'set', name, '--group', 'db')).code).toBe(0);
    const grouped = await vz('hosts', 'set', '@db', '--sudo', 'none', '--json');
    expect(grouped.code, grouped.err).toBe(0);
    expect((JSON.parse(grouped.out) as { name: string }[]).map((h) => h.name)).toEqual([
      'db1',
      'db2',
    ]);
    expect((await vz('hosts', 'set', '@nope', '--sudo', 'none')).code).toBe(1);

    // A host change voids the approval: push and export refuse.
    expect((await vz('hosts', 'set', 'db2', '--user', 'nobody')).code).toBe(0);
    const refused = await vz('push', 'run', String(approval.id));
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('voided');
  }, 90_000);
});
