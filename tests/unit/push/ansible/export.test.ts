import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  ansibleExport,
  waveSizes,
  writeAnsibleExport,
  type AnsibleExportInput,
} from '../../../../src-main/push/ansible/export';
import { decodeDoubleQuoted } from './yaml-decode';

/** An SSH public key blob: string(type) + string(key bytes). */
function sshKey(type: string): string {
  const str = (b: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(b.length);
    return Buffer.concat([len, b]);
  };
  return Buffer.concat([str(Buffer.from(type)), str(randomBytes(32))]).toString('base64');
}

const ED = sshKey('ssh-ed25519');
const RSA = sshKey('ssh-rsa');

function input(over: Partial<AnsibleExportInput> = {}): AnsibleExportInput {
  return {
    approvalId: 42,
    approvalSha256: 'ab'.repeat(32),
    draftTitle: 'Upgrade openssl',
    draftVersion: 3,
    content: {
      precheck: '#!/bin/sh\ndpkg --compare-versions 1 lt 2 || exit 3\n',
      apply: '#!/bin/sh\necho apply "$VZ_STATE_DIR"\n',
      verify: '#!/bin/sh\nexit 0\n',
      rollback: '#!/bin/sh\necho rollback\n',
      metadata: { risk: 'medium', rebootNeeded: false, servicesToRestart: ['sshd'], notes: '' },
    },
    hosts: [
      {
        name: 'web-01',
        address: '10.0.0.11',
        port: 22,
        username: 'root',
        sudoMode: 'none',
        hostKey: { algorithm: 'ssh-ed25519', publicKey: ED },
      },
      {
        name: 'db-01',
        address: 'db01.example.internal',
        port: 2222,
        username: 'deploy',
        sudoMode: 'sudo-n',
        hostKey: { algorithm: 'rsa-sha2-512', publicKey: `ssh-rsa ${RSA} root@db01` },
      },
      { name: 'cache-01', address: 'fd00::5', port: 22, username: 'ops', sudoMode: 'sudo-n' },
    ],
    options: { stepTimeoutSec: 300, wavePercent: 50, maxFailPercent: 10 },
    ...over,
  };
}

