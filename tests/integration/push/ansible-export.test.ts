/**
 * The Ansible export against the real tools (Debian's `ansible` package): the playbook
 * passes `ansible-playbook --syntax-check`, PyYAML reads it as intended, and it runs
 * against two loopback sshd "hosts" (tests/helpers/sshd.ts; one plain user, one with
 * `sudo -n`) with benign scripts acting in per-host temp dirs. Host keys are checked
 * only through the export's known_hosts (StrictHostKeyChecking=yes, never disabled).
 */
import { execFileSync, spawn } from 'node:child_process';
import { appendFileSync, chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  writeAnsibleExport,
  type AnsibleExportHost,
  type AnsibleExportInput,
} from '../../../src-main/push/ansible/export';
import { grantSudo, startSshd, type SshdInstance } from '../../helpers/sshd';

const ANSIBLE_PLAYBOOK = '/usr/bin/ansible-playbook';
const RUN_TIMEOUT = 240_000;

let plain: SshdInstance;
let sudoHost: SshdInstance;
let revokeSudo: (() => void) | undefined;
let work: string;
let exportsMade = 0;
const keyFiles = new Map<SshdInstance, string>();

/** A marker the hostile title would create if Jinja ever templated it. */
let pwnedMarker: string;
const hostileTitle = () =>
  `Fix "openssl": {{ lookup('pipe', 'touch ${pwnedMarker}') }} {% if true %}x{% endif %}\n- injected: yes # not a comment`;

const SCRIPTS = {
  precheck: [
    '#!/bin/sh',
    '[ -d "$VZ_STATE_DIR" ] || exit 4',
    '[ -f "$VZ_STATE_DIR/fixed" ] && exit 3',
    'echo "vulnerable"',
    'exit 0',
    '',
  ].join('\n'),
  apply: [
    '#!/bin/sh',
    'set -e',
    'echo applied >> "$VZ_STATE_DIR/apply.log"',
    'id -un > "$VZ_STATE_DIR/fixed"',
    '',
  ].join('\n'),
  verify: '#!/bin/sh\ntest -s "$VZ_STATE_DIR/fixed"\n',
  rollback: [
    '#!/bin/sh',
    'rm -f "$VZ_STATE_DIR/fixed"',
    'echo rolled-back > "$VZ_STATE_DIR/rollback.marker"',
    '',
  ].join('\n'),
};

function uidOf(user: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', user]).toString().trim()),
    gid: Number(execFileSync('id', ['-g', user]).toString().trim()),
  };
}

/** A fresh state dir per host, writable by the host's login user. */
function stateDir(sshd: SshdInstance): string {
  const dir = join(
    work,
    'state',
    `${sshd.port}-${exportsMade}-${Math.random().toString(36).slice(2)}`,
  );
  mkdirSync(dir, { recursive: true });
  const { uid, gid } = uidOf(sshd.user);
  chownSync(dir, uid, gid);
  return dir;
}

function exportHost(name: string, sshd: SshdInstance, sudo: boolean): AnsibleExportHost {
  return {
    name,
    address: sshd.host,
    port: sshd.port,
    username: sshd.user,
    sudoMode: sudo ? 'sudo-n' : 'none',
    hostKey: { algorithm: sshd.hostKey.algorithm, publicKey: sshd.hostKey.publicKey },
  };
}

interface Made {
  dir: string;
  states: Map<SshdInstance, string>;
}

/**
 * Writes an export and, next to its inventory (the Ansible way of adding per-host
 * settings), host_vars with the host's private key and its state dir.
 */
async function makeExport(
  over: Partial<AnsibleExportInput>,
  servers: { name: string; sshd: SshdInstance; sudo: boolean }[],
): Promise<Made> {
  exportsMade += 1;
  const dir = join(work, `export-${exportsMade}`);
  const input: AnsibleExportInput = {
    approvalId: exportsMade,
    approvalSha256: 'c0ffee'.padEnd(64, '0'),
    draftTitle: hostileTitle(),
    draftVersion: 1,
    content: {
      ...SCRIPTS,
      metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: '' },
    },
    hosts: servers.map((s) => exportHost(s.name, s.sshd, s.sudo)),
    options: { stepTimeoutSec: 60, wavePercent: 50, maxFailPercent: 0 },
    ...over,
  };
  await writeAnsibleExport(input, dir);
  const inventory = readFileSync(join(dir, 'inventory.ini'), 'utf8');
  const states = new Map<SshdInstance, string>();
  mkdirSync(join(dir, 'host_vars'));
  for (const s of servers) {
    const alias = inventory
      .split('\n')
      .find((l) => l.includes(` ansible_port=${s.sshd.port} `))
      ?.split(' ')[0];
    if (!alias) throw new Error(`no inventory line for port ${s.sshd.port}`);
    const state = stateDir(s.sshd);
    states.set(s.sshd, state);
    writeFileSync(
      join(dir, 'host_vars', `${alias}.yml`),
      `ansible_ssh_private_key_file: ${JSON.stringify(keyFiles.get(s.sshd))}\n` +
        `vz_state_dir: ${JSON.stringify(state)}\n`,
    );
  }
  return { dir, states };
}

