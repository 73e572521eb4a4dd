import { importFiles } from '../../importers/import-files';
import { IMPORTERS } from '../../importers/registry';
import type { Handlers } from '../router';

interface ScanRow {
  id: number;
  file_name: string;
  format: string;
  scanner: string;
  sha256: string;
  size: number;
  imported_at: string;
  imported_by: string | null;
  counts: string;
  duplicate_of: number | null;
}

export const importHandlers: Handlers['import'] = {
  formats: () => IMPORTERS.map(({ format, label, hints }) => ({ format, label, hints })),

  chooseFiles: async (_input, { runtime }) =>
    runtime.chooseFiles
      ? { available: true, paths: await runtime.chooseFiles() }
      : { available: false, paths: [] },

  start: ({ paths, format, keepGenericHosts }, { vault, jobs, events }) => {
    const session = vault.session();
    const { jobId, done } = jobs.start('import', (controls) =>
      importFiles(session, paths, {
        format,
        keepGenericHosts,
        controls,
        onFile: (summary) => events.emit('importFileDone', { jobId, summary }),
      }),
    );
    done.catch(() => undefined); // reported through jobFinished
    return { jobId };
  },

  history: ({ limit }, { vault }) => {
    const rows = vault
      .session()
      .db.prepare('SELECT * FROM scans ORDER BY id DESC LIMIT ?')
      .all(limit) as ScanRow[];
    return rows.map((r) => {
      const counts = JSON.parse(r.counts) as {
        assets?: number;
        findings?: { new: number; updated: number; unchanged: number; notSeen: number };
      };
      return {
        id: r.id,
        fileName: r.file_name,
        format: r.format,
        scanner: r.scanner,
        sha256: r.sha256,
        size: r.size,
        importedAt: r.imported_at,
        importedBy: r.imported_by,
        assets: counts.assets ?? 0,
        findings: counts.findings ?? { new: 0, updated: 0, unchanged: 0, notSeen: 0 },
        duplicateOf: r.duplicate_of,
      };
    });
  },
};
