/**
 * Drag-and-drop in the harness: a browser never tells a page where a dropped file lives,
 * so the bridge streams the file to the harness, which keeps it in a staging folder
 * beside the vault (0700, files 0600) for the import to read. When no import is running
 * any more, the folder is removed: a staged copy outlives its import by moments only.
 */
import { randomUUID } from 'node:crypto';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Core } from '../ipc/core';

export function stagingDir(core: Core): string {
  return join(dirname(core.ctx.vault.path), 'staged-imports');
}

/** A file name safe to create: no folders, no control characters, bounded length. */
export function safeName(given: string | null): string {
  const name = [...basename(given ?? '')]
    .map((ch) => (ch.charCodeAt(0) < 0x20 || ch === '\\' ? '_' : ch))
    .join('')
    .slice(0, 200);
  return name === '' || name === '.' || name === '..' ? 'dropped-file' : name;
}

export async function stageUpload(core: Core, req: IncomingMessage, name: string): Promise<string> {
  const dir = join(stagingDir(core), randomUUID());
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, safeName(name));
  await pipeline(req, createWriteStream(path, { mode: 0o600, flags: 'wx' }));
  return path;
}

/** Removes the staging folder whenever the last running import ends; returns the unsubscribe. */
export function cleanStagingAfterImports(core: Core): () => void {
  return core.events.subscribe((name, payload) => {
    if (name !== 'jobFinished' || (payload as { kind?: string }).kind !== 'import') return;
    const running = core.ctx.jobs.list().some((j) => j.kind === 'import' && j.state === 'running');
    if (!running) removeStaging(core);
  });
}

export function removeStaging(core: Core): void {
  rmSync(stagingDir(core), { recursive: true, force: true });
}
