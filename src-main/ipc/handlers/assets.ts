import { setAssets } from '../../assets/set';
import type { Output } from '../../../src-preload/contract';
import type { Handlers } from '../router';

export const assetsHandlers: Handlers['assets'] = {
  list: ({ limit, afterId }, { vault }) =>
    vault
      .session()
      .db.prepare(
        `SELECT a.id, a.display_name AS displayName, a.ip, a.hostname, a.fqdn, a.os, a.criticality, a.exposure,
                (SELECT count(*) FROM findings f WHERE f.asset_id = a.id AND f.status = 'open') AS openFindings
         FROM assets a WHERE a.merged_into IS NULL AND a.id > ? ORDER BY a.id LIMIT ?`,
      )
      .all(afterId ?? 0, limit) as Output<'assets.list'>,
  set: ({ ids, cidr, pattern, criticality, exposure }, { vault }) => ({
    updated: setAssets(
      vault.session(),
      { ...(ids ? { ids } : {}), ...(cidr ? { cidr } : {}), ...(pattern ? { pattern } : {}) },
      { ...(criticality ? { criticality } : {}), ...(exposure ? { exposure } : {}) },
    ).updated,
  }),
};
