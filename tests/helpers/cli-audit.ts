/**
 * The CLI in-process (tests/helpers/cli.ts) plus the audit entries each call wrote, read
 * straight from the vault after the call (the `vault.unlock` entries every command and
 * this reader write are left out).
 */
import { iterateAudit } from '../../src-main/vault/audit';
import { unlockVault } from '../../src-main/vault/vault';
import { cli } from './cli';
import { PASS } from './vault';

export interface AuditLine {
  action: string;
  objectType: string;
  objectId: string | null;
  operator: string;
  summary: Record<string, unknown>;
}

export interface AuditedResult {
  code: number;
  out: string;
  err: string;
  audit: AuditLine[];
}

/** `vz(...argv)` runs one command; `result.audit` is what it added to the audit trail. */
export function auditedCli(
  env: Record<string, string>,
  vault: { path: string; operator?: string; passphrase?: string },
) {
  const run = cli(env);
  let seen = 0;
  async function newEntries(): Promise<AuditLine[]> {
    const session = await unlockVault({
      path: vault.path,
      operator: vault.operator ?? 'alice',
      passphrase: vault.passphrase ?? PASS,
    });
    try {
      const lines: AuditLine[] = [];
      for (const e of iterateAudit(session.db)) {
        if (e.seq <= seen) continue;
        seen = e.seq;
        if (e.action === 'vault.unlock') continue;
        lines.push({
          action: e.action,
          objectType: e.objectType,
          objectId: e.objectId,
          operator: e.operatorName,
          summary: JSON.parse(e.summary || '{}') as Record<string, unknown>,
        });
      }
      return lines;
    } finally {
      session.lock();
    }
  }
  const vz = async (...argv: string[]): Promise<AuditedResult> => {
    const result = await run(...argv);
    return { ...result, audit: await newEntries() };
  };
  /** Forgets what was written so far (call once after the test's own setup). */
  vz.skipAudit = newEntries;
  /** Just the actions a call wrote, in order. */
  vz.actions = (r: AuditedResult) => r.audit.map((a) => a.action);
  return vz;
}
