/**
 * Exports an approval as an Ansible playbook + inventory, for fleets that run on
 * Ansible/AWX (docs/ansible.md). Pure: the caller reads the approval, draft version and
 * hosts; this only writes text.
 *
 * The export holds the four approved scripts as files (never inlined into YAML) and
 * their SHA-256 embedded in the playbook. The playbook checks them on the controller
 * before any host is touched (and each copy on a host is checked again, with the SHA-1
 * the copy module understands), so an edited export fails closed. Hosts are reached with StrictHostKeyChecking=yes against the
 * export's own known_hosts (the pinned keys): nothing is accepted silently.
 *
 * Only ansible.builtin modules are used (air-gapped controllers install no collections),
 * and every string from outside goes through a YAML escaper and Ansible's `!unsafe` tag
 * (./yaml.ts), so titles and names can neither break the YAML nor inject Jinja.
 */
import { createHash } from 'node:crypto';
import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { STEPS, type DraftContent, type Step } from '../../../src-preload/drafts-schemas';
import { VzError } from '../../core/errors';
import { commentText, yamlString, yamlUnsafe } from './yaml';

export interface AnsibleExportHost {
  name: string;
  address: string;
  port: number;
  username: string;
  sudoMode: 'none' | 'sudo-n';
  /** The pinned host key; hosts without one cannot be reached until it is added. */
  hostKey?: { algorithm: string; publicKey: string };
}

export interface AnsibleExportInput {
  approvalId: number;
  /** The approval's hash, written into the playbook header and vars. */
  approvalSha256: string;
  draftTitle: string;
  draftVersion: number;
  content: DraftContent;
  hosts: AnsibleExportHost[];
  options: {
    stepTimeoutSec: number;
    /** Canary size as a percentage of the hosts (at least 1 host); default: 1 host. */
    canaryPercent?: number;
    /** Second wave: this percentage of the hosts left after the canary. */
    wavePercent: number;
    /** A wave stops the run when more than this percentage of its hosts fail. */
    maxFailPercent: number;
  };
}

export interface ExportFile {
  path: string;
  content: string;
  mode?: number;
}

/** The inventory group every exported host belongs to (the play's `hosts:`). */
export const ANSIBLE_GROUP = 'vulnzero_targets';
/** VZ_STATE_DIR when neither the inventory nor `-e` sets `vz_state_dir`. */
export const DEFAULT_STATE_DIR = '/var/lib/vulnzero/state';
/** Seconds between two checks of a running step (Ansible `poll`). */
const POLL_SEC = 1;
/** Longest wait for the host to kill a timed-out step before rollback (its watcher ticks every 5 s). */
const ASYNC_KILL_WAIT_SEC = 60;

const ALIAS = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const RESERVED_ALIASES = new Set(['localhost', 'all', 'ungrouped', ANSIBLE_GROUP]);
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;
const KEY_TYPE = /^[a-z0-9][a-z0-9@.-]{0,63}$/;
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

interface ScriptHashes {
  sha256: Record<Step, string>;
  sha1: Record<Step, string>;
}

function scriptHashes(content: DraftContent): ScriptHashes {
  const per = (algorithm: string) =>
    Object.fromEntries(
      STEPS.map((s) => [s, createHash(algorithm).update(content[s], 'utf8').digest('hex')]),
    ) as Record<Step, string>;
  return { sha256: per('sha256'), sha1: per('sha1') };
}

function invalid(message: string): never {
  throw new VzError('EXPORT_INVALID', message);
}

function intIn(value: number, min: number, max: number, what: string): number {
  if (!Number.isInteger(value) || value < min || value > max)
    invalid(`${what} must be an integer from ${min} to ${max} (got ${String(value)}).`);
  return value;
}

/** The key type named inside an SSH public key blob (its first length-prefixed string). */
function blobKeyType(blob: Buffer): string | null {
  if (blob.length < 4) return null;
  const len = blob.readUInt32BE(0);
  if (len < 1 || len > 64 || 4 + len > blob.length) return null;
  const type = blob.subarray(4, 4 + len).toString('latin1');
  return KEY_TYPE.test(type) ? type : null;
}

