/**
 * A tiny random-weight llama model (about 0.5 MB) for tests, benchmarks and operators who
 * want to try the LLM path without a real model. Its output is gibberish, but generation
 * under a JSON-schema grammar still yields schema-valid JSON, which is what the tests need.
 *
 * Deterministic: the same seed always gives byte-identical files.
 */
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { encodeGguf, TensorType, type MetadataValue, type TensorSpec } from './gguf-writer';

export const TINY_MODEL = {
  name: 'vulnzero-tiny-random',
  embedding: 64,
  layers: 2,
  heads: 4,
  headsKv: 4,
  feedForward: 128,
  contextLength: 4096,
} as const;

/** llama.cpp token types (tokenizer.ggml.token_type). */
const TOKEN = { NORMAL: 1, UNKNOWN: 2, CONTROL: 3, UNUSED: 5, BYTE: 6 } as const;

/** 32-bit seeded PRNG (mulberry32): small, fast and good enough for random weights. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Frequent words of the prompt. Each is added with every "▁"-prefixed prefix ("▁t", "▁th",
 * "▁the"), because SentencePiece merges only reach pieces whose parts are in the vocabulary.
 */
const COMMON_WORDS = (
  'the and or of to in on for is are be by it as at with from that not never any if you ' +
  'must data block script scripts host finding fix package version install installed ' +
  'update service restart risk notes exit print only untrusted instructions'
).split(' ');

interface Vocab {
  tokens: string[];
  scores: number[];
  types: number[];
}

/**
 * SentencePiece-style vocabulary: <unk>, <s>, </s>; the 256 byte tokens (0x80-0xFF marked
 * UNUSED so the model can never emit a lone UTF-8 continuation byte); the word-boundary
 * piece "▁" (a space once decoded); every printable ASCII character; "▁"-prefixed letters
 * and digits; a few multi-character pieces common in JSON and shell scripts.
 */
export function tinyVocab(): Vocab {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TOKEN.UNKNOWN, TOKEN.CONTROL, TOKEN.CONTROL];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(b < 0x80 ? TOKEN.BYTE : TOKEN.UNUSED);
  }
  const pieces: string[] = ['▁'];
  for (let c = 0x21; c <= 0x7e; c++) pieces.push(String.fromCharCode(c));
  const alnum = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  for (const ch of alnum) pieces.push(`▁${ch}`);
  for (const ch of '{}[]":,-/|$.\'') pieces.push(`▁${ch}`);
  pieces.push(
    ...[
      '":',
      '",',
      '{"',
      '"}',
      '▁"',
      'sh',
      'echo',
      '▁echo',
      'apt',
      'get',
      'dpkg',
      'true',
      'false',
      'low',
      'medium',
      'high',
      'risk',
      'notes',
      'apply',
      'verify',
      'precheck',
      'rollback',
      'metadata',
      'reboot',
      'service',
      'restart',
      '\\n',
      'exit',
      'if',
      'then',
      'fi',
      ...COMMON_WORDS.flatMap((w) => [...w].map((_c, i) => `▁${w.slice(0, i + 1)}`)),
    ].filter((p) => !pieces.includes(p)),
  );
  const scores: number[] = tokens.map(() => 0);
  [...new Set(pieces)].forEach((p, i) => {
    tokens.push(p);
    types.push(TOKEN.NORMAL);
    // Longer pieces score higher, so the SentencePiece merge prefers them.
    scores.push(-1000 + [...p].length * 100 - i * 0.01);
  });
  return { tokens, scores, types };
}

