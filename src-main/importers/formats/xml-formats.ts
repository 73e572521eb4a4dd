/** Every XML importer, for the format registry and the sniffer. */
import type { Importer } from '../types';
import { nessusImporter } from './nessus';
import { nessusWasXmlImporter } from './nessus-was-xml';
import { nexposeXmlImporter } from './nexpose-xml';
import { nmapXmlImporter } from './nmap-xml';
import { openvasXmlImporter } from './openvas-xml';
import { qualysScanXmlImporter } from './qualys-scan-xml';
import { qualysXmlImporter } from './qualys-xml';

export const xmlImporters: Importer[] = [
  nessusImporter,
  nessusWasXmlImporter,
  openvasXmlImporter,
  qualysXmlImporter,
  qualysScanXmlImporter,
  nexposeXmlImporter,
  nmapXmlImporter,
];
