/**
 * Push at fleet scale: one draft to 50 loopback sshd hosts (one sshd per host, as in the
 * push tests), through the push engine, then the same approval exported to Ansible and
 * run with `ansible-playbook` on the same hosts:
 *   push.wall_s                 our push (canary, wave, rest; concurrency 10)
 *   push.ansible_forks5_s       ansible-playbook -f 5 (Ansible's default forks)
 *   push.ansible_forks50_s      ansible-playbook -f 50
 *   push.ratio_ansible_forks5   push.wall_s / push.ansible_forks5_s (target <= 0.5)
 * The Ansible figures are skipped, with the reason printed, when ansible is not installed.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DraftContent } from '../../src-preload/drafts-schemas';
import { createDraft, setDraftState } from '../../src-main/drafts/store';
import { approve } from '../../src-main/push/approvals';
import { sshConnector } from '../../src-main/push/connector';
import { pushStatus, startPush } from '../../src-main/push/engine';
import { addCredential, addHost, pinHostKey } from '../../src-main/push/hosts';
import { exportApproval } from '../../src-main/push/export';
import { startSshd, type SshdInstance } from '../helpers/sshd';
import { newVault, tempDir } from '../helpers/vault';
import { report } from './report';

const HOSTS = Number(process.env['VZ_BENCH_HOSTS'] ?? 50);
const WORK = '/tmp/vz-bench-push';
// Every host is this machine: the sshd port (from SSH_CONNECTION) tells the hosts apart.
const DIR = `D=${WORK}/$(echo "$SSH_CONNECTION" | cut -d' ' -f4)`;
const CONTENT: DraftContent = {
  precheck: `#!/bin/sh\n${DIR}\nmkdir -p "$D"\n[ -f "$D/fixed" ] && exit 3\nexit 0\n`,
  apply: `#!/bin/sh\nset -eu\n${DIR}\necho 2.0 > "$D/fixed"\necho applied\n`,
  verify: `#!/bin/sh\n${DIR}\n[ -f "$D/fixed" ]\n`,
  rollback: `#!/bin/sh\n${DIR}\nrm -f "$D/fixed"\n`,
  metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: 'benchmark' },
};

function resetHosts(): void {
  rmSync(WORK, { recursive: true, force: true });
  mkdirSync(WORK, { recursive: true });
  chmodSync(WORK, 0o777);
}

const servers: SshdInstance[] = [];
try {
  for (let i = 0; i < HOSTS; i += 1) servers.push(await startSshd());
  const dir = tempDir('vz-bench-push-');
  const { session } = await newVault(dir);
  const hostIds: number[] = [];
  for (const [i, s] of servers.entries()) {
    const credentialId = addCredential(session, {
      kind: 'ssh-key',
      name: `key-${i}`,
      privateKey: s.clientKey,
    });
    const id = addHost(session, {
      name: `bench-${i}`,
      address: s.host,
      port: s.port,
      username: s.user,
      credentialId,
    });
    pinHostKey(session, id, s.hostKey, 'operator');
    hostIds.push(id);
    writeFileSync(join(dir, `key-${i}`), s.clientKey, { mode: 0o600 });
  }
  const draftId = await createDraft(
    session,
    { title: 'bench', groupKey: null, findingIds: [] },
    { content: CONTENT, engine: 'manual' },
  );
  setDraftState(session, draftId, 'ready');
  const versionId = session.db
    .prepare('SELECT id FROM draft_versions WHERE draft_id = ?')
    .pluck()
    .get(draftId) as number;
  const approvalId = approve(session, {
    draftVersionId: versionId,
    hostIds,
    options: { maxFailPercent: 100 },
  });

  resetHosts();
  const t0 = performance.now();
  const run = await startPush(session, approvalId, {}, sshConnector(session.db), {
    signal: new AbortController().signal,
    progress: () => undefined,
  });
  const wall = (performance.now() - t0) / 1000;
  const verified = pushStatus(session.db, run.runId).hosts.filter(
    (h) => h.state === 'verified',
  ).length;
  process.stderr.write(`# push run ${run.state}: ${verified}/${HOSTS} hosts verified\n`);
  report('push', 'wall_s', wall, 's');

  const ansible = spawnSync('ansible-playbook', ['--version'], { encoding: 'utf8' });
  if (ansible.error || ansible.status !== 0) {
    process.stdout.write(
      '# push.ansible_* skipped: ansible-playbook is not installed (apt-get install ansible)\n',
    );
  } else {
    const out = join(dir, 'ansible');
    await exportApproval(session, approvalId, out);
    mkdirSync(join(out, 'host_vars'), { recursive: true });
    servers.forEach((_s, i) =>
      writeFileSync(
        join(out, 'host_vars', `bench-${i}.yml`),
        `ansible_ssh_private_key_file: ${join(dir, `key-${i}`)}\n`,
      ),
    );
    // Ansible's own defaults otherwise: pipelining on (as fleets run it), piped transfer
    // (the test sshd has no sftp subsystem), fresh connection sockets per run.
    const cfg = join(dir, 'ansible.cfg');
    writeFileSync(cfg, '');
    // The test user must reach it: under /tmp, not inside our private temp dir.
    const remoteTmp = mkdtempSync('/tmp/vz-bench-ansible-');
    chmodSync(remoteTmp, 0o1777);
    const env: NodeJS.ProcessEnv = { ...process.env };
    for (const k of Object.keys(env)) if (k.startsWith('ANSIBLE_')) delete env[k];
    Object.assign(env, {
      ANSIBLE_CONFIG: cfg,
      ANSIBLE_HOME: join(dir, 'ansible-home'),
      ANSIBLE_LOCAL_TEMP: join(dir, 'ansible-local'),
      ANSIBLE_REMOTE_TMP: remoteTmp,
      ANSIBLE_SSH_TRANSFER_METHOD: 'piped',
      ANSIBLE_PIPELINING: '1',
      ANSIBLE_NOCOLOR: '1',
      ANSIBLE_RETRY_FILES_ENABLED: '0',
    });
    const timed = (forks: number): number => {
      resetHosts();
      env['ANSIBLE_SSH_CONTROL_PATH_DIR'] = mkdtempSync(join(dir, 'cp-'));
      const start = performance.now();
      const r = spawnSync(
        'ansible-playbook',
        ['-i', 'inventory.ini', 'playbook.yml', '-f', String(forks)],
        { cwd: out, env, encoding: 'utf8', timeout: 30 * 60_000 },
      );
      if (r.status !== 0)
        process.stderr.write(
          `# ansible-playbook -f ${forks} exited ${r.status}\n${(r.stdout ?? '').slice(-2000)}\n`,
        );
      return (performance.now() - start) / 1000;
    };
    const forks5 = timed(5);
    report('push', 'ansible_forks5_s', forks5, 's');
    report('push', 'ansible_forks50_s', timed(50), 's');
    report('push', 'ratio_ansible_forks5', wall / forks5, 'x');
  }
  session.lock();
} finally {
  await Promise.all(servers.map((s) => s.stop()));
  if (existsSync(WORK)) rmSync(WORK, { recursive: true, force: true });
}
