/**
 * Passphrase strength: long enough and not a known-weak choice. No default passphrase
 * exists anywhere; the first operator sets one when the vault is created.
 */
import { VzError } from '../core/errors';

export const MIN_PASSPHRASE_LENGTH = 12;

/** Common passwords and patterns seen in breach lists (compared case-insensitively). */
const WEAK = new Set([
  'password',
  'password1',
  'password123',
  'passw0rd',
  'p@ssw0rd',
  'p@ssword',
  '123456789012',
  '1234567890',
  'qwertyuiop',
  'qwerty123456',
  'letmein',
  'welcome',
  'welcome123',
  'iloveyou',
  'admin',
  'administrator',
  'changeme',
  'changeme123',
  'secret',
  'default',
  'vulnzero',
  'vulnzero123',
  'correcthorsebatterystaple',
  'trustno1',
  'monkey',
  'dragon',
  'football',
  'baseball',
  'superman',
  'sunshine',
  'princess',
  'master',
  'abc123',
  'abcdefghijkl',
  '111111111111',
  '000000000000',
  'aaaaaaaaaaaa',
  'root',
  'toor',
  'letmein123',
]);

export interface StrengthVerdict {
  ok: boolean;
  reason?: string;
}

export function checkPassphrase(passphrase: string, operatorName?: string): StrengthVerdict {
  const normalized = passphrase.normalize('NFKC');
  const lower = normalized.toLowerCase();
  if ([...normalized].length < MIN_PASSPHRASE_LENGTH) {
    return {
      ok: false,
      reason: `Use at least ${MIN_PASSPHRASE_LENGTH} characters; a few unrelated words work well.`,
    };
  }
  const squashed = lower.replace(/[^a-z0-9@]/g, '');
  if (WEAK.has(lower) || WEAK.has(squashed) || WEAK.has(squashed.replace(/\d+$/, ''))) {
    return {
      ok: false,
      reason: 'This passphrase is on the list of commonly used passwords; choose another.',
    };
  }
  if (new Set(normalized).size <= 3) {
    return { ok: false, reason: 'This passphrase repeats too few characters; choose another.' };
  }
  if (operatorName && lower.includes(operatorName.toLowerCase()) && operatorName.length >= 3) {
    return { ok: false, reason: 'The passphrase must not contain the operator name.' };
  }
  return { ok: true };
}

export function assertStrongPassphrase(passphrase: string, operatorName?: string): void {
  const verdict = checkPassphrase(passphrase, operatorName);
  if (!verdict.ok) throw new VzError('WEAK_PASSPHRASE', `Passphrase refused: ${verdict.reason}`);
}