interface Run {
  code: number | null;
  out: string;
}

function ansibleEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  // Nothing from the caller's environment may weaken or redirect the run.
  for (const k of Object.keys(env)) if (k.startsWith('ANSIBLE_')) delete env[k];
  const dirs = (name: string, mode = 0o700) => {
    const d = join(work, 'ansible', name);
    mkdirSync(d, { recursive: true });
    chmodSync(d, mode);
    return d;
  };
  const cfg = join(work, 'ansible', 'ansible.cfg');
  mkdirSync(join(work, 'ansible'), { recursive: true });
  writeFileSync(cfg, '# empty: defaults only\n');
  return {
    ...env,
    ANSIBLE_CONFIG: cfg,
    ANSIBLE_HOME: dirs('home'),
    ANSIBLE_LOCAL_TEMP: dirs('local-tmp'),
    // Both login users create their per-task dirs here (each one 0700).
    ANSIBLE_REMOTE_TMP: dirs('remote-tmp', 0o1777),
    // A fresh dir per run: a master connection left by an earlier run (ControlPersist)
    // would otherwise be reused without a new host key check.
    ANSIBLE_SSH_CONTROL_PATH_DIR: mkdtempSync(join(work, 'ansible', 'cp-')),
    // The test sshd has no sftp subsystem; real hosts use Ansible's default.
    ANSIBLE_SSH_TRANSFER_METHOD: 'piped',
    ANSIBLE_NOCOLOR: '1',
    ANSIBLE_RETRY_FILES_ENABLED: '0',
    ...extra,
  };
}

function ansible(args: string[], extraEnv: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(ANSIBLE_PLAYBOOK, args, {
      cwd: work,
      env: ansibleEnv(extraEnv),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (out += c));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code, out }));
  });
}

const play = (m: Made, extraEnv: Record<string, string> = {}, args: string[] = []) =>
  ansible([...args, '-i', join(m.dir, 'inventory.ini'), join(m.dir, 'playbook.yml')], extraEnv);

const filesIn = (dir: string) => readdirSync(dir).sort();
const read = (dir: string, name: string) => readFileSync(join(dir, name), 'utf8').trim();

beforeAll(async () => {
  if (!existsSync(ANSIBLE_PLAYBOOK))
    throw new Error('ansible-playbook is missing: apt-get install -y ansible');
  [plain, sudoHost] = await Promise.all([startSshd(), startSshd({ user: 'vzsudo' })]);
  revokeSudo = grantSudo('vzsudo');
  work = mkdtempSync(join(tmpdir(), 'vz-ansible-'));
  chmodSync(work, 0o755);
  mkdirSync(join(work, 'keys'), { mode: 0o700 });
  for (const s of [plain, sudoHost]) {
    const path = join(work, 'keys', `client-${s.port}`);
    writeFileSync(path, s.clientKey, { mode: 0o600 });
    keyFiles.set(s, path);
  }
  pwnedMarker = join(work, 'templated-title');
}, 120_000);

