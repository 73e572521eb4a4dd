/**
 * Push targets: hosts (usually made from imported assets) with address, port, user,
 * credential (an SSH key — passphrase-protected keys supported — or a password, stored
 * in the encrypted vault), sudo mode and an optional jump host; and their pinned host
 * keys. A key is pinned only by an explicit operator action (after seeing its SHA256
 * fingerprint) or from an imported known_hosts file. Any change to a host voids the
 * approvals that target it.
 */
import { VzError } from '../core/errors';
import type { VaultSession } from '../vault/session';
import type { Db } from '../vault/sqlcipher';
import { voidApprovals } from './approvals';
import { lookup, parseKnownHosts } from './ssh/known-hosts';

export type SudoMode = 'none' | 'sudo-n';

export interface HostInfo {
  id: number;
  name: string;
  address: string;
  port: number;
  username: string;
  sudoMode: SudoMode;
  assetId: number | null;
  groupName: string | null;
  jumpHostId: number | null;
  credential: { id: number; name: string; kind: 'ssh-key' | 'password' } | null;
  hostKeys: { algorithm: string; fingerprint: string; pinnedAt: string; pinnedBy: string }[];
}

export type CredentialInput =
  | { kind: 'ssh-key'; name: string; privateKey: string; passphrase?: string }
  | { kind: 'password'; name: string; password: string };

export interface HostInput {
  name: string;
  address: string;
  port?: number;
  username: string;
  sudoMode?: SudoMode;
  assetId?: number;
  groupName?: string;
  jumpHostId?: number;
  credentialId?: number;
}

const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const ADDRESS = /^[A-Za-z0-9][A-Za-z0-9.:-]{0,252}$/;
const USER = /^[a-z_][a-z0-9_.-]{0,31}$/i;

function validate(input: Partial<HostInput>): void {
  if (input.name !== undefined && !HOST_NAME.test(input.name))
    throw new VzError(
      'INVALID_INPUT',
      `Host name "${input.name}" may use letters, digits, . _ - only.`,
    );
  if (input.address !== undefined && !ADDRESS.test(input.address))
    throw new VzError('INVALID_INPUT', `"${input.address}" is not a host name or IP address.`);
  if (input.username !== undefined && !USER.test(input.username))
    throw new VzError('INVALID_INPUT', `"${input.username}" is not a valid user name.`);
  if (
    input.port !== undefined &&
    !(Number.isInteger(input.port) && input.port > 0 && input.port < 65536)
  )
    throw new VzError('INVALID_INPUT', `Port ${input.port} is out of range.`);
}

export function addCredential(session: VaultSession, input: CredentialInput): number {
  session.requireRole('admin', 'approver');
  if (input.kind === 'ssh-key' && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(input.privateKey))
    throw new VzError('INVALID_INPUT', 'The SSH key is not a PEM/OpenSSH private key.');
  return session.transact(
    (db) =>
      Number(
        db
          .prepare(
            'INSERT INTO credentials(name, kind, secret, key_passphrase, created_at) VALUES (?, ?, ?, ?, ?)',
          )
          .run(
            input.name,
            input.kind,
            Buffer.from(input.kind === 'ssh-key' ? input.privateKey : input.password, 'utf8'),
            input.kind === 'ssh-key' && input.passphrase
              ? Buffer.from(input.passphrase, 'utf8')
              : null,
            new Date().toISOString(),
          ).lastInsertRowid,
      ),
    (id) => ({
      action: 'credential.add',
      objectType: 'credential',
      objectId: id,
      summary: { after: { name: input.name, kind: input.kind } },
    }),
  );
}

