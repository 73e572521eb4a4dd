/**
 * What the model registry records about a GGUF file the operator adds: size, SHA-256 and
 * the GGUF metadata that matters to an operator (architecture, parameters, context length,
 * quantization), plus warnings for anything unusual. Reads only the file's header and
 * streams the hash; the model is never loaded here.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { GgufFileInfo } from 'node-llama-cpp';
import { VzError } from '../../core/errors';

export interface ModelMetadata {
  architecture: string | null;
  parameters: number | null;
  contextLength: number | null;
  quantization: string | null;
}

export interface ModelFileInfo {
  /** general.name from the file, else the file name. */
  name: string;
  path: string;
  size: number;
  sha256: string;
  metadata: ModelMetadata;
  warnings: string[];
}

/**
 * Architectures llama.cpp (as bundled in node-llama-cpp 3.21) runs as text generators and
 * that are common for instruction-tuned models. Others may still load; they get a warning.
 */
export const KNOWN_ARCHITECTURES: ReadonlySet<string> = new Set([
  'llama',
  'llama4',
  'mistral3',
  'qwen2',
  'qwen2moe',
  'qwen3',
  'qwen3moe',
  'gemma',
  'gemma2',
  'gemma3',
  'phi2',
  'phi3',
  'phimoe',
  'granite',
  'granitemoe',
  'deepseek',
  'deepseek2',
  'command-r',
  'cohere2',
  'olmo',
  'olmo2',
  'exaone',
  'starcoder2',
  'falcon',
  'gptneox',
  'stablelm',
  'internlm2',
  'smollm3',
  'gpt-oss',
]);

export const SMALL_CONTEXT = 8192;
export const HUGE_CONTEXT = 1_048_576;
const SMALL_MODEL_BYTES = 16 * 1024 * 1024;

/** ggml block size and bytes per block, for the truncation check. */
const GGML_TYPE_SIZES: Readonly<Record<number, readonly [block: number, bytes: number]>> = {
  0: [1, 4], // F32
  1: [1, 2], // F16
  2: [32, 18], // Q4_0
  3: [32, 20], // Q4_1
  6: [32, 22], // Q5_0
  7: [32, 24], // Q5_1
  8: [32, 34], // Q8_0
  9: [32, 36], // Q8_1
  10: [256, 84], // Q2_K
  11: [256, 110], // Q3_K
  12: [256, 144], // Q4_K
  13: [256, 176], // Q5_K
  14: [256, 210], // Q6_K
  15: [256, 292], // Q8_K
  16: [256, 66], // IQ2_XXS
  17: [256, 74], // IQ2_XS
  18: [256, 98], // IQ3_XXS
  19: [256, 50], // IQ1_S
  20: [32, 18], // IQ4_NL
  21: [256, 110], // IQ3_S
  22: [256, 82], // IQ2_S
  23: [256, 136], // IQ4_XS
  24: [1, 1], // I8
  25: [1, 2], // I16
  26: [1, 4], // I32
  27: [1, 8], // I64
  28: [1, 8], // F64
  29: [256, 56], // IQ1_M
  30: [1, 2], // BF16
};

/** SHA-256 of a file, streamed (models are gigabytes). */
export async function sha256File(path: string, signal?: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(path), hash, signal ? { signal } : {});
  return hash.digest('hex');
}

function invalid(path: string, why: string): VzError {
  return new VzError('MODEL_INVALID', `${basename(path)} is not a usable GGUF model: ${why}.`, {
    path,
  });
}

async function readMagic(path: string): Promise<Buffer> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(8);
    const { bytesRead } = await fh.read(buf, 0, 8, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

function toNumber(v: unknown): number | null {
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'bigint') return Number(v);
  return null;
}

/** Sum of the element counts of every tensor. */
export function countParameters(info: GgufFileInfo): number | null {
  const tensors = info.fullTensorInfo ?? info.tensorInfo;
  if (!tensors || tensors.length === 0) return null;
  let total = 0;
  for (const t of tensors) total += t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
  return total;
}

/** The byte just past the last tensor's data, or null when a type's size is unknown. */
function dataEnd(info: GgufFileInfo): { end: number; exact: boolean } {
  let end = info.infoEndOffset ?? 0;
  let exact = true;
  for (const t of info.tensorInfo ?? []) {
    const count = t.dimensions.reduce<number>((a, d) => a * Number(d), 1);
    const size = GGML_TYPE_SIZES[t.ggmlType];
    const start = Number(t.fileOffset);
    if (!size) {
      exact = false;
      end = Math.max(end, start + 1);
      continue;
    }
    end = Math.max(end, start + Math.ceil(count / size[0]) * size[1]);
  }
  return { end, exact };
}

