import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportAudit, listAudit, verifyAudit } from '../../vault/audit';
import type { Handlers } from '../router';

export const auditHandlers: Handlers['audit'] = {
  list: ({ beforeSeq, limit }, { vault }) =>
    listAudit(vault.session().db, { limit, ...(beforeSeq ? { beforeSeq } : {}) }),
  verify: (_input, { vault }) => verifyAudit(vault.session().db),
  export: async ({ path, format }, { vault }) => {
    const session = vault.session();
    const entries = await writeAuditExport(session.db, path, format);
    session.audit({
      action: 'audit.export',
      objectType: 'audit',
      objectId: path,
      summary: { after: { format, entries } },
    });
    return { path, entries };
  },
};

/** Streams the export to `path` (one line per entry); returns the number of entries. */
export async function writeAuditExport(
  db: Parameters<typeof exportAudit>[0],
  path: string,
  format: 'jsonl' | 'csv',
): Promise<number> {
  const out = createWriteStream(path, { flags: 'wx', mode: 0o600 });
  let entries = 0;
  for (const line of exportAudit(db, format)) {
    entries += 1;
    if (!out.write(line)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  return format === 'csv' ? entries - 1 : entries;
}
