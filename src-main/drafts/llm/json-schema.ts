/**
 * The JSON schema that constrains the model's output (through node-llama-cpp's
 * createGrammarForJsonSchema). It mirrors `draftContent` in src-preload/drafts-schemas.ts,
 * with tighter string and array limits so generation always ends within a bounded number
 * of tokens; the parsed result is validated again with the zod schema.
 */
import type { GbnfJsonSchema } from 'node-llama-cpp';

export interface OutputLimits {
  /** Maximum characters per script (the grammar's maxLength). */
  scriptChars: number;
  /** Maximum characters of metadata.notes. */
  notesChars: number;
  /** Maximum entries of metadata.servicesToRestart. */
  services: number;
  /** Maximum characters per service name. */
  serviceChars: number;
}

/** Defaults for real models: big enough for real scripts, far below the zod limits. */
export const DEFAULT_OUTPUT_LIMITS: OutputLimits = {
  scriptChars: 4000,
  notesChars: 1000,
  services: 10,
  serviceChars: 64,
};

/** The zod schema's own bounds; limits above these would let invalid output through. */
const ZOD_BOUNDS: OutputLimits = {
  scriptChars: 65_536,
  notesChars: 4000,
  services: 20,
  serviceChars: 100,
};

export function clampLimits(limits: Partial<OutputLimits> = {}): OutputLimits {
  const out = { ...DEFAULT_OUTPUT_LIMITS };
  for (const key of Object.keys(out) as Array<keyof OutputLimits>) {
    const v = limits[key];
    if (v === undefined) continue;
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`Output limit ${key} must be a positive integer.`);
    out[key] = Math.min(v, ZOD_BOUNDS[key]);
  }
  return out;
}

export function draftJsonSchema(limits: OutputLimits = DEFAULT_OUTPUT_LIMITS) {
  const script = { type: 'string', minLength: 1, maxLength: limits.scriptChars } as const;
  return {
    type: 'object',
    properties: {
      precheck: script,
      apply: script,
      verify: script,
      rollback: script,
      metadata: {
        type: 'object',
        properties: {
          risk: { enum: ['low', 'medium', 'high'] },
          rebootNeeded: { type: 'boolean' },
          servicesToRestart: {
            type: 'array',
            items: { type: 'string', minLength: 1, maxLength: limits.serviceChars },
            maxItems: limits.services,
          },
          notes: { type: 'string', maxLength: limits.notesChars },
        },
      },
    },
  } as const satisfies GbnfJsonSchema;
}

/** One line for the prompt: the grammar's limits, so the model knows them. */
export function limitsSentence(limits: OutputLimits): string {
  return (
    `Limits: each script at most ${limits.scriptChars} characters; notes at most ` +
    `${limits.notesChars} characters; at most ${limits.services} services.`
  );
}