/** The GGUF bytes of the tiny model for a seed. */
export function buildTinyModel(seed = 1): Buffer {
  const { embedding: e, layers, heads, headsKv, feedForward: ff, contextLength } = TINY_MODEL;
  const vocab = tinyVocab();
  const nVocab = vocab.tokens.length;
  const rand = mulberry32(seed);
  const random = (n: number, scale: number): Float32Array => {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = (rand() * 2 - 1) * scale;
    return a;
  };
  const ones = (n: number): Float32Array => new Float32Array(n).fill(1);
  const headDim = e / heads;
  const kvDim = headDim * headsKv;
  const w = 1 / Math.sqrt(e);

  const tensors: TensorSpec[] = [
    // The two vocabulary-sized matrices in F16 (as in real F16 conversions), the rest F32.
    {
      name: 'token_embd.weight',
      dims: [e, nVocab],
      type: TensorType.F16,
      data: random(e * nVocab, 1),
    },
  ];
  for (let l = 0; l < layers; l++) {
    const t = (name: string, dims: number[], data: Float32Array): void => {
      tensors.push({ name: `blk.${l}.${name}.weight`, dims, type: TensorType.F32, data });
    };
    t('attn_norm', [e], ones(e));
    t('attn_q', [e, e], random(e * e, w));
    t('attn_k', [e, kvDim], random(e * kvDim, w));
    t('attn_v', [e, kvDim], random(e * kvDim, w));
    t('attn_output', [e, e], random(e * e, w));
    t('ffn_norm', [e], ones(e));
    t('ffn_gate', [e, ff], random(e * ff, w));
    t('ffn_up', [e, ff], random(e * ff, w));
    t('ffn_down', [ff, e], random(ff * e, 1 / Math.sqrt(ff)));
  }
  tensors.push(
    { name: 'output_norm.weight', dims: [e], type: TensorType.F32, data: ones(e) },
    {
      name: 'output.weight',
      dims: [e, nVocab],
      type: TensorType.F16,
      data: random(e * nVocab, w * 4),
    },
  );

  const metadata: Array<readonly [string, MetadataValue]> = [
    ['general.architecture', { type: 'string', value: 'llama' }],
    ['general.name', { type: 'string', value: TINY_MODEL.name }],
    ['general.file_type', { type: 'u32', value: 1 }], // MOSTLY_F16
    ['general.alignment', { type: 'u32', value: 32 }],
    ['llama.context_length', { type: 'u32', value: contextLength }],
    ['llama.embedding_length', { type: 'u32', value: e }],
    ['llama.block_count', { type: 'u32', value: layers }],
    ['llama.feed_forward_length', { type: 'u32', value: ff }],
    ['llama.attention.head_count', { type: 'u32', value: heads }],
    ['llama.attention.head_count_kv', { type: 'u32', value: headsKv }],
    ['llama.rope.dimension_count', { type: 'u32', value: headDim }],
    ['llama.rope.freq_base', { type: 'f32', value: 10000 }],
    ['llama.attention.layer_norm_rms_epsilon', { type: 'f32', value: 1e-5 }],
    ['llama.vocab_size', { type: 'u32', value: nVocab }],
    ['tokenizer.ggml.model', { type: 'string', value: 'llama' }],
    ['tokenizer.ggml.tokens', { type: 'string[]', value: vocab.tokens }],
    ['tokenizer.ggml.scores', { type: 'f32[]', value: vocab.scores }],
    ['tokenizer.ggml.token_type', { type: 'i32[]', value: vocab.types }],
    ['tokenizer.ggml.unknown_token_id', { type: 'u32', value: 0 }],
    ['tokenizer.ggml.bos_token_id', { type: 'u32', value: 1 }],
    ['tokenizer.ggml.eos_token_id', { type: 'u32', value: 2 }],
    ['tokenizer.ggml.add_bos_token', { type: 'bool', value: true }],
    ['tokenizer.ggml.add_eos_token', { type: 'bool', value: false }],
  ];
  return encodeGguf(metadata, tensors, 32);
}

export interface WrittenModel {
  path: string;
  size: number;
  sha256: string;
}

/** Writes the tiny model to `path` (parent folders created) and returns its size and hash. */
export async function writeTinyModel(
  path: string,
  options: { seed?: number } = {},
): Promise<WrittenModel> {
  const bytes = buildTinyModel(options.seed ?? 1);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, bytes);
  return { path, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}