/** `type base64` for known_hosts, from a bare base64 blob or an OpenSSH `type base64 [comment]`. */
function knownHostsKey(host: AnsibleExportHost): string | null {
  if (!host.hostKey) return null;
  const { algorithm, publicKey } = host.hostKey;
  // One line: the bare base64 blob, or `type base64 [comment]` as in a .pub file.
  const tokens = /^[\x20-\x7e]+$/.test(publicKey.trim()) ? publicKey.trim().split(/ +/) : [];
  const b64 = tokens.length === 1 ? tokens[0] : KEY_TYPE.test(tokens[0] ?? '') ? tokens[1] : '';
  const blob = b64 && BASE64.test(b64) ? Buffer.from(b64, 'base64') : null;
  const type = blob && blob.toString('base64') === b64 ? blobKeyType(blob) : null;
  if (!b64 || type === null || (tokens.length > 1 && tokens[0] !== type))
    invalid(`The host key of "${commentText(host.name)}" is not an SSH public key.`);
  // An RSA key is pinned under its signature algorithm by some clients (rsa-sha2-256/512).
  const compatible =
    algorithm === type || (type === 'ssh-rsa' && /^rsa-sha2-(256|512)$/.test(algorithm));
  if (!compatible)
    invalid(
      `The host key of "${commentText(host.name)}" is a ${type} key, not ${commentText(algorithm)}.`,
    );
  return `${type} ${b64}`;
}

interface PreparedHost extends AnsibleExportHost {
  alias: string;
  knownHostsKey: string | null;
}

function prepareHosts(hosts: AnsibleExportHost[]): PreparedHost[] {
  if (hosts.length === 0) invalid('An export needs at least one host.');
  const taken = new Set<string>();
  const names = new Set(hosts.map((h) => h.name));
  return hosts.map((host, i) => {
    if (!ADDRESS.test(host.address))
      invalid(`"${commentText(host.address)}" is not a host name or IP address.`);
    if (!USER.test(host.username))
      invalid(`"${commentText(host.username)}" is not a valid user name.`);
    intIn(host.port, 1, 65535, 'The SSH port');
    if (host.sudoMode !== 'none' && host.sudoMode !== 'sudo-n')
      invalid(`Unknown sudo mode "${commentText(String(host.sudoMode))}".`);
    // The inventory name is the host's own name when Ansible can carry it as is;
    // otherwise a generated one (the real name stays in a comment).
    let alias =
      ALIAS.test(host.name) && !RESERVED_ALIASES.has(host.name.toLowerCase()) ? host.name : '';
    if (alias === '' || taken.has(alias)) {
      let n = i + 1;
      do alias = `vz-host-${n++}`;
      while (taken.has(alias) || names.has(alias));
    }
    taken.add(alias);
    return { ...host, alias, knownHostsKey: knownHostsKey(host) };
  });
}

/** Wave sizes for `serial`: the canary, then wavePercent of the rest, then everything left. */
export function waveSizes(hostCount: number, options: AnsibleExportInput['options']): number[] {
  const canary =
    options.canaryPercent === undefined
      ? 1
      : Math.max(1, Math.ceil((hostCount * options.canaryPercent) / 100));
  const sizes = [Math.min(canary, hostCount)];
  const rest = hostCount - sizes[0]!;
  if (rest > 0) {
    const second = Math.max(1, Math.ceil((rest * options.wavePercent) / 100));
    sizes.push(second);
    if (rest - second > 0) sizes.push(rest - second);
  }
  return sizes;
}

function knownHostsPattern(host: PreparedHost): string {
  return host.port === 22 ? host.address : `[${host.address}]:${host.port}`;
}

function inventoryIni(input: AnsibleExportInput, hosts: PreparedHost[], sha: string): string {
  const lines = [
    `# VulnZero export of approval ${input.approvalId} (SHA-256 ${sha}). See README.txt.`,
    '# Host keys are checked against ./known_hosts only: a host without a pinned key, or',
    '# with a different key, is refused by ssh.',
    `[${ANSIBLE_GROUP}]`,
  ];
  for (const h of hosts) {
    if (h.alias !== h.name) lines.push(`# host name: ${commentText(h.name)}`);
    if (!h.knownHostsKey) lines.push('# no pinned host key: add it to known_hosts before running');
    const become =
      h.sudoMode === 'sudo-n'
        ? 'ansible_become=true ansible_become_method=sudo ansible_become_user=root'
        : 'ansible_become=false';
    lines.push(
      `${h.alias} ansible_host=${h.address} ansible_port=${h.port} ansible_user=${h.username} ${become}`,
    );
  }
  lines.push(
    '',
    `[${ANSIBLE_GROUP}:vars]`,
    // A Python string literal (the INI inventory reads values with literal_eval). The
    // inner quotes survive Ansible's shlex split so ssh reads a path with spaces whole.
    `ansible_ssh_common_args="-o 'UserKnownHostsFile=\\"{{ inventory_dir }}/known_hosts\\"' -o StrictHostKeyChecking=yes"`,
    // sudo -n: never wait for a password (Ansible's default flags for sudo, spelled out).
    'ansible_become_flags="-H -S -n"',
    '',
  );
  return lines.join('\n');
}

