/** Tenable Nessus .nessus export (NessusClientData_v2). */
import type { Importer } from '../types';
import { NessusReportHandler, isWebAppScan } from '../xml/nessus-report';
import { rootName } from '../xml/sniff';
import { readXml } from '../xml/stream-xml';

export const nessusImporter: Importer = {
  format: 'nessus',
  label: 'Tenable Nessus (.nessus XML)',
  hints: 'XML root <NessusClientData_v2> with <ReportHost>/<ReportItem>, not a WAS report',
  sniff(head) {
    if (rootName(head) === 'NessusClientData_v2') return isWebAppScan(head) ? 0.4 : 0.95;
    return head.includes('<ReportHost') && head.includes('<ReportItem') ? 0.5 : 0;
  },
  parse(input, ctx) {
    return readXml(
      input,
      ctx,
      (doc) =>
        new NessusReportHandler(doc, {
          format: 'nessus',
          scannerName: 'Nessus',
          keyPrefix: 'nessus',
          webApp: false,
        }),
    );
  },
};
