/** Tenable Nessus / Tenable.io Web App Scanning XML export (NessusClientData_v2, type="was"). */
import type { Importer } from '../types';
import { NessusReportHandler, isWebAppScan } from '../xml/nessus-report';
import { rootName } from '../xml/sniff';
import { readXml } from '../xml/stream-xml';

export const nessusWasXmlImporter: Importer = {
  format: 'nessus-was-xml',
  label: 'Tenable Web App Scanning (XML)',
  hints: 'XML root <NessusClientData_v2> with <Report type="was"> or web_application hosts',
  sniff(head) {
    return rootName(head) === 'NessusClientData_v2' && isWebAppScan(head) ? 0.97 : 0;
  },
  parse(input, ctx) {
    return readXml(
      input,
      ctx,
      (doc) =>
        new NessusReportHandler(doc, {
          format: 'nessus-was-xml',
          scannerName: 'Tenable Web App Scanning',
          keyPrefix: 'nessus-was',
          webApp: true,
        }),
    );
  },
};
