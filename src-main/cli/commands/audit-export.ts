import { exportAuditFile } from '../../vault/audit-export';
import { UsageError, type Command } from '../command';
import { OPERATOR_OPTION, TOTP_OPTION, printResult, withSession } from '../vault-access';

export const auditExportCommand: Command = {
  name: 'audit export',
  summary: 'Export the audit trail with its chain values (JSON lines or CSV).',
  usage: 'OUT [--format jsonl|csv]',
  options: { ...OPERATOR_OPTION, ...TOTP_OPTION, format: { type: 'string', default: 'jsonl' } },
  run: (run) => {
    const out = run.positionals[0];
    const format = run.values['format'];
    if (!out) throw new UsageError('audit export needs the output file: vulnzero audit export OUT');
    if (format !== 'jsonl' && format !== 'csv')
      throw new UsageError('--format must be jsonl or csv');
    return withSession(run, async (session) => {
      const entries = await exportAuditFile(session, out, format);
      printResult(
        run,
        { path: out, format, entries },
        `Exported ${entries} audit entries to ${out}.`,
      );
      return 0;
    });
  },
};
