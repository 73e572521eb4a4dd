/**
 * A host's credential on the command line (hosts add|set|from-assets): `--key FILE`
 * (passphrase from VULNZERO_KEY_PASSPHRASE when the key is encrypted) or
 * `--password-file FILE` store a new one; `--credential NAME|ID` uses one already in the
 * vault, as the Push screen's credential picker does.
 */
import { addCredential, listCredentials } from '../../push/hosts';
import type { VaultSession } from '../../vault/session';
import { str } from '../args';
import { UsageError, type CommandRun } from '../command';

export const CREDENTIAL_OPTIONS = {
  key: { type: 'string' },
  'password-file': { type: 'string' },
  credential: { type: 'string' },
} as const;

/** Stores the secret `--key` or `--password-file` names, under `name`; undefined if neither. */
export async function storeCredentialFrom(
  run: CommandRun,
  session: VaultSession,
  name: string,
): Promise<number | undefined> {
  const key = str(run.values['key']);
  const passwordFile = str(run.values['password-file']);
  if (key && passwordFile) throw new UsageError('give --key or --password-file, not both');
  if (key) {
    const passphrase = run.io.env['VULNZERO_KEY_PASSPHRASE'];
    return addCredential(session, {
      kind: 'ssh-key',
      name,
      privateKey: await run.io.readFile(key),
      ...(passphrase ? { passphrase } : {}),
    });
  }
  if (passwordFile)
    return addCredential(session, {
      kind: 'password',
      name,
      password: (await run.io.readFile(passwordFile)).replace(/\r?\n$/, ''),
    });
  return undefined;
}

/** The credential a host command asks for: a stored one, a new one, or none. */
export async function credentialFrom(
  run: CommandRun,
  session: VaultSession,
  hostName: string,
): Promise<number | undefined> {
  const stored = str(run.values['credential']);
  if (stored !== undefined) {
    if (run.values['key'] !== undefined || run.values['password-file'] !== undefined)
      throw new UsageError('give --credential, or --key / --password-file, not both');
    const found = listCredentials(session.db).find(
      (c) => c.name === stored || String(c.id) === stored,
    );
    if (!found)
      throw new UsageError(`no stored credential named ${stored} (see vulnzero hosts credentials)`);
    return found.id;
  }
  const kind = run.values['key'] !== undefined ? 'key' : 'password';
  return storeCredentialFrom(run, session, `${hostName}-${kind}-${Date.now()}`);
}
