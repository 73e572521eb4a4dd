/**
 * Writing a remediation report to a file: the one path shared by `vulnzero report` and
 * the Reports screen (`reports.save`). The file is written owner-only, never over an
 * existing file unless asked, and the export is audited with its scope.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { VzError } from '../core/errors';
import type { ReportFormat } from '../../src-preload/reports-schemas';
import type { VaultSession } from '../vault/session';
import { remediationFigures, type RemediationReport, type ReportScope } from './figures';
import { reportCsv } from './render-csv';
import { reportHtml } from './render-html';

export function renderReport(report: RemediationReport, format: ReportFormat): string {
  if (format === 'html') return reportHtml(report);
  if (format === 'csv') return reportCsv(report);
  return JSON.stringify(report, null, 2) + '\n';
}

export function writeReportFile(
  session: VaultSession,
  input: {
    format: ReportFormat;
    path: string;
    scope: ReportScope;
    force?: boolean;
    /** Figures already computed off the main thread (the app); the CLI computes them here. */
    figures?: RemediationReport;
  },
): RemediationReport {
  if (existsSync(input.path) && input.force !== true)
    throw new VzError(
      'EXPORT_EXISTS',
      `${input.path} exists; choose another file or replace it explicitly.`,
    );
  const report = input.figures ?? remediationFigures(session.db, input.scope);
  try {
    writeFileSync(input.path, renderReport(report, input.format), { mode: 0o600 });
  } catch (error) {
    throw new VzError(
      'REPORT_WRITE_FAILED',
      `Could not write ${input.path}: ${(error as Error).message}`,
    );
  }
  session.audit({
    action: 'report.export',
    objectType: 'report',
    objectId: null,
    summary: { after: { format: input.format, file: input.path, scope: report.scope } },
  });
  return report;
}
