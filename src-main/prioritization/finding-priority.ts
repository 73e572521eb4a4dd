/**
 * Priority of one stored finding: KEV and EPSS enrichment, the SSVC decision with its
 * inputs, the risk score and the SLA due date. Computed when findings are read, from the
 * vulnerability's enrichment columns and the asset's criticality and exposure.
 */
import type { PrioritizationConfig } from './config';
import { riskScore } from './score';
import { dueDate } from './sla';
import { ssvcDecide, type AssetCriticality, type AssetExposure, type SsvcResult } from './ssvc';

export interface PriorityInput {
  severity: string;
  cvss3: number | null;
  cvss2: number | null;
  nvdCvss3: number | null;
  kev: number;
  kevDueDate: string | null;
  kevRansomware: number;
  epss: number | null;
  epssPercentile: number | null;
  epssDate: string | null;
  exploitation: string | null;
  automatable: string | null;
  technicalImpact: string | null;
  criticality: AssetCriticality;
  exposure: AssetExposure;
  firstSeen: string;
}

/** The columns `prioritize` reads, named as the vault's SQL rows carry them. */
export interface PriorityColumns {
  severity: string;
  cvss3: number | null;
  cvss2: number | null;
  nvd_cvss3: number | null;
  kev: number;
  kev_due_date: string | null;
  kev_ransomware: number;
  epss: number | null;
  epss_percentile: number | null;
  epss_date: string | null;
  exploitation: string | null;
  automatable: string | null;
  technical_impact: string | null;
  criticality: AssetCriticality;
  exposure: AssetExposure;
  first_seen: string;
}

/** A vulnerability + asset row as `prioritize` input. */
export function priorityInputOf(r: PriorityColumns): PriorityInput {
  return {
    severity: r.severity,
    cvss3: r.cvss3,
    cvss2: r.cvss2,
    nvdCvss3: r.nvd_cvss3,
    kev: r.kev,
    kevDueDate: r.kev_due_date,
    kevRansomware: r.kev_ransomware,
    epss: r.epss,
    epssPercentile: r.epss_percentile,
    epssDate: r.epss_date,
    exploitation: r.exploitation,
    automatable: r.automatable,
    technicalImpact: r.technical_impact,
    criticality: r.criticality,
    exposure: r.exposure,
    firstSeen: r.first_seen,
  };
}

export interface FindingPriority {
  kev: { dueDate: string | null; ransomware: boolean } | null;
  epss: { score: number; percentile: number | null; date: string | null } | null;
  ssvc: { decision: SsvcResult['decision']; inputs: SsvcResult['inputs'] };
  riskScore: number;
  dueDate: string;
  overdue: boolean;
}

function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

export function prioritize(
  input: PriorityInput,
  now: Date,
  config?: PrioritizationConfig,
): FindingPriority {
  const inKev = input.kev === 1;
  const ssvc = ssvcDecide(
    {
      inKev,
      vulnrichment: {
        exploitation: oneOf(input.exploitation, ['none', 'poc', 'active'] as const),
        automatable: oneOf(input.automatable, ['yes', 'no'] as const),
        technicalImpact: oneOf(input.technicalImpact, ['partial', 'total'] as const),
      },
      epss: input.epss,
      assetExposure: input.exposure,
      assetCriticality: input.criticality,
    },
    config ? { epssPocThreshold: config.epssPocThreshold } : {},
  );
  const score = riskScore(
    {
      cvssBaseScore: input.cvss3 ?? input.nvdCvss3 ?? input.cvss2,
      severity: input.severity,
      epss: input.epss,
      inKev,
      ransomware: inKev ? (input.kevRansomware === 1 ? 'Known' : 'Unknown') : null,
      assetCriticality: input.criticality,
      assetExposure: input.exposure,
    },
    config?.score,
  );
  const due = dueDate({
    decision: ssvc.decision,
    detectedAt: input.firstSeen,
    kevDueDate: input.kevDueDate,
    now,
    ...(config ? { days: config.slaDays } : {}),
  });
  return {
    kev: inKev ? { dueDate: input.kevDueDate, ransomware: input.kevRansomware === 1 } : null,
    epss:
      input.epss === null
        ? null
        : { score: input.epss, percentile: input.epssPercentile, date: input.epssDate },
    ssvc: { decision: ssvc.decision, inputs: ssvc.inputs },
    riskScore: score.score,
    dueDate: due.dueAt,
    overdue: due.overdue,
  };
}
