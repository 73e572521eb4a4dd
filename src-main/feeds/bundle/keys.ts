import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import { VzError } from '../../core/errors';

/**
 * Bundle signing keys: Ed25519 (RFC 8032) through node:crypto, PEM encoded (PKCS#8 private,
 * SPKI public) so operators can also inspect and verify with OpenSSL.
 */
export interface BundleKeyPair {
  privateKeyPem: string;
  publicKeyPem: string;
  fingerprint: string;
}

export function generateBundleKeyPair(): BundleKeyPair {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519', {
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    fingerprint: keyFingerprint(publicKey),
  };
}

/**
 * SHA-256 over the DER SubjectPublicKeyInfo, as 64 lower-case hex digits: the same bytes
 * `openssl pkey -pubin -outform DER | sha256sum` hashes, so an operator can check it by hand.
 */
export function keyFingerprint(publicKeyPem: string): string {
  return fingerprintOf(loadPublicKey(publicKeyPem, 'BUNDLE_TRUST_STORE_INVALID'));
}

export function fingerprintOf(publicKey: KeyObject): string {
  return createHash('sha256')
    .update(publicKey.export({ type: 'spki', format: 'der' }))
    .digest('hex');
}

/** A manifest's keyId may be the full fingerprint or its first 16 bytes (32 hex digits). */
export function fingerprintMatches(keyId: string, fingerprint: string): boolean {
  const id = keyId.toLowerCase();
  return (id.length === 64 || id.length === 32) && fingerprint.startsWith(id);
}

export function loadPublicKey(pem: string, code: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw new VzError(code, 'The public key is not a PEM (SPKI) public key.');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new VzError(
      code,
      `The public key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519.`,
    );
  return key;
}

export function loadPrivateKey(pem: string): KeyObject {
  let key: KeyObject;
  try {
    key = createPrivateKey(pem);
  } catch {
    throw new VzError('BUNDLE_KEY_INVALID', 'The signing key is not a PEM (PKCS#8) private key.');
  }
  if (key.asymmetricKeyType !== 'ed25519')
    throw new VzError(
      'BUNDLE_KEY_INVALID',
      `The signing key is ${key.asymmetricKeyType ?? 'unknown'}, not Ed25519.`,
    );
  return key;
}
