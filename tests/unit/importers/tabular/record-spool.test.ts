import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { RecordSpool } from '../../../../src-main/importers/common/record-spool';

const record = z.object({ n: z.number(), text: z.string() });
const revive = (value: unknown) => record.parse(value);

function spoolDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('vulnzero-spool-'));
}

async function drainAll<T>(spool: RecordSpool<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of spool.drain()) out.push(item);
  return out;
}

describe('RecordSpool', () => {
  const items = Array.from({ length: 300 }, (_, n) => ({ n, text: `line ${n}\nwith "quotes" ✓` }));

  it('returns records in order from memory', async () => {
    const spool = new RecordSpool(revive);
    for (const item of items) await spool.push(item);
    expect(spool.size).toBe(300);
    expect(await drainAll(spool)).toEqual(items);
    await spool.dispose();
  });

  it('spills past its budget to a private temporary file, removed by dispose', async () => {
    const before = spoolDirs();
    const spool = new RecordSpool(revive, 1000);
    for (const item of items) await spool.push(item);
    const created = spoolDirs().filter((name) => !before.includes(name));
    expect(created).toHaveLength(1);
    expect(await drainAll(spool)).toEqual(items);
    await spool.dispose();
    expect(existsSync(`${tmpdir()}/${created[0] ?? ''}`)).toBe(false);
  });

  it('cleans up when disposed before draining', async () => {
    const before = spoolDirs();
    const spool = new RecordSpool(revive, 0);
    await spool.push({ n: 1, text: 'x' });
    await spool.dispose();
    await spool.dispose();
    expect(spoolDirs().filter((name) => !before.includes(name))).toEqual([]);
  });
});
