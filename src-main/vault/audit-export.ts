import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { exportAudit } from './audit';
import type { VaultSession } from './session';

/**
 * Streams the audit trail to `path` (one line per entry, never overwriting a file) and
 * records the export itself in the chain. Returns the number of entries written.
 */
export async function exportAuditFile(
  session: VaultSession,
  path: string,
  format: 'jsonl' | 'csv',
): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let lines = 0;
  for (const line of exportAudit(session.db, format)) {
    lines += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  const entries = format === 'csv' ? lines - 1 : lines;
  session.audit({
    action: 'audit.export',
    objectType: 'audit',
    objectId: path,
    summary: { after: { format, entries } },
  });
  return entries;
}
