/**
 * Mutation fuzzing over every fixture: flipped, inserted and deleted bytes and random
 * truncation. Each variant must parse to the end or fail with a typed VzError, never
 * another exception and never a hang (a per-variant deadline catches hangs).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { isVzError } from '../../../src-main/core/errors';
import { IMPORTERS } from '../../../src-main/importers/registry';
import { FIXTURES } from '../../helpers/import';
import { mutate, rng } from '../../fuzz/mutate';

function fixtureFiles(): { path: string; format: string }[] {
  const files: { path: string; format: string }[] = [];
  for (const dir of readdirSync(FIXTURES)) {
    const full = join(FIXTURES, dir);
    if (!statSync(full).isDirectory() || dir === 'feeds') continue;
    for (const name of readdirSync(full)) {
      if (name.startsWith('SOURCES') || statSync(join(full, name)).size > 1_600_000) continue;
      const head = readFileSync(join(full, name)).subarray(0, 65536).toString('utf8');
      let best = { format: '', score: 0 };
      for (const i of IMPORTERS) {
        const score = i.sniff(head, name);
        if (score > best.score) best = { format: i.format, score };
      }
      if (best.score >= 0.5) files.push({ path: join(full, name), format: best.format });
    }
  }
  return files;
}

async function parseAll(format: string, bytes: Buffer): Promise<string> {
  const importer = IMPORTERS.find((i) => i.format === format);
  if (!importer) throw new Error(format);
  const deadline = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error('hang: no result in 10 s')), 10_000).unref(),
  );
  const work = (async () => {
    try {
      for await (const record of importer.parse(Readable.from([bytes]), { fileName: 'fuzz' }))
        void record;
      return 'ok' as const;
    } catch (error) {
      if (isVzError(error)) return error.code;
      throw error;
    }
  })();
  return Promise.race([work, deadline]);
}

describe('mutated scanner files', () => {
  const files = fixtureFiles();

  it('covers every format', () => {
    expect(new Set(files.map((f) => f.format)).size).toBe(IMPORTERS.length);
  });

  it('never crash or hang: each variant imports or fails with a typed error', async () => {
    const random = rng(20261125);
    const outcomes = new Map<string, number>();
    for (const file of files) {
      const bytes = readFileSync(file.path);
      for (let i = 0; i < 30; i += 1) {
        const outcome = await parseAll(file.format, mutate(bytes, random));
        outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      }
    }
    expect([...outcomes.keys()].every((k) => k === 'ok' || /^IMPORT_[A-Z_]+$/.test(k))).toBe(true);
    expect(outcomes.get('ok')).toBeGreaterThan(0);
    expect(outcomes.get('IMPORT_MALFORMED')).toBeGreaterThan(0);
  }, 300_000);
});
