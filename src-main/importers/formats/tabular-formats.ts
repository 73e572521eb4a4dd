/**
 * The CSV and JSON importers, in the order `vulnzero formats` lists them. Detection
 * compares sniff scores across all importers, so order only breaks exact ties.
 */
import type { Importer } from '../types';
import { grypeJsonImporter } from './grype-json';
import { nessusCsvImporter } from './nessus-csv';
import { nessusWasCsvImporter } from './nessus-was-csv';
import { openvasCsvImporter } from './openvas-csv';
import { qualysCsvImporter } from './qualys-csv';
import { tenableScCsvImporter } from './tenable-sc-csv';
import { tenableVmCsvImporter } from './tenable-vm-csv';
import { trivyJsonImporter } from './trivy-json';
import { wazuhJsonImporter } from './wazuh-json';

export const tabularImporters: Importer[] = [
  nessusCsvImporter,
  tenableScCsvImporter,
  tenableVmCsvImporter,
  nessusWasCsvImporter,
  openvasCsvImporter,
  qualysCsvImporter,
  wazuhJsonImporter,
  trivyJsonImporter,
  grypeJsonImporter,
];
