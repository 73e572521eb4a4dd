import { createHash } from 'node:crypto';
import { VzError } from '../../core/errors';

/** A host's public key as presented by the server or listed in known_hosts. */
export interface HostKeyInfo {
  /** Key type named inside the blob: `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ... */
  algorithm: string;
  /** `SHA256:` + unpadded base64 of the SHA-256 of the blob, as `ssh-keygen -lf` prints it. */
  fingerprint: string;
  /** Base64 of the public key blob (the key field of a known_hosts or `.pub` line). */
  publicKey: string;
}

/** What an operator pins per host: a key type and its SHA256 fingerprint. */
export interface HostKeyPin {
  algorithm: string;
  fingerprint: string;
}

/** `SHA256:...` of an SSH public key blob, exactly like `ssh-keygen -l -E sha256`. */
export function sha256Fingerprint(blob: Uint8Array): string {
  const digest = createHash('sha256').update(blob).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}

/**
 * The key type a public key blob names in its first field (RFC 4253 §6.6: a uint32 length
 * and the name). Throws SSH_KEY_INVALID for anything that is not such a blob.
 */
export function keyAlgorithmOf(blob: Uint8Array): string {
  const buf = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  if (buf.length < 4) throw invalidBlob('it is too short');
  const len = buf.readUInt32BE(0);
  if (len === 0 || len > 64 || 4 + len > buf.length) throw invalidBlob('bad type length');
  const name = buf.toString('latin1', 4, 4 + len);
  if (!/^[A-Za-z0-9@._+-]+$/.test(name)) throw invalidBlob('bad type name');
  return name;
}

function invalidBlob(why: string): VzError {
  return new VzError('SSH_KEY_INVALID', `Not an SSH public key (${why}).`);
}

/** Algorithm, fingerprint and base64 of a public key blob. */
export function describeHostKey(blob: Uint8Array): HostKeyInfo {
  return {
    algorithm: keyAlgorithmOf(blob),
    fingerprint: sha256Fingerprint(blob),
    publicKey: Buffer.from(blob).toString('base64'),
  };
}

/** Same as `describeHostKey` for the base64 form (a known_hosts or `.pub` key field). */
export function describeBase64Key(base64: string): HostKeyInfo {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) throw invalidBlob('not base64');
  return describeHostKey(Buffer.from(base64, 'base64'));
}

/**
 * Canonical form of a fingerprint typed or pasted by an operator: `SHA256:` prefix (case
 * of the prefix ignored, added when missing), no base64 padding, no surrounding spaces.
 * Returns undefined for anything that is not a SHA-256 fingerprint (MD5 `aa:bb:..` forms
 * are refused: too weak to pin on).
 */
export function normalizeFingerprint(text: string): string | undefined {
  let s = text.trim();
  if (/^sha256:/i.test(s)) s = s.slice(7);
  s = s.replace(/=+$/, '');
  // 32 bytes in unpadded base64 are 43 characters.
  if (!/^[A-Za-z0-9+/]{43}$/.test(s)) return undefined;
  return `SHA256:${s}`;
}

/** True when `key` is one of `pins` (same algorithm and same fingerprint). */
export function matchesPin(key: HostKeyPin, pins: readonly HostKeyPin[]): boolean {
  const fingerprint = normalizeFingerprint(key.fingerprint);
  if (fingerprint === undefined) return false;
  return pins.some(
    (pin) =>
      pin.algorithm === key.algorithm && normalizeFingerprint(pin.fingerprint) === fingerprint,
  );
}
