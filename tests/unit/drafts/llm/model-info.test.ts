import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { VzError } from '../../../../src-main/core/errors';
import { inspectModel, sha256File } from '../../../../src-main/drafts/llm/model-info';
import type { WrittenModel } from '../../../../src-main/drafts/llm/tiny-model';
import { tempDir, tinyModel } from './fixtures';

async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof VzError) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error('expected a rejection');
}

describe('model info', () => {
  let tiny: WrittenModel;
  let dir: string;
  beforeAll(async () => {
    tiny = await tinyModel();
    dir = tempDir();
  });

  it('reads size, hash and GGUF metadata of the tiny model', async () => {
    const info = await inspectModel(tiny.path);
    expect(info.size).toBe(tiny.size);
    expect(info.sha256).toBe(tiny.sha256);
    expect(info.name).toBe('vulnzero-tiny-random');
    expect(info.metadata.architecture).toBe('llama');
    expect(info.metadata.contextLength).toBe(4096);
    expect(info.metadata.quantization).toBe('F16');
    // Parameters counted from the tensor shapes: (4 x 64 x 64 + 3 x 64 x 128 + 2 x 64) per
    // layer, embeddings and output (64 x vocab each), the output norm.
    const perLayer = 4 * 64 * 64 + 3 * 64 * 128 + 2 * 64;
    const params = info.metadata.parameters ?? 0;
    expect((params - 2 * perLayer - 64) % 128).toBe(0); // 2 x 64 x nVocab
    const nVocab = (params - 2 * perLayer - 64) / 128;
    expect(nVocab).toBeGreaterThan(300);
    expect(nVocab).toBeLessThan(600);
    expect(info.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Small context \(4096 tokens\)/),
        expect.stringMatching(/Very small model/),
        expect.stringMatching(/No chat template/),
      ]),
    );
    expect(info.warnings.some((w) => /architecture/.test(w))).toBe(false);
  });

  it('streams the SHA-256', async () => {
    expect(await sha256File(tiny.path)).toBe(tiny.sha256);
  });

  it('warns about an unknown architecture and a missing .gguf extension', async () => {
    const bytes = readFileSync(tiny.path);
    // Same length "llama" -> "zzzzz" keeps the file valid.
    const patched = Buffer.from(bytes);
    const at = patched.indexOf(Buffer.from('llama'));
    patched.write('zzzzz', at, 'latin1');
    const path = join(dir, 'weird.bin');
    writeFileSync(path, patched);
    const info = await inspectModel(path);
    expect(info.metadata.architecture).toBe('zzzzz');
    expect(info.warnings).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/Unknown architecture "zzzzz"/),
        expect.stringMatching(/does not end in \.gguf/),
        expect.stringMatching(/does not state its context length/),
      ]),
    );
  });

  it.each([
    [
      'a text file',
      () => Buffer.from('this is not a model\n'),
      /does not start with the GGUF signature/,
    ],
    ['random bytes', () => randomBytes(4096), /does not start with the GGUF signature/],
    ['an empty file', () => Buffer.alloc(0), /does not start with the GGUF signature/],
    [
      'a header cut after 100 bytes',
      (b: Buffer) => b.subarray(0, 100),
      /truncated|cannot be parsed/,
    ],
    [
      'a file cut in the tensor data',
      (b: Buffer) => b.subarray(0, 300_000),
      /truncated \(300000 bytes/,
    ],
    [
      'the wrong GGUF version',
      (b: Buffer) => Buffer.concat([b.subarray(0, 4), Buffer.from([9, 0, 0, 0]), b.subarray(8)]),
      /unsupported GGUF version 9/,
    ],
  ])('refuses %s with MODEL_INVALID', async (_name, make, message) => {
    const path = join(dir, `bad-${randomBytes(4).toString('hex')}.gguf`);
    writeFileSync(path, make(readFileSync(tiny.path)));
    const err = await codeOf(inspectModel(path));
    expect(err.code).toBe('MODEL_INVALID');
    expect(err.message).toMatch(/is not a usable GGUF model/);
    expect(err.message).toMatch(message);
  });

  it('refuses a missing file and a directory', async () => {
    expect((await codeOf(inspectModel(join(dir, 'nope.gguf')))).message).toMatch(/cannot be read/);
    const sub = join(dir, 'folder.gguf');
    mkdirSync(sub);
    expect((await codeOf(inspectModel(sub))).message).toMatch(/not a regular file/);
  });
});
