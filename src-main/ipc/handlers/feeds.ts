import { VzError } from '../../core/errors';
import { splitBundles } from '../../feeds/bundle';
import { addTrustedKey, feedStatus, listTrustedKeys, removeTrustedKey } from '../../feeds/trust';
import { assertUnsignedFeedsAllowed } from '../../vault/preferences';
import { runWriterTask } from '../../vault/writer/client';
import type { Handlers } from '../router';

export const feedsHandlers: Handlers['feeds'] = {
  status: (_input, { vault }) => feedStatus(vault.session()),

  import: async ({ paths, bundle: given, allowRollback }, { vault, jobs }) => {
    const session = vault.session();
    if ((paths?.length ? 1 : 0) + (given ? 1 : 0) !== 1) {
      throw new VzError('INVALID_INPUT', 'Give either feed files or one bundle.');
    }
    // A bundle picked as a feed file is still a bundle (recognised by content, not name).
    const found = paths?.length ? await splitBundles(paths) : { bundles: [], files: [] };
    if (found.bundles.length > 0 && (paths?.length ?? 0) > 1) {
      throw new VzError('INVALID_INPUT', 'Import a signed bundle on its own.');
    }
    const bundle = given ?? found.bundles[0];
    if (!bundle) assertUnsignedFeedsAllowed(session);
    if (allowRollback) session.requireRole('admin');
    const actor = { id: session.operator.id, name: session.operator.name };
    const { jobId, done } = jobs.start('feeds.import', (controls) =>
      runWriterTask(
        session.path,
        session.keyForWriter(),
        'feeds',
        bundle
          ? { bundle, allowRollback: allowRollback === true, actor }
          : { files: (paths ?? []).map((path) => ({ path })), actor },
        controls,
      ),
    );
    done.catch(() => undefined);
    return { jobId };
  },

  trustList: (_input, { vault }) => listTrustedKeys(vault.session()),
  trustAdd: ({ name, publicKeyPem }, { vault }) =>
    addTrustedKey(vault.session(), name, publicKeyPem),
  trustRemove: ({ fingerprint }, { vault }) => {
    removeTrustedKey(vault.session(), fingerprint);
    return { removed: true };
  },
};
