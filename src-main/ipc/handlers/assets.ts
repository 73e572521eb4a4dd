import { assetDetailOf, listAssets } from '../../assets/list';
import { mergeAssets, splitMerge } from '../../assets/merges';
import { setAssets } from '../../assets/set';
import type { Handlers } from '../router';

export const assetsHandlers: Handlers['assets'] = {
  list: (input, { vault }) => listAssets(vault.session().db, input),
  detail: ({ id }, { vault }) => assetDetailOf(vault.session(), id),
  set: ({ ids, cidr, pattern, criticality, exposure }, { vault }) => ({
    updated: setAssets(
      vault.session(),
      { ...(ids ? { ids } : {}), ...(cidr ? { cidr } : {}), ...(pattern ? { pattern } : {}) },
      { ...(criticality ? { criticality } : {}), ...(exposure ? { exposure } : {}) },
    ).updated,
  }),
  merge: ({ fromId, intoId }, { vault }) => ({
    mergeId: mergeAssets(vault.session(), fromId, intoId),
  }),
  split: ({ mergeId }, { vault }) => {
    splitMerge(vault.session(), mergeId);
    return { split: true as const };
  },
};
