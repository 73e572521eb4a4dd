/**
 * Stored SSH credentials from the CLI, as on the Push screen: `hosts credential add NAME`
 * stores a key or a password in the vault (encrypted with it), `hosts credentials` lists
 * them (names and kinds, never the secrets); hosts then use one with `--credential NAME`.
 */
import { listCredentials } from '../../push/hosts';
import { UNLOCK_OPTIONS, positional } from '../args';
import { UsageError, type Command } from '../command';
import { printResult, withSession } from '../vault-access';
import { CREDENTIAL_OPTIONS, storeCredentialFrom } from './host-credential';

export const credentialCommands: Command[] = [
  {
    name: 'hosts credentials',
    summary: 'Stored SSH credentials (names and kinds only).',
    usage: '',
    options: UNLOCK_OPTIONS,
    run: (run) =>
      withSession(run, (session) => {
        const list = listCredentials(session.db);
        printResult(
          run,
          list,
          list.length
            ? list.map((c) => `${c.id}\t${c.name}\t${c.kind}\t${c.createdAt}`).join('\n')
            : 'No stored credentials. Add one: vulnzero hosts credential add NAME --key FILE',
        );
        return 0;
      }),
  },
  {
    name: 'hosts credential add',
    summary:
      'Store an SSH key (passphrase from VULNZERO_KEY_PASSPHRASE) or a password for hosts to use.',
    usage: 'NAME --key FILE | --password-file FILE',
    options: {
      ...UNLOCK_OPTIONS,
      key: CREDENTIAL_OPTIONS.key,
      'password-file': CREDENTIAL_OPTIONS['password-file'],
    },
    run: (run) => {
      const name = positional(run, 0, 'NAME', 'hosts credential add');
      if (run.values['key'] === undefined && run.values['password-file'] === undefined)
        throw new UsageError('hosts credential add needs --key FILE or --password-file FILE');
      return withSession(run, async (session) => {
        const id = await storeCredentialFrom(run, session, name);
        printResult(
          run,
          { id, name },
          `Stored credential #${id} ${name}. Use it: --credential ${name}`,
        );
        return 0;
      });
    },
  },
];
