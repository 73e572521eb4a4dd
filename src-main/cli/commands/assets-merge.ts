/** `vulnzero assets merge`: the Assets screen's merge (assets.merge); undo with `assets split`. */
import { contract } from '../../../src-preload/contract';
import { mergeAssets } from '../../assets/merges';
import { UNLOCK_OPTIONS, YES_OPTION, int, positional } from '../args';
import type { Command } from '../command';
import { contractInput } from '../contract-input';
import { printResult, requireYes, withSession } from '../vault-access';

export const assetsMergeCommand: Command = {
  name: 'assets merge',
  summary:
    'Merge one asset into another: its findings and identifiers move (undo with vulnzero assets split).',
  usage: 'FROM_ID INTO_ID --yes',
  options: { ...UNLOCK_OPTIONS, ...YES_OPTION },
  run: (run) => {
    const input = contractInput(contract.assets.merge.input, {
      fromId: int(positional(run, 0, 'FROM_ID and INTO_ID', 'assets merge'), 'FROM_ID'),
      intoId: int(positional(run, 1, 'FROM_ID and INTO_ID', 'assets merge'), 'INTO_ID'),
      confirm: true,
    });
    requireYes(run, 'Merging assets');
    return withSession(run, (session) => {
      const mergeId = mergeAssets(session, input.fromId, input.intoId);
      printResult(
        run,
        { mergeId, fromId: input.fromId, intoId: input.intoId },
        `Merged asset ${input.fromId} into ${input.intoId} (merge #${mergeId}; undo: vulnzero assets split ${mergeId} --yes).`,
      );
      return 0;
    });
  },
};
