/**
 * The push engine's SSH connector: a registered host, its credential from the vault and
 * its pinned keys (for each hop, with the jump host's own) become an ssh2 connection.
 */
import { VzError } from '../core/errors';
import type { Db } from '../vault/sqlcipher';
import type { Connector } from './engine';
import { credentialSecret, getHost, pinnedKeys, type HostInfo } from './hosts';
import { connectSsh, hostKeyOf, type SshTarget } from './ssh/client';
import type { HostKeyInfo } from './ssh/fingerprint';

const CONNECT_TIMEOUT_MS = 15_000;

function targetOf(db: Db, host: HostInfo, seen = new Set<number>()): SshTarget {
  if (seen.has(host.id))
    throw new VzError('INVALID_INPUT', `Host ${host.name} reaches itself through its jump hosts.`);
  seen.add(host.id);
  if (!host.credential)
    throw new VzError(
      'SSH_AUTH_FAILED',
      `Host ${host.name} has no credential: add an SSH key or a password for it.`,
    );
  const secret = credentialSecret(db, host.credential.id);
  return {
    host: host.address,
    port: host.port,
    username: host.username,
    auth:
      secret.kind === 'ssh-key'
        ? {
            kind: 'key',
            privateKey: secret.privateKey,
            ...(secret.passphrase ? { passphrase: secret.passphrase } : {}),
          }
        : { kind: 'password', password: secret.password },
    pins: pinnedKeys(db, host.id),
    ...(host.jumpHostId ? { jump: targetOf(db, getHost(db, host.jumpHostId), seen) } : {}),
  };
}

export function sshConnector(db: Db): Connector {
  return async (host, signal) => {
    const connection = await connectSsh(targetOf(db, host), {
      timeoutMs: CONNECT_TIMEOUT_MS,
      signal,
    });
    return {
      exec: (script, options) => connection.exec(script, options),
      close: () => void connection.close().catch(() => undefined),
    };
  };
}

/** The key a host presents now (to show its fingerprint before the operator pins it). */
export function presentedHostKey(db: Db, host: HostInfo): Promise<HostKeyInfo> {
  return hostKeyOf(host.address, host.port, {
    timeoutMs: CONNECT_TIMEOUT_MS,
    ...(host.jumpHostId ? { jump: targetOf(db, getHost(db, host.jumpHostId)) } : {}),
  });
}