/** The secret of a credential, for the SSH client only (never crosses the bridge). */
export function credentialSecret(
  db: Db,
  id: number,
):
  | { kind: 'ssh-key'; privateKey: string; passphrase?: string }
  | { kind: 'password'; password: string } {
  const row = db
    .prepare('SELECT kind, secret, key_passphrase FROM credentials WHERE id = ?')
    .get(id) as
    { kind: 'ssh-key' | 'password'; secret: Buffer; key_passphrase: Buffer | null } | undefined;
  if (!row) throw new VzError('NOT_FOUND', `No credential #${id}.`);
  return row.kind === 'ssh-key'
    ? {
        kind: 'ssh-key',
        privateKey: row.secret.toString('utf8'),
        ...(row.key_passphrase ? { passphrase: row.key_passphrase.toString('utf8') } : {}),
      }
    : { kind: 'password', password: row.secret.toString('utf8') };
}

export function addHost(session: VaultSession, input: HostInput): number {
  session.requireRole('admin', 'approver', 'analyst');
  validate(input);
  if (session.db.prepare('SELECT 1 FROM hosts WHERE name = ?').get(input.name))
    throw new VzError('HOST_EXISTS', `A host named ${input.name} already exists.`);
  return session.transact(
    (db) =>
      Number(
        db
          .prepare(
            `INSERT INTO hosts(asset_id, name, address, port, username, credential_id, sudo_mode, jump_host_id, group_name, created_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          )
          .run(
            input.assetId ?? null,
            input.name,
            input.address,
            input.port ?? 22,
            input.username,
            input.credentialId ?? null,
            input.sudoMode ?? 'none',
            input.jumpHostId ?? null,
            input.groupName ?? null,
            new Date().toISOString(),
          ).lastInsertRowid,
      ),
    (id) => ({
      action: 'host.add',
      objectType: 'host',
      objectId: id,
      summary: { after: { ...input } },
    }),
  );
}

/** Hosts for imported assets: address from the asset's IP (else FQDN/hostname). */
export function hostsFromAssets(
  session: VaultSession,
  assetIds: readonly number[],
  defaults: { username: string; port?: number; credentialId?: number; sudoMode?: SudoMode },
): number[] {
  const rows = session.db
    .prepare(
      `SELECT id, display_name, ip, fqdn, hostname, kind FROM assets WHERE merged_into IS NULL AND id IN (SELECT value FROM json_each(?))`,
    )
    .all(JSON.stringify(assetIds)) as {
    id: number;
    display_name: string;
    ip: string | null;
    fqdn: string | null;
    hostname: string | null;
    kind: 'host' | 'software';
  }[];
  // A project or repository is not an SSH target: its fixes are manifest patches.
  const software = rows.filter((a) => a.kind === 'software');
  if (software.length)
    throw new VzError(
      'NOT_A_HOST',
      `Not made into push targets: ${software.map((a) => `#${a.id} ${a.display_name}`).join(', ')} ${software.length === 1 ? 'is' : 'are'} software (a project or repository): fix ${software.length === 1 ? 'it' : 'them'} with a manifest patch.`,
    );
  const ids: number[] = [];
  for (const a of rows) {
    const existing = session.db
      .prepare('SELECT id FROM hosts WHERE asset_id = ?')
      .pluck()
      .get(a.id) as number | undefined;
    if (existing) {
      ids.push(existing);
      continue;
    }
    const address = a.ip ?? a.fqdn ?? a.hostname;
    if (!address) continue;
    const name = a.display_name.replace(/[^A-Za-z0-9._-]/g, '-').slice(0, 120) || `asset-${a.id}`;
    ids.push(
      addHost(session, {
        ...defaults,
        name: session.db.prepare('SELECT 1 FROM hosts WHERE name = ?').get(name)
          ? `${name}-${a.id}`
          : name,
        address,
        assetId: a.id,
      }),
    );
  }
  return ids;
}

export function setHost(session: VaultSession, id: number, changes: Partial<HostInput>): void {
  session.requireRole('admin', 'approver', 'analyst');
  validate(changes);
  const before = getHost(session.db, id);
  const columns: [string, unknown][] = [
    ['name', changes.name],
    ['address', changes.address],
    ['port', changes.port],
    ['username', changes.username],
    ['sudo_mode', changes.sudoMode],
    ['credential_id', changes.credentialId],
    ['jump_host_id', changes.jumpHostId],
    ['group_name', changes.groupName],
  ].filter(([, v]) => v !== undefined) as [string, unknown][];
  if (!columns.length) throw new VzError('INVALID_INPUT', 'Nothing to change.');
  session.transact(
    (db) => {
      db.prepare(
        `UPDATE hosts SET ${columns.map(([c]) => `${c} = ?`).join(', ')} WHERE id = ?`,
      ).run(...columns.map(([, v]) => v as string | number), id);
      if (changes.address !== undefined && changes.address !== before.address)
        db.prepare('DELETE FROM host_keys WHERE host_id = ?').run(id);
      voidApprovals(db, { hostId: id }, `host ${before.name} changed`);
    },
    {
      action: 'host.set',
      objectType: 'host',
      objectId: id,
      summary: {
        before: {
          name: before.name,
          address: before.address,
          port: before.port,
          username: before.username,
        },
        after: changes,
      },
    },
  );
}

export function getHost(db: Db, id: number): HostInfo {
  const host = listHosts(db).find((h) => h.id === id);
  if (!host) throw new VzError('NOT_FOUND', `No host #${id}.`);
  return host;
}

export function hostByName(db: Db, name: string): HostInfo {
  const host = listHosts(db).find((h) => h.name === name);
  if (!host) throw new VzError('NOT_FOUND', `No host named ${name}.`);
  return host;
}

export function listHosts(db: Db): HostInfo[] {
  const rows = db
    .prepare(
      `SELECT h.id, h.name, h.address, h.port, h.username, h.sudo_mode, h.asset_id, h.group_name, h.jump_host_id,
              c.id AS cid, c.name AS cname, c.kind AS ckind
       FROM hosts h LEFT JOIN credentials c ON c.id = h.credential_id ORDER BY h.name`,
    )
    .all() as {
    id: number;
    name: string;
    address: string;
    port: number;
    username: string;
    sudo_mode: SudoMode;
    asset_id: number | null;
    group_name: string | null;
    jump_host_id: number | null;
    cid: number | null;
    cname: string | null;
    ckind: 'ssh-key' | 'password' | null;
  }[];
  const keys = db
    .prepare(
      'SELECT host_id, algorithm, fingerprint_sha256, pinned_at, pinned_by FROM host_keys ORDER BY id',
    )
    .all() as {
    host_id: number;
    algorithm: string;
    fingerprint_sha256: string;
    pinned_at: string;
    pinned_by: string;
  }[];
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    address: r.address,
    port: r.port,
    username: r.username,
    sudoMode: r.sudo_mode,
    assetId: r.asset_id,
    groupName: r.group_name,
    jumpHostId: r.jump_host_id,
    credential: r.cid
      ? { id: r.cid, name: r.cname as string, kind: r.ckind as 'ssh-key' | 'password' }
      : null,
    hostKeys: keys
      .filter((k) => k.host_id === r.id)
      .map((k) => ({
        algorithm: k.algorithm,
        fingerprint: k.fingerprint_sha256,
        pinnedAt: k.pinned_at,
        pinnedBy: k.pinned_by,
      })),
  }));
}

