/** Shared helpers of the CSV/JSON importer tests: fixtures, record collection, error capture. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { expect } from 'vitest';
import { isVzError, type VzError } from '../../../../src-main/core/errors';
import {
  normalizedFindingSchema,
  type ImportRecord,
  type Importer,
  type NormalizedAsset,
  type NormalizedFinding,
  type ScanInfo,
} from '../../../../src-main/importers/types';

export const FIXTURES = join(import.meta.dirname, '../../../fixtures');

export function fixturePath(folder: string, name: string): string {
  return join(FIXTURES, folder, name);
}

export function fixtureBytes(folder: string, name: string): Buffer {
  return readFileSync(fixturePath(folder, name));
}

/** The bytes as a stream of small chunks, so records span chunk boundaries. */
export function streamOf(bytes: Buffer | string, chunkSize = 4096): Readable {
  const data = typeof bytes === 'string' ? Buffer.from(bytes, 'utf8') : bytes;
  const chunks: Buffer[] = [];
  for (let i = 0; i < data.length; i += chunkSize) chunks.push(data.subarray(i, i + chunkSize));
  return Readable.from(chunks);
}

export interface Collected {
  records: ImportRecord[];
  scans: ScanInfo[];
  assets: NormalizedAsset[];
  findings: NormalizedFinding[];
  notes: string[];
}

export async function collect(
  importer: Importer,
  input: Readable,
  fileName = 'test-file',
  signal?: AbortSignal,
): Promise<Collected> {
  const records: ImportRecord[] = [];
  for await (const record of importer.parse(input, { fileName, signal })) records.push(record);
  return split(records);
}

export function split(records: ImportRecord[]): Collected {
  const out: Collected = { records, scans: [], assets: [], findings: [], notes: [] };
  for (const record of records) {
    if (record.kind === 'scan') out.scans.push(record.scan);
    else if (record.kind === 'asset') out.assets.push(record.asset);
    else if (record.kind === 'finding') out.findings.push(record.finding);
    else out.notes.push(record.message);
  }
  return out;
}

/** Imports a fixture file; every finding is checked against the public schema. */
export async function importFixture(
  importer: Importer,
  folder: string,
  name: string,
  chunkSize?: number,
): Promise<Collected> {
  const result = await collect(importer, streamOf(fixtureBytes(folder, name), chunkSize), name);
  expectWellFormed(result);
  return result;
}

/** The contract of the record stream: one scan first, valid findings, assets before use. */
export function expectWellFormed(result: Collected): void {
  expect(result.scans).toHaveLength(1);
  expect(result.records[0]?.kind).toBe('scan');
  for (const finding of result.findings) normalizedFindingSchema.parse(finding);
  const seen: NormalizedAsset[] = [];
  for (const record of result.records) {
    if (record.kind === 'asset') seen.push(record.asset);
    if (record.kind === 'finding' && Object.keys(record.finding.asset).length > 0) {
      expect(seen).toContainEqual(record.finding.asset);
    }
  }
}

export async function captureError(run: () => Promise<unknown>): Promise<VzError> {
  try {
    await run();
  } catch (error) {
    if (isVzError(error)) return error;
    throw new Error(`expected a VzError, got ${String(error)}`, { cause: error });
  }
  throw new Error('expected the import to fail');
}

export function findingsWithKey(result: Collected, key: string): NormalizedFinding[] {
  return result.findings.filter((finding) => finding.vulnerability.key === key);
}
