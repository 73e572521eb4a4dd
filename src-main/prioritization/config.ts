/**
 * The vault's prioritization tuning (settings key `prioritization`): score weights, SLA
 * days per SSVC decision and the EPSS threshold that counts as a proof of concept.
 * Validated on write; anything not given keeps its default.
 */
import { z } from 'zod';
import { VzError } from '../core/errors';
import { readSetting } from '../vault/settings';
import type { Db } from '../vault/sqlcipher';
import { DEFAULT_SCORE_CONFIG, type ScoreConfig } from './score';
import { DEFAULT_SLA_DAYS, type SlaDays } from './sla';
import { DEFAULT_SSVC_CONFIG } from './ssvc';

export const PRIORITIZATION_SETTING = 'prioritization';

const days = z.number().int().min(0).max(3650);
export const prioritizationSchema = z
  .object({
    weights: z
      .object({
        cvss: z.number(),
        epss: z.number(),
        kev: z.number(),
        ransomware: z.number(),
        criticality: z.number(),
        exposure: z.number(),
      })
      .partial()
      .refine((w) => Object.values(w).every((v) => v >= 0 && v <= 100), 'weights are 0..100')
      .optional(),
    slaDays: z
      .object({ Immediate: days, 'Out-of-cycle': days, Scheduled: days, Defer: days })
      .partial()
      .optional(),
    epssPocThreshold: z.number().min(0).max(1).optional(),
    /** Days after which a feed counts as stale (warnings in feed status and on the dashboard). */
    maxFeedAgeDays: z.object({ kev: days, epss: days, nvd: days, cve5: days }).partial().optional(),
  })
  .strict();
export type PrioritizationSettings = z.infer<typeof prioritizationSchema>;

export interface PrioritizationConfig {
  score: ScoreConfig;
  slaDays: SlaDays;
  epssPocThreshold: number;
}

export function resolveConfig(settings: PrioritizationSettings): PrioritizationConfig {
  return {
    score: {
      ...DEFAULT_SCORE_CONFIG,
      weights: { ...DEFAULT_SCORE_CONFIG.weights, ...settings.weights },
    },
    slaDays: { ...DEFAULT_SLA_DAYS, ...settings.slaDays },
    epssPocThreshold: settings.epssPocThreshold ?? DEFAULT_SSVC_CONFIG.epssPocThreshold,
  };
}

export function readPrioritization(db: Db): PrioritizationSettings {
  const stored = readSetting<unknown>(db, PRIORITIZATION_SETTING, null);
  const parsed = stored === null ? null : prioritizationSchema.safeParse(stored);
  return parsed?.success ? parsed.data : {};
}

export function parsePrioritization(value: unknown): PrioritizationSettings {
  const parsed = prioritizationSchema.safeParse(value);
  if (!parsed.success) {
    throw new VzError(
      'INVALID_INPUT',
      `Invalid prioritization settings: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
