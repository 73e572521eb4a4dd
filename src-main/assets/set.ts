/**
 * Criticality and exposure of assets, one by one or in bulk by CIDR or hostname pattern.
 * They drive SSVC (exposure, mission impact) and the risk score.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { refreshPriorities } from '../triage/priorities';
import { VzError } from '../core/errors';
import type { WriteProgress, WriteSession } from '../vault/write-session';

export type Criticality = 'low' | 'medium' | 'high' | 'critical';
export type Exposure = 'internet' | 'internal' | 'isolated';

export interface AssetSelector {
  ids?: number[];
  cidr?: string;
  /** Glob on hostname, FQDN or container image: `*` any run of characters, `?` one character. */
  pattern?: string;
}

function cidrMatcher(cidr: string): (ip: string) => boolean {
  const [net, bits] = cidr.split('/');
  const prefix = Number(bits);
  const type = net && isIPv4(net) ? 'ipv4' : net && isIPv6(net) ? 'ipv6' : null;
  if (
    !net ||
    !type ||
    !Number.isInteger(prefix) ||
    prefix < 0 ||
    prefix > (type === 'ipv4' ? 32 : 128)
  ) {
    throw new VzError('INVALID_CIDR', `"${cidr}" is not a CIDR range like 10.0.0.0/8.`);
  }
  const list = new BlockList();
  list.addSubnet(net, prefix, type);
  return (ip) =>
    isIPv4(ip) ? list.check(ip, 'ipv4') : isIPv6(ip) ? list.check(ip, 'ipv6') : false;
}

function globMatcher(pattern: string): (name: string) => boolean {
  const re = new RegExp(
    `^${pattern
      .toLowerCase()
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  );
  return (name) => re.test(name.toLowerCase());
}

export function selectAssets(session: WriteSession, selector: AssetSelector): number[] {
  const given = [selector.ids, selector.cidr, selector.pattern].filter(
    (x) => x !== undefined,
  ).length;
  if (given !== 1)
    throw new VzError(
      'INVALID_SELECTOR',
      'Choose assets by exactly one of: ids, CIDR, hostname pattern.',
    );
  if (selector.ids) return selector.ids;
  const rows = session.db
    .prepare(
      `SELECT a.id, i.kind, i.value FROM assets a JOIN asset_identifiers i ON i.asset_id = a.id WHERE a.merged_into IS NULL`,
    )
    .all() as { id: number; kind: string; value: string }[];
  const match = selector.cidr
    ? cidrMatcher(selector.cidr)
    : globMatcher(selector.pattern as string);
  const kinds = selector.cidr ? ['ip'] : ['hostname', 'fqdn', 'image'];
  return [
    ...new Set(rows.filter((r) => kinds.includes(r.kind) && match(r.value)).map((r) => r.id)),
  ];
}

export function setAssets(
  session: WriteSession,
  selector: AssetSelector,
  change: { criticality?: Criticality; exposure?: Exposure },
  progress?: WriteProgress,
): { updated: number; ids: number[] } {
  session.requireRole('admin', 'approver', 'analyst');
  if (!change.criticality && !change.exposure)
    throw new VzError('INVALID_INPUT', 'Give a criticality, an exposure, or both.');
  progress?.('select assets', 0, 3);
  const ids = selectAssets(session, selector);
  const now = new Date().toISOString();
  session.transact(
    (db) => {
      const update = db.prepare(
        'UPDATE assets SET criticality = coalesce(?, criticality), exposure = coalesce(?, exposure), updated_at = ? WHERE id = ?',
      );
      progress?.('update assets', 1, 3);
      for (const id of ids)
        update.run(change.criticality ?? null, change.exposure ?? null, now, id);
      // Criticality and exposure feed the risk score and the SSVC decision: with a broad
      // CIDR this recomputes up to every finding, which is why it runs in the writer thread.
      progress?.('recompute priorities', 2, 3);
      refreshPriorities(db, { assetIds: ids });
      progress?.('recompute priorities', 3, 3);
    },
    {
      action: 'assets.set',
      objectType: 'asset',
      objectId: ids.length === 1 ? ids[0] : null,
      summary: { after: { selector, ...change, count: ids.length } },
    },
  );
  return { updated: ids.length, ids };
}
