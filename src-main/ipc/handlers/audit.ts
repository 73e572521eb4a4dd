import { listAudit, verifyAudit } from '../../vault/audit';
import { exportAuditFile } from '../../vault/audit-export';
import type { Handlers } from '../router';

export const auditHandlers: Handlers['audit'] = {
  list: ({ beforeSeq, limit }, { vault }) =>
    listAudit(vault.session().db, { limit, ...(beforeSeq ? { beforeSeq } : {}) }),
  verify: (_input, { vault }) => verifyAudit(vault.session().db),
  export: async ({ path, format }, { vault }) => ({
    path,
    entries: await exportAuditFile(vault.session(), path, format),
  }),
};
