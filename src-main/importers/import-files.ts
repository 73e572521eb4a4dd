/**
 * A batch import: files one after another, each in the writer thread and in its own
 * transaction. A failing file is reported with its error and the others still import;
 * cancelling stops the batch (the file in progress is rolled back).
 */
import { basename } from 'node:path';
import { isVzError, VzError } from '../core/errors';
import type { JobControls } from '../core/jobs';
import { assertMayWrite } from '../vault/write-session';
import type { VaultSession } from '../vault/session';
import { runWriterTask } from '../vault/writer/client';
import type { ImportSummary } from './store/import-file';

export type { ImportSummary };

export function failedSummary(
  path: string,
  format: string | undefined,
  error: unknown,
  durationMs: number,
): ImportSummary {
  return {
    file: basename(path),
    format: format ?? '',
    sha256: '',
    assets: 0,
    findings: { new: 0, updated: 0, unchanged: 0, notSeen: 0 },
    durationMs,
    error: isVzError(error)
      ? { code: error.code, message: error.message }
      : { code: 'IMPORT_FAILED', message: `${basename(path)}: ${(error as Error).message}` },
  };
}

export async function importFiles(
  session: VaultSession,
  paths: string[],
  options: {
    format?: string | undefined;
    /** Keep generic-only hosts as assets of their scan (see ImportOptions). */
    keepGenericHosts?: boolean | undefined;
    controls: JobControls;
    onFile?: (summary: ImportSummary) => void;
  },
): Promise<ImportSummary[]> {
  // A viewer imports nothing: refused before any file is read.
  assertMayWrite(session.operator);
  const results: ImportSummary[] = [];
  const { controls } = options;
  for (const [index, path] of paths.entries()) {
    if (controls.signal.aborted)
      throw new VzError('CANCELLED', 'Import cancelled by the operator.');
    const started = performance.now();
    let summary: ImportSummary;
    try {
      summary = await runWriterTask(
        session.path,
        session.keyForWriter(),
        'import',
        {
          path,
          ...(options.format ? { format: options.format } : {}),
          ...(options.keepGenericHosts ? { keepGenericHosts: true } : {}),
          actor: { id: session.operator.id, name: session.operator.name },
        },
        {
          signal: controls.signal,
          progress: (_phase, done, total, message) =>
            controls.progress(
              `${index + 1}/${paths.length} ${basename(path)}`,
              done,
              total,
              message,
            ),
        },
      );
    } catch (error) {
      if (isVzError(error) && error.code === 'CANCELLED') throw error;
      summary = failedSummary(path, options.format, error, Math.round(performance.now() - started));
    }
    results.push(summary);
    options.onFile?.(summary);
  }
  return results;
}
