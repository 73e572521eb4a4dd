import { writeReportFile } from '../../reports/export';
import type { Handlers } from '../router';

export const reportsHandlers: Handlers['reports'] = {
  // The report's SQL reads a whole period: off the main thread, in the reader.
  figures: (scope, { vault }) =>
    vault.session().reader().read('reportFigures', { scope, now: new Date().toISOString() }),

  chooseSavePath: async ({ format }, { runtime }) =>
    runtime.chooseSavePath
      ? { available: true, path: await runtime.chooseSavePath(`remediation-report.${format}`) }
      : { available: false, path: null },

  save: async ({ format, path, replace, from, to, group }, { vault }) => {
    const session = vault.session();
    const scope = { ...(from ? { from } : {}), ...(to ? { to } : {}), ...(group ? { group } : {}) };
    const figures = await session
      .reader()
      .read('reportFigures', { scope, now: new Date().toISOString() });
    const report = writeReportFile(session, {
      format,
      path,
      force: replace === true,
      scope,
      figures,
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