function knownHosts(hosts: PreparedHost[]): string {
  const lines = ['# Pinned host keys of the exported hosts (VulnZero).'];
  for (const h of hosts) {
    if (h.knownHostsKey) lines.push(`${knownHostsPattern(h)} ${h.knownHostsKey}`);
    else lines.push(`# ${h.alias}: no pinned key (pin it in VulnZero, or add it here yourself)`);
  }
  return `${lines.join('\n')}\n`;
}

function indent(lines: string[], spaces: number): string[] {
  const pad = ' '.repeat(spaces);
  return lines.map((l) => (l === '' ? l : pad + l));
}

function hashVars(name: string, hashes: Record<Step, string>): string[] {
  return [`${name}:`, ...STEPS.map((s) => `  ${s}: ${yamlString(hashes[s])}`)];
}

/** One step run on the host: `sh SCRIPT` with VZ_STATE_DIR, killed after the step timeout. */
function stepTask(
  name: string,
  step: Step,
  register: string,
  timeoutSec: number,
  extra: string[],
): string[] {
  return [
    `- name: ${yamlString(name)}`,
    '  ansible.builtin.command:',
    `    argv: ["/bin/sh", "{{ vz_workdir.path }}/${step}.sh"]`,
    '  environment:',
    '    VZ_STATE_DIR: "{{ vz_state_dir | default(vz_default_state_dir) }}"',
    `  async: ${timeoutSec}`,
    `  poll: ${POLL_SEC}`,
    `  register: ${register}`,
    ...extra.map((l) => `  ${l}`),
  ];
}

