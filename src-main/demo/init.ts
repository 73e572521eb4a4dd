/**
 * `vulnzero demo init`: a separate demo vault filled from the sample scans and feeds in
 * resources/demo (real public files, see resources/demo/SOURCES.md), so every screen has
 * something to show in one step. The vault is marked as a demo (setting `demo`, audited)
 * and is only ever created at a new path: a demo never lands in a real vault.
 */
import { existsSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { VzError } from '../core/errors';
import type { FeedImportResult } from '../feeds/store/import-feeds';
import { importFiles } from '../importers/import-files';
import type { ImportSummary } from '../importers/store/import-file';
import type { KdfCost } from '../vault/slots';
import { readSetting, writeSetting } from '../vault/settings';
import type { Db } from '../vault/sqlcipher';
import { createVault } from '../vault/vault';
import { runWriterTask } from '../vault/writer/client';

/**
 * resources/demo of the project: found walking up from this module, which runs from
 * src-main/demo (sources), out/main (the CLI bundle) or out/main/chunks (shared chunks).
 * Packaged apps pass <resources>/demo explicitly.
 */
export function defaultDemoDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++) {
    const candidate = join(dir, 'resources', 'demo');
    if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'resources', 'demo');
}

export interface DemoMark {
  createdAt: string;
  scans: string[];
  feeds: string[];
}

/** The demo mark of a vault, or null for a real one. */
export function demoMark(db: Db): DemoMark | null {
  return readSetting<DemoMark | null>(db, 'demo', null);
}

export async function initDemoVault(input: {
  path: string;
  operator: string;
  passphrase: string;
  demoDir?: string;
  kdf?: KdfCost;
  onFile?: (summary: ImportSummary) => void;
}): Promise<{ scans: ImportSummary[]; feeds: FeedImportResult; mark: DemoMark }> {
  const dir = input.demoDir ?? defaultDemoDir();
  const list = (sub: string): string[] =>
    existsSync(join(dir, sub))
      ? readdirSync(join(dir, sub))
          .sort()
          .map((f) => join(dir, sub, f))
      : [];
  const scans = list('scans');
  const feeds = list('feeds');
  if (scans.length === 0)
    throw new VzError('DEMO_DATA_MISSING', `No sample scans in ${join(dir, 'scans')}.`);
  // createVault refuses an existing path: a demo is never mixed into a real vault.
  const session = await createVault({
    path: input.path,
    operator: input.operator,
    passphrase: input.passphrase,
    ...(input.kdf ? { kdf: input.kdf } : {}),
  });
  try {
    const mark: DemoMark = {
      createdAt: new Date().toISOString(),
      scans: scans.map((p) => p.slice(dir.length + 1)),
      feeds: feeds.map((p) => p.slice(dir.length + 1)),
    };
    session.transact((db) => writeSetting(db, 'demo', mark), {
      action: 'demo.init',
      objectType: 'vault',
      objectId: null,
      summary: { after: mark },
    });
    const actor = { id: session.operator.id, name: session.operator.name };
    const feedResult = await runWriterTask(
      session.path,
      session.keyForWriter(),
      'feeds',
      { files: feeds.map((path) => ({ path })), actor },
      undefined,
    );
    const summaries = await importFiles(session, scans, {
      controls: { signal: new AbortController().signal, progress: () => undefined },
      ...(input.onFile ? { onFile: input.onFile } : {}),
    });
    const failed = summaries.find((s) => s.error);
    if (failed)
      throw new VzError('DEMO_IMPORT_FAILED', `${failed.file}: ${failed.error?.message ?? ''}`);
    return { scans: summaries, feeds: feedResult, mark };
  } finally {
    session.lock();
  }
}
