/**
 * `vulnzero report --format html|csv|json --out FILE [--from DATE --to DATE] [--group NAME]`:
 * the remediation report of docs/reports.md, written to FILE (never over an existing file
 * unless --force).
 */
import { existsSync } from 'node:fs';
import { writeReportFile } from '../../reports/export';
import { REPORT_FORMATS } from '../../../src-preload/reports-schemas';
import { UsageError, type Command } from '../command';
import { UNLOCK_OPTIONS } from '../args';
import { printResult, withSession } from '../vault-access';

const FORMATS = REPORT_FORMATS;
const DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;

export const reportCommand: Command = {
  name: 'report',
  summary:
    'Remediation report (open by severity/priority, KEV, SLA, MTTR, pushes, accepted risks) as HTML, CSV or JSON.',
  usage: '--format html|csv|json --out FILE [--from DATE --to DATE] [--group NAME] [--force]',
  options: {
    ...UNLOCK_OPTIONS,
    format: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    group: { type: 'string' },
    force: { type: 'boolean', default: false },
  },
  run: (run) => {
    const format = run.values['format'] as (typeof FORMATS)[number];
    if (!FORMATS.includes(format))
      throw new UsageError(`--format must be one of ${FORMATS.join(', ')}`);
    const out = run.values['out'];
    if (typeof out !== 'string' || out === '') throw new UsageError('report needs --out FILE');
    if (existsSync(out) && run.values['force'] !== true)
      throw new UsageError(`${out} exists; choose another file or add --force to replace it`);
    for (const name of ['from', 'to'] as const) {
      const v = run.values[name];
      if (
        v !== undefined &&
        (typeof v !== 'string' || !DATE.test(v) || Number.isNaN(Date.parse(v)))
      )
        throw new UsageError(`--${name} must be a date, YYYY-MM-DD`);
    }
    const from = run.values['from'] as string | undefined;
    const to = run.values['to'] as string | undefined;
    if (from && to && from > to) throw new UsageError('--from must not be after --to');
    const group = run.values['group'] as string | undefined;
    return withSession(run, (session) => {
      const report = writeReportFile(session, {
        format,
        path: out,
        force: true, // checked above, with the CLI's own wording
        scope: { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(group ? { group } : {}) },
      });
      printResult(
        run,
        { file: out, format, open: report.open.total, kev: report.open.kev },
        `Wrote the ${format.toUpperCase()} report to ${out}: ${report.open.total} open findings, ${report.open.kev} KEV, ${report.open.overdue} overdue.`,
      );
      return 0;
    });
  },
};
