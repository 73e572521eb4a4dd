import { remediationFigures } from '../../reports/figures';
import { writeReportFile } from '../../reports/export';
import type { Handlers } from '../router';

export const reportsHandlers: Handlers['reports'] = {
  figures: (scope, { vault }) => remediationFigures(vault.session().db, scope),

  chooseSavePath: async ({ format }, { runtime }) =>
    runtime.chooseSavePath
      ? { available: true, path: await runtime.chooseSavePath(`remediation-report.${format}`) }
      : { available: false, path: null },

  save: ({ format, path, replace, from, to, group }, { vault }) => {
    const report = writeReportFile(vault.session(), {
      format,
      path,
      force: replace === true,
      scope: { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(group ? { group } : {}) },
    });
    return {
      path,
      format,
      open: report.open.total,
      kev: report.open.kev,
      overdue: report.open.overdue,
    };
  },
};