/** Pins a host key the operator has seen and confirmed (or read from known_hosts). */
export function pinHostKey(
  session: VaultSession,
  hostId: number,
  key: { algorithm: string; fingerprint: string; publicKey: string },
  source: 'operator' | 'known_hosts',
): void {
  session.requireRole('admin', 'approver', 'analyst');
  if (!/^SHA256:[A-Za-z0-9+/]{43}$/.test(key.fingerprint))
    throw new VzError('INVALID_INPUT', `"${key.fingerprint}" is not a SHA256 fingerprint.`);
  const host = getHost(session.db, hostId);
  if (host.hostKeys.some((k) => k.fingerprint === key.fingerprint)) return;
  // A host that already had a pinned key now presents another one: whoever approved a
  // push to it trusted the old key, so their approvals are void (a first pin is not a change).
  const replacing = host.hostKeys.length > 0;
  session.transact(
    (db) => {
      if (replacing)
        voidApprovals(db, { hostId }, `host ${host.name}: host key re-pinned (${key.fingerprint})`);
      // One pinned key per algorithm: a new key for the same algorithm replaces the old one.
      db.prepare('DELETE FROM host_keys WHERE host_id = ? AND algorithm = ?').run(
        hostId,
        key.algorithm,
      );
      db.prepare(
        'INSERT INTO host_keys(host_id, algorithm, fingerprint_sha256, public_key, pinned_at, pinned_by) VALUES (?, ?, ?, ?, ?, ?)',
      ).run(
        hostId,
        key.algorithm,
        key.fingerprint,
        key.publicKey,
        new Date().toISOString(),
        session.operator.name,
      );
    },
    {
      action: 'host.pin',
      objectType: 'host',
      objectId: hostId,
      summary: {
        ...(replacing ? { before: { fingerprints: host.hostKeys.map((k) => k.fingerprint) } } : {}),
        after: { host: host.name, algorithm: key.algorithm, fingerprint: key.fingerprint, source },
      },
    },
  );
}

