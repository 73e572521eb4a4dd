import type { AssetCriticality, AssetExposure } from './ssvc';

/**
 * VulnZero risk score, 0..100: a sum of points, each component's points = its weight ×
 * a factor in 0..1, so the breakdown adds up to the score an operator sees (before the
 * final clamp and rounding). The weights are a policy, not a standard: they live in a
 * config object and docs/prioritization.md explains the defaults.
 */
export interface ScoreWeights {
  cvss: number;
  epss: number;
  kev: number;
  ransomware: number;
  criticality: number;
  exposure: number;
}

export interface ScoreConfig {
  weights: ScoreWeights;
  /** CVSS-equivalent base score per severity label (lower case), for findings without a score. */
  severityScores: Record<string, number>;
  /** CVSS-equivalent used when neither a score nor a severity is known. */
  unknownSeverityScore: number;
  criticalityFactors: Record<AssetCriticality, number>;
  exposureFactors: Record<AssetExposure, number>;
  unknownCriticality: AssetCriticality;
  unknownExposure: AssetExposure;
}

export const DEFAULT_SCORE_CONFIG: ScoreConfig = {
  weights: { cvss: 35, epss: 20, kev: 20, ransomware: 5, criticality: 10, exposure: 10 },
  // Mid-points of the CVSS v3 qualitative ranges (low 0.1-3.9, medium 4.0-6.9, high
  // 7.0-8.9, critical 9.0-10.0).
  // Scanner vocabularies (informational, moderate, important) map onto the same ranges.
  severityScores: {
    none: 0,
    info: 0,
    informational: 0,
    low: 2,
    medium: 5.5,
    moderate: 5.5,
    high: 8,
    important: 8,
    critical: 9.5,
  },
  unknownSeverityScore: 5,
  criticalityFactors: { low: 0, medium: 1 / 3, high: 2 / 3, critical: 1 },
  exposureFactors: { isolated: 0, internal: 0.5, internet: 1 },
  unknownCriticality: 'medium',
  unknownExposure: 'internal',
};

export interface ScoreInput {
  /** CVSS base score 0..10 (any version; the caller picks the best one it has). */
  cvssBaseScore?: number | null;
  /** Severity label (CVSS baseSeverity or a scanner's), used when there is no score. */
  severity?: string | null;
  epss?: number | null;
  inKev?: boolean;
  /** KEV knownRansomwareCampaignUse. */
  ransomware?: 'Known' | 'Unknown' | null;
  assetCriticality?: AssetCriticality | null;
  assetExposure?: AssetExposure | null;
}

export type ScoreComponentName = keyof ScoreWeights;

export interface ScoreComponent {
  component: ScoreComponentName;
  weight: number;
  /** 0..1 */
  factor: number;
  /** weight × factor, rounded to one decimal for display. */
  points: number;
  explanation: string;
}

export interface RiskScore {
  score: number;
  breakdown: ScoreComponent[];
}

export function riskScore(input: ScoreInput, config: Partial<ScoreConfig> = {}): RiskScore {
  const cfg: ScoreConfig = {
    ...DEFAULT_SCORE_CONFIG,
    ...config,
    weights: { ...DEFAULT_SCORE_CONFIG.weights, ...config.weights },
  };
  const w = cfg.weights;
  const parts: Omit<ScoreComponent, 'points'>[] = [];

  const severity = severityComponent(input, cfg);
  parts.push({ component: 'cvss', weight: w.cvss, ...severity });

  const epss = input.epss ?? null;
  parts.push({
    component: 'epss',
    weight: w.epss,
    factor: epss === null ? 0 : clamp01(epss),
    explanation: epss === null ? 'no EPSS score: 0' : `EPSS probability ${epss}`,
  });

  const inKev = input.inKev === true;
  parts.push({
    component: 'kev',
    weight: w.kev,
    factor: inKev ? 1 : 0,
    explanation: inKev ? 'in CISA KEV (exploited in the wild)' : 'not in CISA KEV',
  });

  const ransomware = inKev && input.ransomware === 'Known';
  parts.push({
    component: 'ransomware',
    weight: w.ransomware,
    factor: ransomware ? 1 : 0,
    explanation: ransomware ? 'KEV: known use in ransomware campaigns' : 'no known ransomware use',
  });

  const criticality = input.assetCriticality ?? null;
  const critLevel = criticality ?? cfg.unknownCriticality;
  parts.push({
    component: 'criticality',
    weight: w.criticality,
    factor: clamp01(cfg.criticalityFactors[critLevel]),
    explanation:
      criticality === null
        ? `asset criticality unknown, treated as ${critLevel}`
        : `asset criticality ${criticality}`,
  });

  const exposure = input.assetExposure ?? null;
  const expLevel = exposure ?? cfg.unknownExposure;
  parts.push({
    component: 'exposure',
    weight: w.exposure,
    factor: clamp01(cfg.exposureFactors[expLevel]),
    explanation:
      exposure === null
        ? `asset exposure unknown, treated as ${expLevel}`
        : `asset exposure ${exposure}`,
  });

  const raw = parts.reduce((sum, p) => sum + p.weight * p.factor, 0);
  return {
    score: Math.round(Math.min(100, Math.max(0, raw))),
    breakdown: parts.map((p) => ({ ...p, points: Math.round(p.weight * p.factor * 10) / 10 })),
  };
}

function severityComponent(
  input: ScoreInput,
  cfg: ScoreConfig,
): { factor: number; explanation: string } {
  const score = input.cvssBaseScore ?? null;
  if (score !== null && Number.isFinite(score))
    return { factor: clamp01(score / 10), explanation: `CVSS base score ${score}` };
  const label = (input.severity ?? '').trim().toLowerCase();
  const equivalent = Object.hasOwn(cfg.severityScores, label)
    ? cfg.severityScores[label]
    : undefined;
  if (equivalent !== undefined) {
    return {
      factor: clamp01(equivalent / 10),
      explanation: `no CVSS score; severity ${label} counted as ${equivalent}`,
    };
  }
  return {
    factor: clamp01(cfg.unknownSeverityScore / 10),
    explanation: `no CVSS score or severity; counted as ${cfg.unknownSeverityScore}`,
  };
}

function clamp01(n: number): number {
  if (!Number.isFinite(n)) return 0;
  return Math.min(1, Math.max(0, n));
}
