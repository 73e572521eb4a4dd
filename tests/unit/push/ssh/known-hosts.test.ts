/**
 * known_hosts parsing against files made by the real `ssh-keygen` (keys, `-H` hashing) and
 * its `-F` lookup as the oracle.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  entryMatches,
  formatKnownHostsLine,
  knownHostName,
  lookup,
  parseKnownHosts,
} from '../../../../src-main/push/ssh/known-hosts';
import { readHostKey, type TestHostKey } from '../../../helpers/sshd';

let dir: string;
const keys: Record<'ed' | 'ec' | 'rsa', TestHostKey> = {} as never;
let plainText: string;
let hashedText: string;

function keygen(name: string, type: string): TestHostKey {
  const path = join(dir, name);
  execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'a comment', '-f', path]);
  return readHostKey(`${path}.pub`);
}

const line = (k: TestHostKey): string => `${k.algorithm} ${k.publicKey}`;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'vz-known-hosts-'));
  keys.ed = keygen('ed', 'ed25519');
  keys.ec = keygen('ec', 'ecdsa');
  keys.rsa = keygen('rsa', 'rsa');
  plainText = [
    '# a comment',
    '',
    `host1,10.0.0.1 ${line(keys.ed)} root@host1`,
    `[host2]:2222 ${line(keys.ec)}`,
    `   host3\t${line(keys.rsa)}`,
    `host3 ${line(keys.ed)}`,
    `*.corp.example,!bad.corp.example ${line(keys.rsa)}`,
    `[10.1.2.?]:2200 ${line(keys.ec)}`,
  ].join('\n');
  writeFileSync(join(dir, 'plain'), `${plainText}\n`);
  copyFileSync(join(dir, 'plain'), join(dir, 'hashed'));
  execFileSync('ssh-keygen', ['-q', '-H', '-f', join(dir, 'hashed')], { stdio: 'pipe' });
  hashedText = readFileSync(join(dir, 'hashed'), 'utf8');
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Fingerprints `ssh-keygen -F` finds for a name, in file order. */
function oracle(file: string, name: string): string[] {
  let out: string;
  try {
    out = execFileSync('ssh-keygen', ['-F', name, '-f', join(dir, file)]).toString();
  } catch {
    return []; // exit 1: not found
  }
  const fingerprints: string[] = [];
  for (const l of out.split('\n')) {
    if (l.startsWith('#') || l.trim() === '') continue;
    const [, type, key] = l.trim().split(/\s+/);
    const pub = join(dir, 'oracle.pub');
    writeFileSync(pub, `${type} ${key}\n`);
    const fp = readHostKey(pub).fingerprint;
    if (!fingerprints.includes(fp)) fingerprints.push(fp);
  }
  return fingerprints;
}

const names: [string, number][] = [
  ['host1', 22],
  ['HOST1', 22],
  ['10.0.0.1', 22],
  ['host1', 2222],
  ['host2', 2222],
  ['host2', 22],
  ['host3', 22],
  ['a.corp.example', 22],
  ['bad.corp.example', 22],
  ['10.1.2.7', 2200],
  ['10.1.2.77', 2200],
  ['nowhere', 22],
];

describe('parseKnownHosts', () => {
  it('reads plain entries with their keys and comments', () => {
    const { entries, notes } = parseKnownHosts(plainText);
    expect(notes).toEqual([]);
    expect(entries.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8]);
    expect(entries[0]).toMatchObject({
      patterns: ['host1', '10.0.0.1'],
      hashed: false,
      key: keys.ed,
      comment: 'root@host1',
    });
    expect(entries[2]?.key).toEqual(keys.rsa);
  });

  it.each(['plain', 'hashed'] as const)(
    'finds the same keys as ssh-keygen -F (%s file)',
    (file) => {
      const { entries, notes } = parseKnownHosts(file === 'plain' ? plainText : hashedText);
      expect(notes).toEqual([]);
      if (file === 'hashed') expect(entries.filter((e) => e.hashed).length).toBeGreaterThan(4);
      for (const [host, port] of names) {
        const expected = oracle(file, knownHostName(host, port));
        expect({
          host,
          port,
          found: lookup(entries, host, port).map((k) => k.fingerprint),
        }).toEqual({
          host,
          port,
          found: expected,
        });
      }
      // Sanity: the oracle is not trivially empty.
      expect(lookup(entries, 'host3', 22).map((k) => k.algorithm)).toEqual([
        'ssh-rsa',
        'ssh-ed25519',
      ]);
      expect(lookup(entries, 'host2', 2222)).toEqual([keys.ec]);
    },
  );

  it('skips markers, certificates and malformed lines with a note', () => {
    const text = [
      `@revoked host1 ${line(keys.ed)}`,
      `@cert-authority *.example.org ${line(keys.rsa)}`,
      `@weird host1 ${line(keys.ed)}`,
      `host1 ssh-ed25519-cert-v01@openssh.com ${keys.ed.publicKey}`,
      'host1 1024 35 1234567',
      'host1 ssh-ed25519',
      `host1 ssh-rsa ${keys.ed.publicKey}`,
      'host1 ssh-ed25519 !!notbase64!!',
      `|1|bad|hash ${line(keys.ed)}`,
      `|2|${Buffer.alloc(20).toString('base64')}|${Buffer.alloc(20).toString('base64')} ${line(keys.ed)}`,
      `,, ${line(keys.ed)}`,
      `ok ${line(keys.ec)}`,
    ].join('\r\n');
    const { entries, notes } = parseKnownHosts(text);
    expect(entries.map((e) => e.line)).toEqual([12]);
    expect(notes.map((n) => n.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(notes[0]?.message).toMatch(/@revoked/);
    expect(notes[1]?.message).toMatch(/@cert-authority/);
    expect(notes[6]?.message).toMatch(/says ssh-rsa but the key is ssh-ed25519/);
    // A revoked key is never returned for the host.
    expect(lookup(entries, 'host1', 22)).toEqual([]);
  });

  it('matches hashed names only for the exact host and port', () => {
    const { entries } = parseKnownHosts(hashedText);
    const hashed = entries.find((e) => e.hashed && e.key.algorithm.startsWith('ecdsa'));
    expect(hashed).toBeDefined();
    expect(entryMatches(hashed!, 'host2', 2222)).toBe(true);
    expect(entryMatches(hashed!, 'host2', 2223)).toBe(false);
    expect(entryMatches(hashed!, 'host', 2222)).toBe(false);
  });

  it('writes lines that it (and ssh-keygen) read back', () => {
    const text = `${formatKnownHostsLine('Web1', 22, keys.ed)}\n${formatKnownHostsLine('10.9.9.9', 2022, keys.ec)}\n`;
    expect(text).toContain('web1 ssh-ed25519 ');
    expect(text).toContain('[10.9.9.9]:2022 ecdsa-sha2-nistp256 ');
    writeFileSync(join(dir, 'written'), text);
    const { entries } = parseKnownHosts(text);
    expect(lookup(entries, 'web1', 22)).toEqual([keys.ed]);
    expect(oracle('written', '[10.9.9.9]:2022')).toEqual([keys.ec.fingerprint]);
  });
});