afterAll(async () => {
  revokeSudo?.();
  await Promise.all([plain?.stop(), sudoHost?.stop()]);
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('Ansible export with the real ansible-playbook', () => {
  let first: Made;
  const twoHosts = () => [
    { name: 'plain-01', sshd: plain, sudo: false },
    // Not an Ansible-safe name: exported under a generated inventory name.
    { name: 'sudo host {{ x }}', sshd: sudoHost, sudo: true },
  ];

  it('passes --syntax-check, and the YAML and inventory read back as intended', async () => {
    first = await makeExport({}, twoHosts());
    const check = await ansible([
      '--syntax-check',
      '-i',
      join(first.dir, 'inventory.ini'),
      join(first.dir, 'playbook.yml'),
    ]);
    expect(check.code, check.out).toBe(0);

    // PyYAML (what Ansible uses), with !unsafe kept visible.
    const parsed = JSON.parse(
      execFileSync('python3', [
        '-c',
        [
          'import json, sys, yaml',
          'class L(yaml.SafeLoader): pass',
          "L.add_constructor('!unsafe', lambda l, n: {'unsafe': l.construct_scalar(n)})",
          'print(json.dumps(yaml.load(open(sys.argv[1]), Loader=L)))',
        ].join('\n'),
        join(first.dir, 'playbook.yml'),
      ]).toString(),
    ) as {
      hosts: string;
      serial?: number[];
      max_fail_percentage?: number;
      vars: Record<string, unknown>;
      tasks: unknown[];
    }[];
    expect(parsed.map((p) => p.hosts)).toEqual([
      'localhost',
      'vulnzero_targets[0:0]',
      'vulnzero_targets[1:]',
    ]);
    expect(parsed[1]!.vars['vz_draft_title']).toEqual({ unsafe: hostileTitle() });
    expect(parsed[1]!.max_fail_percentage).toBe(0);
    expect(parsed[2]!.serial).toEqual([1]);
    expect(parsed[2]!.tasks).toEqual(parsed[1]!.tasks);

    const inventory = JSON.parse(
      execFileSync('ansible-inventory', ['-i', join(first.dir, 'inventory.ini'), '--list'], {
        env: ansibleEnv(),
        cwd: work,
      }).toString(),
    ) as {
      _meta: { hostvars: Record<string, Record<string, unknown>> };
      vulnzero_targets: { hosts: string[] };
    };
    expect(inventory.vulnzero_targets.hosts).toEqual(['plain-01', 'vz-host-2']);
    const hv = inventory._meta.hostvars;
    expect(hv['plain-01']).toMatchObject({ ansible_port: plain.port, ansible_user: 'vztest' });
    expect(hv['vz-host-2']).toMatchObject({
      ansible_port: sudoHost.port,
      ansible_user: 'vzsudo',
      ansible_become_method: 'sudo',
    });
    expect(hv['plain-01']!['ansible_ssh_common_args']).toBe(
      `-o 'UserKnownHostsFile="{{ inventory_dir }}/known_hosts"' -o StrictHostKeyChecking=yes`,
    );
  });

  it(
    'runs precheck, apply and verify on both hosts (sudo -n where set) and exits 0',
    async () => {
      const run = await play(first);
      expect(run.code, run.out).toBe(0);
      const a = first.states.get(plain)!;
      const b = first.states.get(sudoHost)!;
      expect(read(a, 'fixed')).toBe('vztest');
      expect(read(b, 'fixed')).toBe('root'); // became root with sudo -n
      expect(read(a, 'apply.log')).toBe('applied');
      expect(read(b, 'apply.log')).toBe('applied');
      expect(filesIn(a)).not.toContain('rollback.marker');
      // The title was printed as text, never templated.
      expect(run.out).toContain(`lookup('pipe', 'touch ${pwnedMarker}')`);
      expect(existsSync(pwnedMarker)).toBe(false);
      expect(run.out).toMatch(/plain-01\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0/);
      expect(run.out).toMatch(/vz-host-2\s+: ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0/);
    },
    RUN_TIMEOUT,
  );

  it(
    'a second run finds both hosts already fixed (precheck exit 3) and changes nothing',
    async () => {
      const run = await play(first, { ANSIBLE_PIPELINING: '1' });
      expect(run.code, run.out).toBe(0);
      expect(run.out.match(/"msg": "already fixed"/g)).toHaveLength(2);
      expect(run.out).not.toContain('TASK [apply]');
      expect(read(first.states.get(plain)!, 'apply.log')).toBe('applied');
      expect(read(first.states.get(sudoHost)!, 'apply.log')).toBe('applied');
    },
    RUN_TIMEOUT,
  );

  it(
    'a dry run (-e vz_dry_run=true) runs prechecks only',
    async () => {
      const made = await makeExport({}, [{ name: 'plain-01', sshd: plain, sudo: false }]);
      const run = await play(made, { ANSIBLE_PIPELINING: '1' }, ['-e', 'vz_dry_run=true']);
      expect(run.code, run.out).toBe(0);
      expect(run.out).toContain('applicable (dry run: nothing changed)');
      expect(run.out).not.toContain('TASK [apply]');
      expect(filesIn(made.states.get(plain)!)).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  it(
    'verify failing on the canary: rollback runs, the run stops, ansible exits non-zero',
    async () => {
      const made = await makeExport(
        {
          content: {
            ...SCRIPTS,
            verify: '#!/bin/sh\necho "still vulnerable" >&2\nexit 1\n',
            metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: '' },
          },
        },
        twoHosts(),
      );
      const run = await play(made, { ANSIBLE_PIPELINING: '1' });
      expect(run.code, run.out).not.toBe(0);
      const canary = made.states.get(plain)!;
      expect(read(canary, 'apply.log')).toBe('applied');
      expect(read(canary, 'rollback.marker')).toBe('rolled-back');
      expect(filesIn(canary)).not.toContain('fixed'); // rolled back
      expect(run.out).toContain(
        'verify failed; rollback exit 0; precheck after rollback exit 0 (pre-state restored)',
      );
      // The canary failed: the second host was never touched.
      expect(filesIn(made.states.get(sudoHost)!)).toEqual([]);
      expect(run.out).not.toMatch(/vz-host-2\s+: ok=/);
    },
    RUN_TIMEOUT,
  );

  it(
    'a step past its timeout is killed on the host, then rolled back',
    async () => {
      const made = await makeExport(
        {
          content: {
            ...SCRIPTS,
            apply:
              '#!/bin/sh\necho $$ > "$VZ_STATE_DIR/apply.pid"\nsleep 60\necho late > "$VZ_STATE_DIR/late"\n',
            // Rollback must not start while the timed-out apply still runs.
            rollback: [
              '#!/bin/sh',
              // Alive = /proc entry that is not a zombie (PID 1 here may reap late).
              'pid=$(cat "$VZ_STATE_DIR/apply.pid")',
              'if [ -r "/proc/$pid/stat" ] && ! sed "s/.*) //" "/proc/$pid/stat" | grep -q "^Z"',
              'then echo apply-still-running; else echo rolled-back; fi > "$VZ_STATE_DIR/rollback.marker"',
              '',
            ].join('\n'),
            metadata: { risk: 'low', rebootNeeded: false, servicesToRestart: [], notes: '' },
          },
          options: { stepTimeoutSec: 3, wavePercent: 50, maxFailPercent: 0 },
        },
        [{ name: 'plain-01', sshd: plain, sudo: false }],
      );
      const started = Date.now();
      const run = await play(made, { ANSIBLE_PIPELINING: '1' });
      expect(run.code, run.out).not.toBe(0);
      expect(Date.now() - started).toBeLessThan(50_000);
      const state = made.states.get(plain)!;
      expect(run.out).toContain('apply failed; rollback exit 0');
      expect(read(state, 'rollback.marker')).toBe('rolled-back');
      // The remote script was killed, not left running.
      const pid = Number(read(state, 'apply.pid'));
      expect(
        existsSync(`/proc/${pid}`) && !readFileSync(`/proc/${pid}/stat`, 'utf8').includes(') Z'),
      ).toBe(false);
      expect(filesIn(state)).not.toContain('late');
    },
    RUN_TIMEOUT,
  );

  it(
    'a tampered script fails the hash check before anything runs on any host',
    async () => {
      const made = await makeExport({}, twoHosts());
      appendFileSync(join(made.dir, 'scripts', 'apply.sh'), 'echo extra >> "$VZ_STATE_DIR/x"\n');
      const run = await play(made, { ANSIBLE_PIPELINING: '1' });
      expect(run.code, run.out).not.toBe(0);
      expect(run.out).toContain(
        'scripts/apply.sh is not the approved script (SHA-256 mismatch): the export was modified, nothing was run',
      );
      expect(run.out).not.toContain('TASK [precheck]');
      expect(run.out).not.toMatch(/plain-01|vz-host-2/);
      for (const dir of made.states.values()) expect(filesIn(dir)).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  it(
    'a host whose key differs from the pinned one is refused by ssh (nothing runs)',
    async () => {
      const made = await makeExport(
        {
          hosts: [
            {
              ...exportHost('plain-01', plain, false),
              // Pinned: the other server's key.
              hostKey: {
                algorithm: sudoHost.hostKey.algorithm,
                publicKey: sudoHost.hostKey.publicKey,
              },
            },
          ],
        },
        [{ name: 'plain-01', sshd: plain, sudo: false }],
      );
      const run = await play(made, { ANSIBLE_PIPELINING: '1' });
      expect(run.code, run.out).not.toBe(0);
      expect(run.out).toContain('Host key verification failed');
      expect(run.out).toMatch(/plain-01\s+: ok=\d+\s+changed=0\s+unreachable=1/);
      expect(filesIn(made.states.get(plain)!)).toEqual([]);
    },
    RUN_TIMEOUT,
  );

  it(
    'a host without a pinned key is refused too (never accepted on first use)',
    async () => {
      const { hostKey: _pinned, ...unpinned } = exportHost('plain-01', plain, false);
      const made = await makeExport({ hosts: [unpinned] }, [
        { name: 'plain-01', sshd: plain, sudo: false },
      ]);
      expect(readFileSync(join(made.dir, 'known_hosts'), 'utf8')).not.toContain('ssh-');
      const run = await play(made, { ANSIBLE_PIPELINING: '1' });
      expect(run.code, run.out).not.toBe(0);
      expect(run.out).toContain('Host key verification failed');
      expect(filesIn(made.states.get(plain)!)).toEqual([]);
      // ...and nothing was learned on the way.
      expect(readFileSync(join(made.dir, 'known_hosts'), 'utf8')).not.toContain('ssh-');
    },
    RUN_TIMEOUT,
  );
});