function quantizationName(
  fileType: unknown,
  names: Record<number, string | undefined>,
): string | null {
  const n = toNumber(fileType);
  if (n == null) return null;
  const name = names[n];
  return name ? name.replace(/^MOSTLY_/, '') : `unknown (${n})`;
}

/**
 * Inspects a model file. Throws VzError('MODEL_INVALID') for a missing, non-GGUF or
 * truncated file; anything merely unusual becomes a warning.
 */
export async function inspectModel(
  path: string,
  options: { signal?: AbortSignal; totalMemoryBytes?: number } = {},
): Promise<ModelFileInfo> {
  let size: number;
  try {
    const st = await stat(path);
    if (!st.isFile()) throw invalid(path, 'it is not a regular file');
    size = st.size;
  } catch (e) {
    if (e instanceof VzError) throw e;
    throw invalid(path, 'the file cannot be read');
  }
  const magic = await readMagic(path);
  if (magic.length < 8 || magic.toString('latin1', 0, 4) !== 'GGUF') {
    throw invalid(path, 'it does not start with the GGUF signature (is it a GGUF file?)');
  }
  const version = magic.readUInt32LE(4);
  if (version < 2 || version > 3) throw invalid(path, `unsupported GGUF version ${version}`);

  // Loaded on first use: importing node-llama-cpp takes ~0.4 s, which every CLI command
  // would otherwise pay.
  const { readGgufFileInfo, GgufFileType } = await import('node-llama-cpp');
  let info: GgufFileInfo;
  try {
    info = await readGgufFileInfo(path, {
      sourceType: 'filesystem',
      logWarnings: false,
      spliceSplitFiles: false,
      ...(options.signal ? { signal: options.signal } : {}),
    });
  } catch (e) {
    throw invalid(
      path,
      `its header cannot be parsed (${e instanceof Error ? e.message : 'unknown error'})`,
    );
  }
  const { end, exact } = dataEnd(info);
  if (end > size) {
    throw invalid(
      path,
      `it is truncated (${size} bytes, the tensors need ${exact ? '' : 'at least '}${end})`,
    );
  }

  const sha256 = await sha256File(path, options.signal);
  const general = info.metadata.general as Record<string, unknown> | undefined;
  const architecture = typeof general?.architecture === 'string' ? general.architecture : null;
  const archMeta = architecture
    ? ((info.metadata as unknown as Record<string, Record<string, unknown> | undefined>)[
        architecture
      ] ?? {})
    : {};
  const contextLength = toNumber(archMeta.context_length);
  const metadata: ModelMetadata = {
    architecture,
    parameters: countParameters(info),
    contextLength,
    quantization: quantizationName(general?.file_type, GgufFileType),
  };

  const warnings: string[] = [];
  if (!path.toLowerCase().endsWith('.gguf')) warnings.push('The file name does not end in .gguf.');
  if (!architecture) warnings.push('The file does not name its architecture.');
  else if (!KNOWN_ARCHITECTURES.has(architecture)) {
    warnings.push(
      `Unknown architecture "${architecture}": it may not load, or may not follow instructions.`,
    );
  }
  if (contextLength == null) warnings.push('The file does not state its context length.');
  else if (contextLength < SMALL_CONTEXT) {
    warnings.push(
      `Small context (${contextLength} tokens): long evidence will be cut or may not fit.`,
    );
  } else if (contextLength > HUGE_CONTEXT) {
    warnings.push(`Very large context (${contextLength} tokens): the app uses a smaller window.`);
  }
  if (metadata.quantization == null) warnings.push('The file does not state its quantization.');
  if (size < SMALL_MODEL_BYTES) {
    warnings.push('Very small model: likely a test model; its drafts will not be useful.');
  }
  if (options.totalMemoryBytes && size > options.totalMemoryBytes * 0.75) {
    warnings.push('The model is larger than 75% of this machine’s memory: it may not load.');
  }
  const tokenizer = info.metadata.tokenizer as Record<string, unknown> | undefined;
  if (typeof tokenizer?.chat_template !== 'string') {
    warnings.push('No chat template: a generic prompt format is used.');
  }

  const name =
    typeof general?.name === 'string' && general.name.trim() !== ''
      ? general.name.trim().slice(0, 200)
      : basename(path);
  return { name, path, size, sha256, metadata, warnings };
}