function playbookYml(
  input: AnsibleExportInput,
  hashes: ScriptHashes,
  sha: string,
  waves: number[],
): string {
  const t = input.options.stepTimeoutSec;
  const id = input.approvalId;
  const stepList = `[${STEPS.join(', ')}]`;
  const endedEarly =
    'vz_precheck.rc in [3, 4] or (vz_precheck.rc == 0 and vz_dry_run | default(false) | bool)';

  const integrityPlay = [
    `- name: ${yamlString(`VulnZero approval ${id}: check the exported scripts`)}`,
    '  hosts: localhost',
    '  connection: local',
    '  gather_facts: false',
    '  any_errors_fatal: true',
    '  vars:',
    ...indent(hashVars('vz_script_sha256', hashes.sha256), 4),
    '  tasks:',
    '    - name: "Hash the exported scripts (SHA-256)"',
    '      ansible.builtin.stat:',
    '        path: "{{ playbook_dir }}/scripts/{{ item }}.sh"',
    '        follow: false',
    '        get_checksum: true',
    '        checksum_algorithm: sha256',
    `      loop: ${stepList}`,
    '      register: vz_local_scripts',
    '      tags: [always]',
    '    - name: "Refuse scripts that differ from the approved ones"',
    '      ansible.builtin.assert:',
    '        that:',
    '          - item.stat.exists',
    '          - item.stat.isreg',
    '          - item.stat.checksum == vz_script_sha256[item.item]',
    '        fail_msg: "scripts/{{ item.item }}.sh is not the approved script (SHA-256 mismatch): the export was modified, nothing was run"',
    '        quiet: true',
    '      loop: "{{ vz_local_scripts.results }}"',
    '      loop_control:',
    '        label: "{{ item.item }}"',
    '      tags: [always]',
    '    - name: "Scripts match the approval"',
    '      ansible.builtin.set_fact:',
    '        vz_export_verified: true',
    '      tags: [always]',
  ];

  // When Ansible stops waiting for a timed-out step, the host's async watcher may not
  // have killed it yet (it checks every 5 s): wait for the job to end before rolling back,
  // so rollback never runs next to a still-running apply.
  const failedJid =
    "ansible_failed_result.ansible_job_id | default(ansible_failed_result.async_result.ansible_job_id | default(''))";
  const rescue = [
    '- name: "Wait until the failed step has stopped on the host"',
    '  ansible.builtin.async_status:',
    '    jid: "{{ vz_failed_jid }}"',
    '  vars:',
    `    vz_failed_jid: "{{ ${failedJid} }}"`,
    '  register: vz_failed_job',
    '  until: vz_failed_job.finished | default(1) | int == 1',
    `  retries: ${ASYNC_KILL_WAIT_SEC}`,
    '  delay: 1',
    '  changed_when: false',
    '  failed_when: false',
    '  when: vz_failed_jid | length > 0 and ansible_failed_result.finished | default(0) | int != 1',
    ...stepTask('rollback', 'rollback', 'vz_rollback', t, ['failed_when: false']),
    ...stepTask('precheck after rollback', 'precheck', 'vz_recheck', t, [
      'changed_when: false',
      'failed_when: false',
    ]),
    '- name: "Host failed: rolled back"',
    '  ansible.builtin.fail:',
    '    msg: >-',
    "      {{ ansible_failed_task.name | default('a step') }} failed;",
    "      rollback exit {{ vz_rollback.rc | default('none (timed out)') }}{{",
    "      ' (MANUAL ROLLBACK needed)' if (vz_rollback.rc | default(-1)) == 6 else '' }};",
    "      precheck after rollback exit {{ vz_recheck.rc | default('none (timed out)') }}{{",
    "      ' (pre-state restored)' if (vz_recheck.rc | default(-1)) == 0",
    "      else ' (rollback NOT confirmed: check this host)' }}",
  ];

  const steps = [
    '- name: "Create a private working directory"',
    '  ansible.builtin.tempfile:',
    '    state: directory',
    '    prefix: vulnzero.',
    '  register: vz_workdir',
    '- name: "Copy the approved scripts (the copy fails unless it matches the approved file)"',
    '  ansible.builtin.copy:',
    '    src: "{{ playbook_dir }}/scripts/{{ item }}.sh"',
    '    dest: "{{ vz_workdir.path }}/{{ item }}.sh"',
    '    mode: "0700"',
    '    checksum: "{{ vz_script_sha1[item] }}"',
    `  loop: ${stepList}`,
    ...stepTask('precheck', 'precheck', 'vz_precheck', t, [
      'changed_when: false',
      'failed_when: vz_precheck.rc is not defined or vz_precheck.rc not in [0, 3, 4]',
    ]),
    '- name: "Already fixed (precheck exit 3): nothing to do"',
    '  ansible.builtin.debug:',
    '    msg: "already fixed"',
    '  when: vz_precheck.rc == 3',
    '- name: "Not applicable (precheck exit 4): nothing to do"',
    '  ansible.builtin.debug:',
    '    msg: "not applicable"',
    '  when: vz_precheck.rc == 4',
    '- name: "Dry run: precheck only"',
    '  ansible.builtin.debug:',
    '    msg: "applicable (dry run: nothing changed)"',
    '  when: vz_precheck.rc == 0 and vz_dry_run | default(false) | bool',
    '- name: "Remove the working directory (host done)"',
    '  ansible.builtin.file:',
    '    path: "{{ vz_workdir.path }}"',
    '    state: absent',
    `  when: ${endedEarly}`,
    '- name: "End this host"',
    '  ansible.builtin.meta: end_host',
    `  when: ${endedEarly}`,
    '- name: "Apply and verify, roll back on failure"',
    '  block:',
    ...indent(
      [
        ...stepTask('apply', 'apply', 'vz_apply', t, [
          'changed_when: true',
          'failed_when: vz_apply.rc is not defined or vz_apply.rc != 0',
        ]),
        ...stepTask('verify', 'verify', 'vz_verify', t, [
          'changed_when: false',
          'failed_when: vz_verify.rc is not defined or vz_verify.rc != 0',
        ]),
      ],
      4,
    ),
    '  rescue:',
    ...indent(rescue, 4),
  ];

  // The canary is a play of its own so that any failure there stops the run, whatever
  // the threshold (Ansible stops the playbook when a whole batch fails). The other waves
  // share its vars and tasks (YAML anchors) and stop on more than maxFailPercent.
  const [canary = 1, ...later] = waves;
  const canaryPlay = [
    `- name: ${yamlString(`VulnZero approval ${id}: canary (precheck, apply, verify; rollback on failure)`)}`,
    `  hosts: ${yamlString(`${ANSIBLE_GROUP}[0:${canary - 1}]`)}`,
    '  gather_facts: false',
    '  max_fail_percentage: 0',
    '  vars: &vz_vars',
    `    vz_approval_id: ${id}`,
    `    vz_approval_sha256: ${yamlString(sha)}`,
    `    vz_draft_title: ${yamlUnsafe(input.draftTitle)}`,
    `    vz_draft_version: ${input.draftVersion}`,
    `    vz_step_timeout_sec: ${t}`,
    `    vz_default_state_dir: ${yamlString(DEFAULT_STATE_DIR)}`,
    ...indent(hashVars('vz_script_sha256', hashes.sha256), 4),
    // SHA-1 because that is what the copy module can check on the host after transfer.
    ...indent(hashVars('vz_script_sha1', hashes.sha1), 4),
    '  tasks: &vz_tasks',
    '    - name: "Refuse to run unless the exported scripts were checked"',
    '      ansible.builtin.assert:',
    '        that:',
    "          - hostvars['localhost']['vz_export_verified'] | default(false) | bool",
    '        fail_msg: "the script check on the controller did not pass; nothing was run"',
    '        quiet: true',
    '      tags: [always]',
    '    - name: "Approved change"',
    '      ansible.builtin.debug:',
    '        msg: "approval {{ vz_approval_id }} ({{ vz_approval_sha256 }}): {{ vz_draft_title }} v{{ vz_draft_version }}"',
    '    - name: "Run the approved steps"',
    '      block:',
    ...indent(steps, 8),
    '      always:',
    ...indent(
      [
        '- name: "Remove the working directory"',
        '  ansible.builtin.file:',
        '    path: "{{ vz_workdir.path }}"',
        '    state: absent',
        '  when: vz_workdir.path is defined',
      ],
      8,
    ),
  ];

  const header = [
    `# VulnZero: Ansible export of approval ${id}`,
    `# Approval SHA-256: ${sha}`,
    `# Draft: ${commentText(input.draftTitle)} (version ${input.draftVersion})`,
    ...STEPS.map((s) => `# scripts/${s}.sh SHA-256: ${hashes.sha256[s]}`),
    '# Generated: do not edit. The scripts are checked against the hashes below before',
    '# anything runs (and each copy on a host is checked again): an edited export fails.',
    '# Run: ansible-playbook -i inventory.ini playbook.yml   (see README.txt)',
    '---',
  ];
  const wavesPlay =
    later.length === 0
      ? []
      : [
          '',
          `- name: ${yamlString(`VulnZero approval ${id}: the other hosts, in waves`)}`,
          `  hosts: ${yamlString(`${ANSIBLE_GROUP}[${canary}:]`)}`,
          '  gather_facts: false',
          `  serial: [${later.join(', ')}]`,
          `  max_fail_percentage: ${input.options.maxFailPercent}`,
          '  vars: *vz_vars',
          '  tasks: *vz_tasks',
        ];
  return [...header, ...integrityPlay, '', ...canaryPlay, ...wavesPlay, ''].join('\n');
}

