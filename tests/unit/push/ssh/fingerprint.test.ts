import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  describeBase64Key,
  describeHostKey,
  keyAlgorithmOf,
  matchesPin,
  normalizeFingerprint,
  sha256Fingerprint,
} from '../../../../src-main/push/ssh/fingerprint';
import { readHostKey } from '../../../helpers/sshd';

const dir = mkdtempSync(join(tmpdir(), 'vz-fingerprint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('fingerprints', () => {
  it.each([
    ['ed25519', 'ssh-ed25519'],
    ['ecdsa', 'ecdsa-sha2-nistp256'],
    ['rsa', 'ssh-rsa'],
  ])('match ssh-keygen -lf for %s keys', (type, algorithm) => {
    const path = join(dir, type);
    execFileSync('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', '', '-f', path]);
    const expected = readHostKey(`${path}.pub`); // fingerprint from ssh-keygen -lf
    const blob = Buffer.from(expected.publicKey, 'base64');
    expect(sha256Fingerprint(blob)).toBe(expected.fingerprint);
    expect(keyAlgorithmOf(blob)).toBe(algorithm);
    expect(describeHostKey(blob)).toEqual(expected);
    expect(describeBase64Key(expected.publicKey)).toEqual(expected);
    expect(expected.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });

  it('refuses data that is not a key blob', () => {
    for (const bad of [Buffer.alloc(0), Buffer.from([0, 0, 0, 9, 65]), Buffer.from([0, 0, 0, 0])]) {
      expect(() => keyAlgorithmOf(bad)).toThrow(
        expect.objectContaining({ code: 'SSH_KEY_INVALID' }),
      );
    }
    expect(() => describeBase64Key('not base64!')).toThrow(
      expect.objectContaining({ code: 'SSH_KEY_INVALID' }),
    );
  });

  it('normalizes pasted fingerprints and compares pins', () => {
    const fp = `SHA256:${'A'.repeat(43)}`;
    expect(normalizeFingerprint(` sha256:${'A'.repeat(43)}= `)).toBe(fp);
    expect(normalizeFingerprint('A'.repeat(43))).toBe(fp);
    expect(normalizeFingerprint('MD5:aa:bb:cc')).toBeUndefined();
    expect(normalizeFingerprint(`SHA256:${'A'.repeat(42)}`)).toBeUndefined();
    const key = { algorithm: 'ssh-ed25519', fingerprint: fp };
    expect(
      matchesPin(key, [{ algorithm: 'ssh-ed25519', fingerprint: `sha256:${'A'.repeat(43)}` }]),
    ).toBe(true);
    expect(matchesPin(key, [{ algorithm: 'ssh-rsa', fingerprint: fp }])).toBe(false);
    expect(
      matchesPin(key, [{ algorithm: 'ssh-ed25519', fingerprint: `SHA256:${'B'.repeat(43)}` }]),
    ).toBe(false);
    expect(matchesPin(key, [])).toBe(false);
    // Two malformed fingerprints are not "equal".
    expect(
      matchesPin({ algorithm: 'x', fingerprint: 'junk' }, [
        { algorithm: 'x', fingerprint: 'junk' },
      ]),
    ).toBe(false);
  });
});
