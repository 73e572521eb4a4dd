/** A host's credential from `--key FILE` or `--password-file FILE` (hosts add|set|from-assets). */
import { addCredential } from '../../push/hosts';
import type { VaultSession } from '../../vault/session';
import { str } from '../args';
import { UsageError, type CommandRun } from '../command';

/**
 * `--key FILE` (passphrase from VULNZERO_KEY_PASSPHRASE when the key is encrypted) or
 * `--password-file FILE`: stored as the host's credential in the vault.
 */
export async function credentialFrom(
  run: CommandRun,
  session: VaultSession,
  hostName: string,
): Promise<number | undefined> {
  const key = str(run.values['key']);
  const passwordFile = str(run.values['password-file']);
  if (key && passwordFile) throw new UsageError('give --key or --password-file, not both');
  if (key) {
    const passphrase = run.io.env['VULNZERO_KEY_PASSPHRASE'];
    return addCredential(session, {
      kind: 'ssh-key',
      name: `${hostName}-key-${Date.now()}`,
      privateKey: await run.io.readFile(key),
      ...(passphrase ? { passphrase } : {}),
    });
  }
  if (passwordFile)
    return addCredential(session, {
      kind: 'password',
      name: `${hostName}-password-${Date.now()}`,
      password: (await run.io.readFile(passwordFile)).replace(/\r?\n$/, ''),
    });
  return undefined;
}
