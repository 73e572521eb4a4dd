import { assetDetailOf, listAssets } from '../../assets/list';
import { splitMerge } from '../../assets/merges';
import type { Handlers } from '../router';
import { writeInWorker } from './writer-job';

export const assetsHandlers: Handlers['assets'] = {
  list: (input, { vault }) => listAssets(vault.session().db, input),
  detail: ({ id }, { vault }) => assetDetailOf(vault.session(), id),
  // A criticality edit by CIDR recomputes the priorities of every finding it reaches:
  // the writer thread does it (see writer-job.ts).
  set: async ({ ids, cidr, pattern, criticality, exposure }, { vault, jobs }) => {
    const { updated } = await writeInWorker(jobs, vault.session(), 'assets.set', {
      selector: {
        ...(ids ? { ids } : {}),
        ...(cidr ? { cidr } : {}),
        ...(pattern ? { pattern } : {}),
      },
      change: { ...(criticality ? { criticality } : {}), ...(exposure ? { exposure } : {}) },
    });
    return { updated };
  },
  merge: async ({ fromId, intoId }, { vault, jobs }) => {
    const { mergeId } = await writeInWorker(jobs, vault.session(), 'assets.merge', {
      fromId,
      intoId,
    });
    return { mergeId };
  },
  split: ({ mergeId }, { vault }) => {
    splitMerge(vault.session(), mergeId);
    return { split: true as const };
  },
};