function files(i: AnsibleExportInput): Record<string, string> {
  return Object.fromEntries(ansibleExport(i).files.map((f) => [f.path, f.content]));
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

/** Lines `key: "value"` (possibly `!unsafe`) decoded, for the given key. */
function scalarValues(yaml: string, key: string): string[] {
  const re = new RegExp(`^\\s*${key}: (?:!unsafe )?("(?:[^"\\\\]|\\\\.)*")$`);
  return yaml
    .split('\n')
    .map((l) => re.exec(l)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(decodeDoubleQuoted);
}

describe('ansibleExport', () => {
  it('writes the playbook, inventory, known_hosts, the four scripts and a README', () => {
    const out = ansibleExport(input()).files;
    expect(out.map((f) => f.path)).toEqual([
      'playbook.yml',
      'inventory.ini',
      'known_hosts',
      'scripts/precheck.sh',
      'scripts/apply.sh',
      'scripts/verify.sh',
      'scripts/rollback.sh',
      'README.txt',
    ]);
    const f = files(input());
    for (const s of ['precheck', 'apply', 'verify', 'rollback'] as const)
      expect(f[`scripts/${s}.sh`]).toBe(input().content[s]);
    expect(out.find((x) => x.path === 'scripts/apply.sh')?.mode).toBe(0o755);
    expect(f['README.txt']).toContain('Approval:        42');
    expect(f['README.txt']).toContain('ab'.repeat(32));
    expect(f['README.txt']).toContain('ansible-playbook -i inventory.ini playbook.yml');
    expect(f['README.txt']).toContain('No pinned host key for: cache-01');
  });

  it('embeds the SHA-256 (and SHA-1 for the copy check) of each exact script', () => {
    const i = input();
    const pb = files(i)['playbook.yml']!;
    for (const s of ['precheck', 'apply', 'verify', 'rollback'] as const) {
      const values = scalarValues(pb, s);
      // sha256 in the integrity play and in the shared vars, sha1 once.
      expect(values.filter((v) => v === sha256(i.content[s]))).toHaveLength(2);
      expect(values.filter((v) => v === sha1(i.content[s]))).toHaveLength(1);
      expect(pb).toContain(`# scripts/${s}.sh SHA-256: ${sha256(i.content[s])}`);
    }
    expect(scalarValues(pb, 'vz_approval_sha256')).toEqual(['ab'.repeat(32)]);
    expect(pb).toContain(`# Approval SHA-256: ${'ab'.repeat(32)}`);
    // The controller checks the files before the host plays, with sha256 and no symlinks.
    expect(pb).toMatch(/hosts: localhost[\s\S]*checksum_algorithm: sha256[\s\S]*isreg/);
    expect(pb).toContain('checksum: "{{ vz_script_sha1[item] }}"');
    // Scripts are never inlined into the YAML.
    expect(pb).not.toContain('dpkg --compare-versions');
    expect(pb).not.toContain('echo rollback');
  });

  it('sets become per sudo mode and never accepts a host key silently', () => {
    const inv = files(input())['inventory.ini']!;
    const hostLines = inv.split('\n').filter((l) => / ansible_host=/.test(l));
    expect(hostLines).toEqual([
      'web-01 ansible_host=10.0.0.11 ansible_port=22 ansible_user=root ansible_become=false',
      'db-01 ansible_host=db01.example.internal ansible_port=2222 ansible_user=deploy ansible_become=true ansible_become_method=sudo ansible_become_user=root',
      'cache-01 ansible_host=fd00::5 ansible_port=22 ansible_user=ops ansible_become=true ansible_become_method=sudo ansible_become_user=root',
    ]);
    expect(inv).toContain('[vulnzero_targets]');
    expect(inv).toContain(
      `ansible_ssh_common_args="-o 'UserKnownHostsFile=\\"{{ inventory_dir }}/known_hosts\\"' -o StrictHostKeyChecking=yes"`,
    );
    expect(inv).toContain('ansible_become_flags="-H -S -n"');
    expect(inv).not.toMatch(/StrictHostKeyChecking=(no|accept-new)|host_key_checking/i);
    expect(inv).toMatch(/# no pinned host key[^\n]*\ncache-01 /);
  });

  it('writes known_hosts from the pinned keys (bare blob or .pub line)', () => {
    const kh = files(input())['known_hosts']!;
    expect(kh.split('\n')).toEqual([
      '# Pinned host keys of the exported hosts (VulnZero).',
      `10.0.0.11 ssh-ed25519 ${ED}`,
      `[db01.example.internal]:2222 ssh-rsa ${RSA}`,
      '# cache-01: no pinned key (pin it in VulnZero, or add it here yourself)',
      '',
    ]);
  });

  it('refuses host keys that are not SSH keys or not of the named algorithm', () => {
    const withKey = (algorithm: string, publicKey: string) =>
      input({
        hosts: [
          {
            name: 'a',
            address: '10.0.0.1',
            port: 22,
            username: 'root',
            sudoMode: 'none',
            hostKey: { algorithm, publicKey },
          },
        ],
      });
    expect(() => ansibleExport(withKey('ssh-ed25519', 'not-a-key'))).toThrow(
      expect.objectContaining({ code: 'EXPORT_INVALID' }),
    );
    expect(() => ansibleExport(withKey('ssh-ed25519', RSA))).toThrow(
      /ssh-rsa key, not ssh-ed25519/,
    );
    expect(() => ansibleExport(withKey('ssh-ed25519', `${ED}\nevil 1.2.3.4 ssh-rsa AAAA`))).toThrow(
      expect.objectContaining({ code: 'EXPORT_INVALID' }),
    );
    expect(() =>
      ansibleExport(withKey('ssh-ed25519', Buffer.from('xx').toString('base64'))),
    ).toThrow(expect.objectContaining({ code: 'EXPORT_INVALID' }));
  });

  it('keeps hostile titles out of the YAML structure and away from Jinja', () => {
    const title =
      "Fix \"openssl\": {{ lookup('pipe', 'id') }} {% for x in y %}\n- injected: true\n---\n# not a comment \u2028 ok";
    const pb = files(input({ draftTitle: title }))['playbook.yml']!;
    // Exactly one line carries it, tagged !unsafe, and decodes back to the title.
    const lines = pb.split('\n').filter((l) => l.includes('lookup('));
    expect(lines).toHaveLength(2); // the value and the (flattened) header comment
    expect(lines[0]).toMatch(/^# Draft: Fix "openssl": \{\{ lookup/);
    expect(lines[1]).toMatch(/^ {4}vz_draft_title: !unsafe "/);
    expect(scalarValues(pb, 'vz_draft_title')).toEqual([title]);
    // Nothing the title holds became a line of its own.
    expect(pb.split('\n')).not.toContain('- injected: true');
    expect(pb.split('\n').filter((l) => l === '---')).toHaveLength(1);
    // Every line is printable ASCII.
    expect(pb).toMatch(/^[\x20-\x7e\n]*$/);
    const readme = files(input({ draftTitle: title }))['README.txt']!;
    expect(readme.split('\n').filter((l) => l.includes('injected'))).toHaveLength(1);
    expect(readme).toContain('Draft:           Fix "openssl"');
  });

  it('gives hosts Ansible cannot name as is a generated inventory name', () => {
    const base = input().hosts[0]!;
    const hosts = [
      { ...base, name: 'web 01 {{ x }}\n[all:vars]\nansible_become=true' },
      { ...base, name: 'localhost' },
      { ...base, name: 'dup' },
      { ...base, name: 'dup' },
      { ...base, name: 'vz-host-5' },
    ];
    const inv = files(input({ hosts }))['inventory.ini']!;
    const names = inv
      .split('\n')
      .filter((l) => / ansible_host=/.test(l))
      .map((l) => l.split(' ')[0]);
    expect(names).toEqual(['vz-host-1', 'vz-host-2', 'dup', 'vz-host-4', 'vz-host-5']);
    expect(new Set(names).size).toBe(5);
    expect(inv).toContain('# host name: web 01 {{ x }}?[all:vars]?ansible_become=true');
    expect(inv.split('\n')).not.toContain('[all:vars]');
    expect(inv.split('\n').filter((l) => l.startsWith('['))).toEqual([
      '[vulnzero_targets]',
      '[vulnzero_targets:vars]',
    ]);
  });

  it('refuses addresses, users and options that could inject inventory syntax', () => {
    const base = input().hosts[0]!;
    const bad: Partial<AnsibleExportInput>[] = [
      { hosts: [{ ...base, address: '10.0.0.1 ansible_become=true' }] },
      { hosts: [{ ...base, address: '-oProxyCommand=x' }] },
      { hosts: [{ ...base, username: 'root ansible_connection=local' }] },
      { hosts: [{ ...base, port: 0 }] },
      { hosts: [{ ...base, port: 22.5 }] },
      { hosts: [{ ...base, sudoMode: 'su' as 'none' }] },
      { hosts: [] },
      { approvalSha256: 'zz'.repeat(32) },
      { approvalSha256: 'ab'.repeat(31) },
      { approvalId: 0 },
      { draftVersion: 1.5 },
      { options: { stepTimeoutSec: 0, wavePercent: 50, maxFailPercent: 10 } },
      { options: { stepTimeoutSec: 60, wavePercent: 0, maxFailPercent: 10 } },
      { options: { stepTimeoutSec: 60, wavePercent: 50, maxFailPercent: 101 } },
      { options: { stepTimeoutSec: 60, wavePercent: 50, maxFailPercent: 10, canaryPercent: 0 } },
      { content: { ...input().content, verify: '' } },
    ];
    for (const over of bad)
      expect(() => ansibleExport(input(over)), JSON.stringify(over)).toThrow(
        expect.objectContaining({ code: 'EXPORT_INVALID' }),
      );
    // Upper-case hex is fine (normalized).
    expect(files(input({ approvalSha256: 'AB'.repeat(32) }))['playbook.yml']).toContain(
      'ab'.repeat(32),
    );
  });

  it('plans the canary, then wavePercent of the rest, then the rest', () => {
    const o = { stepTimeoutSec: 60, wavePercent: 25, maxFailPercent: 10 };
    expect(waveSizes(1, o)).toEqual([1]);
    expect(waveSizes(2, o)).toEqual([1, 1]);
    expect(waveSizes(10, o)).toEqual([1, 3, 6]);
    expect(waveSizes(5, { ...o, wavePercent: 100 })).toEqual([1, 4]);
    expect(waveSizes(10, { ...o, canaryPercent: 20 })).toEqual([2, 2, 6]);
    expect(waveSizes(3, { ...o, canaryPercent: 100 })).toEqual([3]);

    const hosts = Array.from({ length: 10 }, (_, i) => ({
      ...input().hosts[0]!,
      name: `h${i}`,
    }));
    const pb = files(input({ hosts, options: o }))['playbook.yml']!;
    expect(pb).toContain(
      '  hosts: "vulnzero_targets[0:0]"\n  gather_facts: false\n  max_fail_percentage: 0\n',
    );
    expect(pb).toContain(
      '  hosts: "vulnzero_targets[1:]"\n  gather_facts: false\n  serial: [3, 6]\n  max_fail_percentage: 10\n  vars: *vz_vars\n  tasks: *vz_tasks\n',
    );
    const single = files(input({ hosts: hosts.slice(0, 1), options: o }))['playbook.yml']!;
    expect(single).not.toContain('*vz_tasks');
  });

  it('runs each step with sh under the step timeout, VZ_STATE_DIR and builtin modules only', () => {
    const pb = files(input())['playbook.yml']!;
    expect(pb.match(/^\s+async: 300$/gm)).toHaveLength(5); // precheck, apply, verify, rollback, precheck again
    expect(pb.match(/argv: \["\/bin\/sh", "\{\{ vz_workdir.path \}\}\/(\w+)\.sh"\]/g)).toHaveLength(
      5,
    );
    expect(
      pb.match(/VZ_STATE_DIR: "\{\{ vz_state_dir \| default\(vz_default_state_dir\) \}\}"/g),
    ).toHaveLength(5);
    expect(scalarValues(pb, 'vz_default_state_dir')).toEqual(['/var/lib/vulnzero/state']);
    // precheck: 0 continue, 3 already fixed, 4 not applicable (end_host), else fail.
    expect(pb).toContain(
      'failed_when: vz_precheck.rc is not defined or vz_precheck.rc not in [0, 3, 4]',
    );
    expect(pb).toContain('ansible.builtin.meta: end_host');
    expect(pb).toMatch(
      /block:\n\s+- name: "apply"[\s\S]*- name: "verify"[\s\S]*rescue:\n\s+- name: "Wait until the failed step has stopped on the host"[\s\S]*- name: "rollback"[\s\S]*- name: "precheck after rollback"[\s\S]*ansible.builtin.fail:/,
    );
    const modules = new Set(
      [...pb.matchAll(/^\s+(?:- )?([a-z0-9_]+\.[a-z0-9_]+\.[a-z0-9_]+):/gm)].map((m) => m[1]),
    );
    expect([...modules].sort()).toEqual(
      [
        'ansible.builtin.assert',
        'ansible.builtin.async_status',
        'ansible.builtin.command',
        'ansible.builtin.copy',
        'ansible.builtin.debug',
        'ansible.builtin.fail',
        'ansible.builtin.file',
        'ansible.builtin.meta',
        'ansible.builtin.set_fact',
        'ansible.builtin.stat',
        'ansible.builtin.tempfile',
      ].sort(),
    );
    expect(pb).not.toMatch(/^\s+(?:- )?(shell|raw|script|command|copy):/m);
  });
});

describe('writeAnsibleExport', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'vz-ansible-unit-'));
    dirs.push(d);
    return d;
  };

  it('writes every file into a new or empty directory', async () => {
    const out = join(tmp(), 'export', 'nested');
    const written = await writeAnsibleExport(input(), out);
    expect(written).toHaveLength(8);
    expect(written.every((p) => p.startsWith(out))).toBe(true);
    expect(readFileSync(join(out, 'scripts', 'verify.sh'), 'utf8')).toBe('#!/bin/sh\nexit 0\n');
    expect(statSync(join(out, 'scripts', 'apply.sh')).mode & 0o100).toBe(0o100);
    expect(readFileSync(join(out, 'playbook.yml'), 'utf8')).toBe(files(input())['playbook.yml']);
    const empty = tmp();
    await expect(writeAnsibleExport(input(), empty)).resolves.toHaveLength(8);
  });

  it('refuses a directory that is not empty, and writes nothing', async () => {
    const out = tmp();
    writeFileSync(join(out, 'keep.txt'), 'mine');
    await expect(writeAnsibleExport(input(), out)).rejects.toMatchObject({ code: 'EXPORT_EXISTS' });
    expect(() => statSync(join(out, 'playbook.yml'))).toThrow();
    expect(readFileSync(join(out, 'keep.txt'), 'utf8')).toBe('mine');
    await expect(writeAnsibleExport(input(), join(out, 'keep.txt'))).rejects.toMatchObject({
      code: 'EXPORT_EXISTS',
    });
  });

  it('validates before creating anything', async () => {
    const out = join(tmp(), 'never');
    await expect(writeAnsibleExport(input({ hosts: [] }), out)).rejects.toMatchObject({
      code: 'EXPORT_INVALID',
    });
    expect(() => statSync(out)).toThrow();
  });
});
