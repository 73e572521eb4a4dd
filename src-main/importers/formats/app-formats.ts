/**
 * The application and SBOM importers (docs/importers-app.md): code scanners (SARIF), SBOMs
 * with VEX (CycloneDX) and dependency reports. Their asset is the software they describe,
 * except Defender's, which reports machines.
 */
import type { Importer } from '../types';
import { cycloneDxImporter } from './cyclonedx';
import { dependencyCheckImporter } from './dependency-check';
import { msDefenderImporter } from './ms-defender';
import { npmAuditImporter } from './npm-audit';
import { npmAudit7Importer } from './npm-audit-7-plus';
import { osvScannerImporter } from './osv-scanner';
import { sarifImporter } from './sarif';
import { yarnAuditImporter } from './yarn-audit';

export const appImporters: Importer[] = [
  sarifImporter,
  cycloneDxImporter,
  osvScannerImporter,
  dependencyCheckImporter,
  npmAuditImporter,
  npmAudit7Importer,
  yarnAuditImporter,
  msDefenderImporter,
];
