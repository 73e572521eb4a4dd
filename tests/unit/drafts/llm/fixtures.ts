/** Shared fixtures of the LLM tests: the tiny model in a temp dir and sample findings. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeTinyModel, type WrittenModel } from '../../../../src-main/drafts/llm/tiny-model';
import type { LlmFinding } from '../../../../src-main/drafts/llm/prompt';
import type { OutputLimits } from '../../../../src-main/drafts/llm/json-schema';

export function tempDir(prefix = 'vz-llm-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export async function tinyModel(seed = 1): Promise<WrittenModel> {
  return writeTinyModel(join(tempDir(), `tiny-${seed}.gguf`), { seed });
}

/** Small grammar limits so the random model always closes its JSON within the token cap. */
export const TEST_LIMITS: OutputLimits = {
  scriptChars: 24,
  notesChars: 24,
  services: 2,
  serviceChars: 12,
};
export const TEST_MAX_TOKENS = 600;

export const BENIGN: LlmFinding = {
  title: 'OpenSSL < 3.0.13 multiple vulnerabilities',
  severity: 'high',
  cves: ['CVE-2024-0727', 'CVE-2023-5678'],
  assetName: 'web-01.example.lan',
  os: 'Ubuntu 22.04.3 LTS',
  port: 443,
  protocol: 'tcp',
  service: 'https',
  component: {
    name: 'openssl',
    installedVersion: '3.0.2-0ubuntu1.12',
    fixedVersion: '3.0.2-0ubuntu1.14',
  },
  evidence:
    'Installed package : openssl_3.0.2-0ubuntu1.12\nFixed package     : openssl_3.0.2-0ubuntu1.14',
  description:
    'The remote Ubuntu host has a package installed that is affected by multiple vulnerabilities.',
  solution: 'Update the affected openssl package.',
};