export function pinnedKeys(db: Db, hostId: number): { algorithm: string; fingerprint: string }[] {
  return db
    .prepare('SELECT algorithm, fingerprint_sha256 AS fingerprint FROM host_keys WHERE host_id = ?')
    .all(hostId) as {
    algorithm: string;
    fingerprint: string;
  }[];
}

/**
 * Pins the keys an OpenSSH known_hosts file lists for registered hosts (matched by
 * address, then name, with the host's port). Hosts with no entry are reported.
 */
export function importKnownHosts(
  session: VaultSession,
  text: string,
): { pinned: number; hosts: string[]; skipped: string[] } {
  const parsed = parseKnownHosts(text);
  let pinned = 0;
  const hosts: string[] = [];
  const skipped: string[] = [];
  for (const host of listHosts(session.db)) {
    const keys = [
      ...lookup(parsed.entries, host.address, host.port),
      ...lookup(parsed.entries, host.name, host.port),
    ].filter((k, i, all) => all.findIndex((x) => x.fingerprint === k.fingerprint) === i);
    if (!keys.length) {
      skipped.push(host.name);
      continue;
    }
    for (const key of keys) {
      if (!host.hostKeys.some((k) => k.fingerprint === key.fingerprint)) pinned += 1;
      pinHostKey(session, host.id, key, 'known_hosts');
    }
    hosts.push(host.name);
  }
  return { pinned, hosts, skipped };
}

/** Stored credentials without their secrets (for the pickers). */
export function listCredentials(
  db: Db,
): { id: number; name: string; kind: 'ssh-key' | 'password'; createdAt: string }[] {
  return db
    .prepare('SELECT id, name, kind, created_at AS createdAt FROM credentials ORDER BY name')
    .all() as { id: number; name: string; kind: 'ssh-key' | 'password'; createdAt: string }[];
}

/**
 * Per-group settings: applies the same change (user, port, credential, sudo mode, jump
 * host) to every host of a group, each change voiding that host's approvals.
 */
export function setGroup(
  session: VaultSession,
  group: string,
  changes: Pick<
    Partial<HostInput>,
    'username' | 'port' | 'credentialId' | 'sudoMode' | 'jumpHostId'
  >,
): number[] {
  const ids = listHosts(session.db)
    .filter((h) => h.groupName === group)
    .map((h) => h.id);
  if (!ids.length) throw new VzError('NOT_FOUND', `No host in group ${group}.`);
  for (const id of ids) setHost(session, id, changes);
  return ids;
}
