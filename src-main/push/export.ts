/**
 * `export ansible APPROVAL OUT_DIR`: the approval, verified now (live and matching its
 * hash), written as an Ansible playbook + inventory for fleets that run Ansible/AWX.
 */
import type { VaultSession } from '../vault/session';
import { writeAnsibleExport } from './ansible/export';
import { verifiedApproval } from './approvals';

export async function exportApproval(
  session: VaultSession,
  approvalId: number,
  outDir: string,
): Promise<string[]> {
  session.requireRole('admin', 'approver', 'analyst');
  const db = session.db;
  const { approval, content } = verifiedApproval(db, approvalId);
  const title = db
    .prepare('SELECT title FROM drafts WHERE id = ?')
    .pluck()
    .get(approval.draftId) as string;
  const keysOf = db.prepare(
    'SELECT algorithm, public_key FROM host_keys WHERE host_id = ? ORDER BY id',
  );
  const files = await writeAnsibleExport(
    {
      approvalId,
      approvalSha256: approval.sha256,
      draftTitle: title,
      draftVersion: approval.version,
      content,
      hosts: approval.targets.map((t) => {
        const key = keysOf.get(t.id) as { algorithm: string; public_key: string } | undefined;
        return {
          name: t.name,
          address: t.address,
          port: t.port,
          username: t.username,
          sudoMode: t.sudoMode === 'sudo-n' ? 'sudo-n' : 'none',
          ...(key ? { hostKey: { algorithm: key.algorithm, publicKey: key.public_key } } : {}),
        };
      }),
      options: {
        stepTimeoutSec: approval.options.stepTimeoutSec,
        wavePercent: approval.options.wavePercent,
        maxFailPercent: approval.options.maxFailPercent,
      },
    },
    outDir,
  );
  session.audit({
    action: 'approval.export_ansible',
    objectType: 'approval',
    objectId: approvalId,
    summary: { after: { outDir, files: files.length } },
  });
  return files;
}
