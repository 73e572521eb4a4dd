/**
 * Key handling for the vault. The database is encrypted with a random 32-byte data key.
 * Each operator has an X25519 key pair; the private key is wrapped (AES-256-GCM) by a
 * key-encryption key derived from the operator's passphrase with scrypt, and the data
 * key is wrapped (AES-256-GCM) for each operator's public key (ephemeral ECDH + HKDF).
 * This lets an admin rotate the data key or add an operator without knowing anyone
 * else's passphrase, while a removed operator's slot simply stops receiving new wraps.
 */
import {
  createCipheriv,
  createDecipheriv,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  hkdfSync,
  randomBytes,
  scrypt,
  type KeyObject,
} from 'node:crypto';
import { VzError } from '../core/errors';

export interface ScryptParams {
  alg: 'scrypt';
  /** log2 of N (cost). 17 → N = 131072, ~0.4 s and 128 MiB on the reference machine. */
  logN: number;
  r: number;
  p: number;
  salt: string; // base64
}

export const DEFAULT_KDF = { logN: 17, r: 8, p: 1 } as const;

export interface Sealed {
  iv: string; // base64, 12 bytes
  ct: string; // base64
  tag: string; // base64, 16 bytes
}

export function newScryptParams(
  cost: { logN: number; r: number; p: number } = DEFAULT_KDF,
): ScryptParams {
  return { alg: 'scrypt', ...cost, salt: randomBytes(16).toString('base64') };
}

/** Derives the 32-byte key-encryption key; runs on the libuv pool (never blocks the loop). */
export function deriveKek(passphrase: string, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.logN;
  return new Promise((resolve, reject) => {
    scrypt(
      passphrase.normalize('NFKC'),
      Buffer.from(params.salt, 'base64'),
      32,
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r + 16 * 1024 * 1024 },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

export function seal(key: Buffer, plaintext: Buffer, aad: string): Sealed {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ct = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return {
    iv: iv.toString('base64'),
    ct: ct.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
  };
}

/** Returns null when the key is wrong or anything was altered (GCM authentication). */
export function open(key: Buffer, sealed: Sealed, aad: string): Buffer | null {
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(sealed.iv, 'base64'));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(Buffer.from(sealed.tag, 'base64'));
    return Buffer.concat([decipher.update(Buffer.from(sealed.ct, 'base64')), decipher.final()]);
  } catch {
    return null;
  }
}

export interface OperatorKeyPair {
  publicKey: string; // SPKI DER, base64
  privateKey: Buffer; // PKCS8 DER (secret)
}

export function newOperatorKeyPair(): OperatorKeyPair {
  const { publicKey, privateKey } = generateKeyPairSync('x25519');
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
    privateKey: privateKey.export({ type: 'pkcs8', format: 'der' }),
  };
}

export interface KeyWrap extends Sealed {
  epk: string; // ephemeral public key, SPKI DER base64
}

function wrapKey(shared: Buffer, aad: string): Buffer {
  return Buffer.from(hkdfSync('sha256', shared, Buffer.from(aad), 'vulnzero data-key wrap v1', 32));
}

/** Wraps the data key for one operator's public key. */
export function wrapForPublicKey(dataKey: Buffer, publicKeyB64: string, aad: string): KeyWrap {
  const recipient = createPublicKey({
    key: Buffer.from(publicKeyB64, 'base64'),
    format: 'der',
    type: 'spki',
  });
  const eph = generateKeyPairSync('x25519');
  const shared = diffieHellman({ privateKey: eph.privateKey, publicKey: recipient });
  const sealed = seal(wrapKey(shared, aad), dataKey, aad);
  return {
    ...sealed,
    epk: eph.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'),
  };
}

export function unwrapWithPrivateKey(
  wrap: KeyWrap,
  privateKeyDer: Buffer,
  aad: string,
): Buffer | null {
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: privateKeyDer, format: 'der', type: 'pkcs8' });
  } catch {
    return null;
  }
  const epk = createPublicKey({
    key: Buffer.from(wrap.epk, 'base64'),
    format: 'der',
    type: 'spki',
  });
  const shared = diffieHellman({ privateKey, publicKey: epk });
  return open(wrapKey(shared, aad), wrap, aad);
}

/** Derives a purpose-bound subkey (keyfile MAC, audit MAC) from a root key. */
export function subkey(root: Buffer, purpose: string): Buffer {
  return Buffer.from(hkdfSync('sha256', root, Buffer.alloc(0), `vulnzero ${purpose}`, 32));
}

export function newDataKey(): Buffer {
  return randomBytes(32);
}

/** Overwrites secret bytes; Node may keep other copies, but not through our references. */
export function wipe(...buffers: (Buffer | null | undefined)[]): void {
  for (const b of buffers) b?.fill(0);
}

export function wrongPassphrase(): VzError {
  return new VzError('WRONG_PASSPHRASE', 'The passphrase is wrong for this operator.');
}
