/** `vulnzero hosts from-assets`: the Push screen's "hosts from assets" (hosts.fromAssets). */
import { contract } from '../../../src-preload/contract';
import { hostsFromAssets, listHosts } from '../../push/hosts';
import { UNLOCK_OPTIONS, choice, idList, optionalInt, str } from '../args';
import { UsageError, type Command } from '../command';
import { contractInput } from '../contract-input';
import { printResult, withSession } from '../vault-access';
import { CREDENTIAL_OPTIONS, credentialFrom } from './host-credential';

export const hostsFromAssetsCommand: Command = {
  name: 'hosts from-assets',
  summary: 'Make push targets from imported assets (address from the IP, else the name).',
  details:
    'An asset that already has a host keeps it (listed, not changed). Exit 1 when no host was made or found.',
  usage:
    'ASSET_ID... --user USER [--key FILE | --password-file FILE | --credential NAME] [--port N] [--sudo none|sudo-n]',
  options: {
    ...UNLOCK_OPTIONS,
    user: { type: 'string' },
    ...CREDENTIAL_OPTIONS,
    port: { type: 'string' },
    sudo: { type: 'string' },
  },
  run: (run) => {
    const assetIds = idList(run.positionals, 'an ASSET_ID');
    const user = str(run.values['user']);
    if (!assetIds.length || !user)
      throw new UsageError('hosts from-assets needs ASSET_ID... and --user USER');
    const port = optionalInt(run.values['port'], '--port', 1, 65535);
    const sudo = choice(run.values['sudo'], '--sudo', ['none', 'sudo-n'] as const);
    return withSession(run, async (session) => {
      const credentialId = await credentialFrom(run, session, `assets-${assetIds[0]}`);
      const input = contractInput(contract.hosts.fromAssets.input, {
        assetIds,
        username: user,
        ...(port ? { port } : {}),
        ...(credentialId ? { credentialId } : {}),
        ...(sudo ? { sudoMode: sudo } : {}),
      });
      const { assetIds: ids, ...defaults } = input;
      const hostIds = hostsFromAssets(session, ids, defaults);
      const hosts = listHosts(session.db).filter((h) => hostIds.includes(h.id));
      printResult(
        run,
        hosts,
        hosts.length
          ? `${hosts.map((h) => `${h.name}\t${h.username}@${h.address}:${h.port}`).join('\n')}\nPin each host's key: vulnzero hosts pin NAME`
          : 'No host made: the assets have no IP or name (or do not exist).',
      );
      return hosts.length ? 0 : 1;
    });
  },
};
