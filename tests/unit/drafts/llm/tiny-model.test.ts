import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readGgufFileInfo } from 'node-llama-cpp';
import { describe, expect, it } from 'vitest';
import { encodeGguf, toHalf, TensorType } from '../../../../src-main/drafts/llm/gguf-writer';
import {
  buildTinyModel,
  mulberry32,
  TINY_MODEL,
  tinyVocab,
  writeTinyModel,
} from '../../../../src-main/drafts/llm/tiny-model';
import { tempDir } from './fixtures';

describe('tiny GGUF model', () => {
  it('is about 0.5 MB and deterministic for a seed', async () => {
    const dir = tempDir();
    const a = await writeTinyModel(join(dir, 'a.gguf'), { seed: 7 });
    const b = await writeTinyModel(join(dir, 'sub', 'b.gguf'), { seed: 7 });
    const c = await writeTinyModel(join(dir, 'c.gguf'), { seed: 8 });
    expect(a.size).toBeGreaterThan(400_000);
    expect(a.size).toBeLessThan(700_000);
    expect(a.sha256).toBe(b.sha256);
    expect(c.sha256).not.toBe(a.sha256);
    expect(c.size).toBe(a.size);
    const bytes = readFileSync(a.path);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(a.sha256);
    expect(bytes.length % 32).toBe(0);
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('GGUF');
    expect(bytes.readUInt32LE(4)).toBe(3);
  });

  it('has the llama metadata and tensors llama.cpp expects', async () => {
    const { path } = await writeTinyModel(join(tempDir(), 't.gguf'), { seed: 1 });
    const info = await readGgufFileInfo(path, { logWarnings: false });
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(meta.general).toMatchObject({
      architecture: 'llama',
      name: TINY_MODEL.name,
      file_type: 1, // MOSTLY_F16
      alignment: 32,
    });
    expect(meta.llama).toMatchObject({
      context_length: 4096,
      embedding_length: 64,
      block_count: 2,
      feed_forward_length: 128,
      attention: {
        head_count: 4,
        head_count_kv: 4,
        layer_norm_rms_epsilon: expect.closeTo(1e-5, 8),
      },
      rope: { dimension_count: 16 },
    });
    const tokenizer = meta.tokenizer?.ggml as Record<string, unknown>;
    expect(tokenizer).toMatchObject({
      model: 'llama',
      bos_token_id: 1,
      eos_token_id: 2,
      unknown_token_id: 0,
    });
    const tokens = tokenizer.tokens as string[];
    const types = tokenizer.token_type as number[];
    expect(tokens.length).toBeGreaterThan(300);
    expect(tokens.length).toBeLessThan(600);
    expect(tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(tokens[3 + 0x41]).toBe('<0x41>');
    expect(types[3 + 0x41]).toBe(6); // BYTE
    for (let b = 0x80; b <= 0xff; b++) expect(types[3 + b]).toBe(5); // UNUSED
    for (const piece of ['{', '}', '[', ']', '"', ':', ',', '▁', '▁a', '0', '9', 'z']) {
      expect(tokens).toContain(piece);
    }
    const names = (info.tensorInfo ?? []).map((t) => t.name);
    expect(names).toEqual([
      'token_embd.weight',
      ...[0, 1].flatMap((l) =>
        [
          'attn_norm',
          'attn_q',
          'attn_k',
          'attn_v',
          'attn_output',
          'ffn_norm',
          'ffn_gate',
          'ffn_up',
          'ffn_down',
        ].map((n) => `blk.${l}.${n}.weight`),
      ),
      'output_norm.weight',
      'output.weight',
    ]);
    const dims = Object.fromEntries(
      (info.tensorInfo ?? []).map((t) => [t.name, t.dimensions.map(Number)]),
    );
    expect(dims['token_embd.weight']).toEqual([64, tokens.length]);
    expect(dims['blk.1.ffn_down.weight']).toEqual([128, 64]);
    expect(dims['blk.0.ffn_gate.weight']).toEqual([64, 128]);
    expect(dims['output.weight']).toEqual([64, tokens.length]);
    for (const t of info.tensorInfo ?? []) {
      expect(Number(t.offset) % 32).toBe(0);
      const f16 = t.name === 'token_embd.weight' || t.name === 'output.weight';
      expect(t.ggmlType, t.name).toBe(f16 ? 1 : 0);
    }
  });

  it('vocabulary has unique pieces', () => {
    const { tokens, scores, types } = tinyVocab();
    expect(new Set(tokens).size).toBe(tokens.length);
    expect(scores).toHaveLength(tokens.length);
    expect(types).toHaveLength(tokens.length);
  });

  it('PRNG is deterministic and uniform-ish', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b()));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
    expect(Math.min(...xs)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...xs)).toBeLessThan(1);
    expect(buildTinyModel(3).equals(buildTinyModel(3))).toBe(true);
  });
});

describe('GGUF writer', () => {
  it('converts to half precision', () => {
    expect(toHalf(0)).toBe(0);
    expect(toHalf(1)).toBe(0x3c00);
    expect(toHalf(-2)).toBe(0xc000);
    expect(toHalf(65504)).toBe(0x7bff);
    expect(toHalf(1e6)).toBe(0x7c00);
    expect(toHalf(Number.NaN) & 0x7c00).toBe(0x7c00);
    expect(toHalf(5.960464477539063e-8)).toBe(1); // smallest subnormal
    expect(toHalf(0.333251953125)).toBe(0x3555);
  });

  it('writes F16 tensors and aligned offsets readable by node-llama-cpp', async () => {
    const bytes = encodeGguf(
      [
        ['general.architecture', { type: 'string', value: 'llama' }],
        ['x.u64', { type: 'u64', value: 5n }],
        ['x.i32', { type: 'i32', value: -3 }],
      ],
      [
        { name: 'a', dims: [3], type: TensorType.F16, data: new Float32Array([1, 2, 3]) },
        { name: 'b', dims: [2, 2], type: TensorType.F32, data: new Float32Array([1, 2, 3, 4]) },
      ],
      32,
    );
    const path = join(tempDir(), 'w.gguf');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(path, bytes);
    const info = await readGgufFileInfo(path, { logWarnings: false });
    const meta = info.metadata as unknown as Record<string, Record<string, unknown>>;
    expect(meta.x).toEqual({ u64: 5n, i32: -3 });
    expect(info.tensorInfo?.map((t) => [t.name, Number(t.offset), t.ggmlType])).toEqual([
      ['a', 0, 1],
      ['b', 32, 0],
    ]);
    const start = info.infoEndOffset ?? 0;
    expect(bytes.readUInt16LE(start + 2)).toBe(0x4000);
    expect(bytes.readFloatLE(start + 32 + 12)).toBe(4);
    expect(() =>
      encodeGguf([], [{ name: 'bad', dims: [2], type: TensorType.F32, data: new Float32Array(3) }]),
    ).toThrow(/3 values for dims 2/);
  });
});
