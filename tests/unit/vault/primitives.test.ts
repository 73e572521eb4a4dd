import { describe, expect, it } from 'vitest';
import {
  deriveKek,
  newDataKey,
  newOperatorKeyPair,
  newScryptParams,
  open,
  seal,
  unwrapWithPrivateKey,
  wrapForPublicKey,
} from '../../../src-main/vault/crypto';
import { checkPassphrase } from '../../../src-main/vault/passphrase-policy';
import { base32Decode, base32Encode, hotp, totp, verifyTotp } from '../../../src-main/vault/totp';
import { lockoutRemaining } from '../../../src-main/vault/unlock-guard';

describe('TOTP (RFC 6238 / RFC 4226 test vectors)', () => {
  const rfcSecret = base32Encode(Buffer.from('12345678901234567890'));
  it('matches the RFC 4226 HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314'];
    expect(expected.map((_, i) => hotp(Buffer.from('12345678901234567890'), i))).toEqual(expected);
  });
  it('matches RFC 6238 SHA-1 values (6 digits)', () => {
    expect(totp(rfcSecret, 59_000)).toBe('287082');
    expect(totp(rfcSecret, 1_111_111_109_000)).toBe('081804');
    expect(totp(rfcSecret, 2_000_000_000_000)).toBe('279037');
  });
  it('accepts one step of drift and nothing else', () => {
    const t = 1_700_000_000_000;
    expect(verifyTotp(rfcSecret, totp(rfcSecret, t - 30_000), t)).toBe(true);
    expect(verifyTotp(rfcSecret, totp(rfcSecret, t + 30_000), t)).toBe(true);
    expect(verifyTotp(rfcSecret, totp(rfcSecret, t - 90_000), t)).toBe(false);
    expect(verifyTotp(rfcSecret, 'abcdef', t)).toBe(false);
  });
  it('round-trips base32', () => {
    const bytes = Buffer.from([0, 1, 2, 250, 251, 252, 253]);
    expect(base32Decode(base32Encode(bytes))).toEqual(bytes);
    expect(() => base32Decode('!!!')).toThrow();
  });
});

describe('passphrase policy', () => {
  it.each([
    ['short', false, 'at least 12'],
    ['password1234', false, 'commonly used'],
    ['Password123', false, 'at least 12'],
    ['P@ssw0rd1234', false, 'commonly used'],
    ['aaaaaaaaaaaaaaaa', false, 'repeats'],
    ['abababababababab', false, 'repeats'],
    ['alice-summer-garden', false, 'operator name'],
    ['orbit-lantern-quartz-91', true, ''],
  ])('%s → ok=%s', (pass, ok, reason) => {
    const verdict = checkPassphrase(pass, 'alice');
    expect(verdict.ok).toBe(ok);
    if (!ok) expect(verdict.reason).toContain(reason);
  });
});

describe('key wrapping', () => {
  it('seals with AES-GCM and refuses a wrong key or changed associated data', async () => {
    const params = newScryptParams({ logN: 10, r: 8, p: 1 });
    const kek = await deriveKek('right passphrase here', params);
    const other = await deriveKek('wrong passphrase here', params);
    const sealed = seal(kek, Buffer.from('secret'), 'aad-1');
    expect(open(kek, sealed, 'aad-1')?.toString()).toBe('secret');
    expect(open(other, sealed, 'aad-1')).toBeNull();
    expect(open(kek, sealed, 'aad-2')).toBeNull();
    expect(open(kek, { ...sealed, ct: Buffer.from('x').toString('base64') }, 'aad-1')).toBeNull();
  });

  it('wraps the data key for a public key; only the matching private key unwraps it', () => {
    const a = newOperatorKeyPair();
    const b = newOperatorKeyPair();
    const dk = newDataKey();
    const wrap = wrapForPublicKey(dk, a.publicKey, 'ctx');
    expect(unwrapWithPrivateKey(wrap, a.privateKey, 'ctx')).toEqual(dk);
    expect(unwrapWithPrivateKey(wrap, b.privateKey, 'ctx')).toBeNull();
    expect(unwrapWithPrivateKey(wrap, a.privateKey, 'other-ctx')).toBeNull();
    expect(unwrapWithPrivateKey(wrap, Buffer.from('garbage'), 'ctx')).toBeNull();
  });
});

describe('unlock rate limit', () => {
  it('allows three attempts, then backs off exponentially up to 15 minutes', () => {
    const at = (n: number) => ({
      failures: Array.from({ length: n }, () => ({
        operator: 'a',
        at: new Date(1000).toISOString(),
        reason: 'x',
      })),
    });
    expect(lockoutRemaining(at(2), 1000)).toBe(0);
    expect(lockoutRemaining(at(3), 1000)).toBe(2000);
    expect(lockoutRemaining(at(4), 1000)).toBe(4000);
    expect(lockoutRemaining(at(30), 1000)).toBe(15 * 60 * 1000);
    expect(lockoutRemaining(at(3), 10_000)).toBe(0);
  });
});
