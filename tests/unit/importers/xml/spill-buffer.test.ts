import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { SpillBuffer } from '../../../../src-main/importers/xml/spill-buffer';

function spillDirs(): string[] {
  return readdirSync(tmpdir()).filter((name) => name.startsWith('vulnzero-import-'));
}

describe('SpillBuffer', () => {
  it('keeps small contents in memory, in order', async () => {
    const buffer = new SpillBuffer<{ n: number }>();
    for (let n = 0; n < 5; n++) buffer.push({ n });
    const before = spillDirs();
    const out: number[] = [];
    for await (const item of buffer.drain()) out.push(item.n);
    expect(out).toEqual([0, 1, 2, 3, 4]);
    expect(spillDirs()).toEqual(before);
  });

  it('moves to a temporary file past its memory budget, keeps order, and removes the file', async () => {
    const before = new Set(spillDirs());
    const buffer = new SpillBuffer<{ n: number; text: string }>(200);
    for (let n = 0; n < 1000; n++) buffer.push({ n, text: `line\nwith "quotes" ${n}` });
    const created = spillDirs().filter((d) => !before.has(d));
    expect(created).toHaveLength(1);
    expect(buffer.size).toBe(1000);
    let expected = 0;
    for await (const item of buffer.drain()) {
      expect(item).toEqual({ n: expected, text: `line\nwith "quotes" ${expected}` });
      expected++;
    }
    expect(expected).toBe(1000);
    expect(spillDirs().filter((d) => !before.has(d))).toEqual([]);
  });

  it('removes its file when disposed without being drained (failed import)', () => {
    const before = new Set(spillDirs());
    const buffer = new SpillBuffer<string>(10);
    for (let n = 0; n < 50; n++) buffer.push(`item ${n}`);
    expect(spillDirs().filter((d) => !before.has(d))).toHaveLength(1);
    buffer.dispose();
    expect(spillDirs().filter((d) => !before.has(d))).toEqual([]);
  });
});