function readme(
  input: AnsibleExportInput,
  hosts: PreparedHost[],
  hashes: ScriptHashes,
  sha: string,
  waves: number[],
): string {
  const o = input.options;
  const unpinned = hosts.filter((h) => !h.knownHostsKey).map((h) => h.alias);
  const m = input.content.metadata;
  return [
    'VulnZero: Ansible export of an approval',
    '',
    `Approval:        ${input.approvalId}`,
    `Approval SHA-256: ${sha}`,
    `Draft:           ${commentText(input.draftTitle, 500)} (version ${input.draftVersion})`,
    `Risk:            ${m.risk}${m.rebootNeeded ? ', reboot needed' : ''}`,
    `Hosts:           ${hosts.length} (${hosts.map((h) => h.alias).join(', ')})`,
    `Waves:           ${waves.join(', ')} hosts: the canary (any failure stops the run), then`,
    `                 waves that stop the run when more than ${o.maxFailPercent}% of their hosts fail`,
    `Step timeout:    ${o.stepTimeoutSec} s`,
    '',
    'Before any host is touched, the controller checks the scripts in scripts/ against',
    'the SHA-256 values embedded in playbook.yml: an edited export fails closed. Then, per',
    'host: the four scripts are copied to a private temporary directory (each copy is',
    'checked against its approved SHA-1 on the host), precheck runs (exit 0: go on;',
    '3: already fixed; 4: not applicable; anything else: the host fails), then apply and',
    'verify; when apply or verify fails, rollback runs, then precheck again to confirm',
    'the pre-state, and the host is marked failed. Only ansible.builtin modules are used:',
    'no collection is needed.',
    '',
    'Files:',
    '  playbook.yml          the plays: script check on the controller, canary, waves',
    '  inventory.ini         the hosts (group vulnzero_targets), users, sudo -n when set',
    '  known_hosts           the pinned host keys; ssh runs with StrictHostKeyChecking=yes',
    ...STEPS.map((s) => `  scripts/${s}.sh`.padEnd(22) + `SHA-256 ${hashes.sha256[s]}`),
    '',
    'Run (from any directory; Ansible 2.10 or later):',
    '  ansible-playbook -i inventory.ini playbook.yml --private-key KEY_FILE',
    '',
    'Options (-e):',
    `  vz_state_dir=PATH   VZ_STATE_DIR for the scripts (default ${DEFAULT_STATE_DIR});`,
    '                      also settable per host in the inventory or host_vars/',
    '  vz_dry_run=true     run prechecks only',
    '',
    'Exit status: 0 when every host was fixed, already fixed or not applicable; non-zero',
    'when a host failed (its rollback result is in the failure message) or the run stopped.',
    '',
    unpinned.length > 0
      ? `No pinned host key for: ${unpinned.join(', ')}. Pin the keys in VulnZero and export again, or add them to known_hosts: until then ssh refuses these hosts.`
      : 'Every host has a pinned key in known_hosts.',
    '',
  ].join('\n');
}

function validateInput(input: AnsibleExportInput): string {
  intIn(input.approvalId, 1, Number.MAX_SAFE_INTEGER, 'The approval id');
  intIn(input.draftVersion, 1, Number.MAX_SAFE_INTEGER, 'The draft version');
  const sha = input.approvalSha256.toLowerCase();
  if (!/^[0-9a-f]{64}$/.test(sha)) invalid('The approval hash is not a SHA-256 (64 hex digits).');
  const o = input.options;
  intIn(o.stepTimeoutSec, 1, 7 * 24 * 3600, 'The step timeout');
  intIn(o.wavePercent, 1, 100, 'The wave percentage');
  intIn(o.maxFailPercent, 0, 100, 'The failure threshold');
  if (o.canaryPercent !== undefined) intIn(o.canaryPercent, 1, 100, 'The canary percentage');
  for (const s of STEPS)
    if (typeof input.content[s] !== 'string' || input.content[s].length === 0)
      invalid(`The ${s} script is empty.`);
  return sha;
}

/** The files of the export (relative paths), in a stable order. */
export function ansibleExport(input: AnsibleExportInput): { files: ExportFile[] } {
  const sha = validateInput(input);
  const hosts = prepareHosts(input.hosts);
  const hashes = scriptHashes(input.content);
  const waves = waveSizes(hosts.length, input.options);
  return {
    files: [
      { path: 'playbook.yml', content: playbookYml(input, hashes, sha, waves), mode: 0o644 },
      { path: 'inventory.ini', content: inventoryIni(input, hosts, sha), mode: 0o644 },
      { path: 'known_hosts', content: knownHosts(hosts), mode: 0o644 },
      ...STEPS.map((s) => ({ path: `scripts/${s}.sh`, content: input.content[s], mode: 0o755 })),
      { path: 'README.txt', content: readme(input, hosts, hashes, sha, waves), mode: 0o644 },
    ],
  };
}

/**
 * Writes the export into `outDir` (created when missing) and returns the absolute paths
 * written. Refuses a directory that already holds anything (EXPORT_EXISTS).
 */
export async function writeAnsibleExport(
  input: AnsibleExportInput,
  outDir: string,
): Promise<string[]> {
  const { files } = ansibleExport(input);
  const root = resolve(outDir);
  let existing: string[];
  try {
    await mkdir(root, { recursive: true });
    existing = await readdir(root);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR')
      throw new VzError('EXPORT_EXISTS', `${root} exists and is not a directory.`, { path: root });
    throw e;
  }
  if (existing.length > 0)
    throw new VzError('EXPORT_EXISTS', `${root} is not empty: export into a new directory.`, {
      path: root,
    });
  const written: string[] = [];
  for (const f of files) {
    const path = join(root, f.path);
    await mkdir(dirname(path), { recursive: true });
    // 'wx': never overwrite a file that appeared meanwhile.
    await writeFile(path, f.content, { flag: 'wx', mode: f.mode ?? 0o644 });
    written.push(path);
  }
  return written;
}
