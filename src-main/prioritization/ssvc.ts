/**
 * SSVC deployer decision: how soon to deploy a fix, from four decision points.
 *
 * Source of the table: CERT/CC SSVC, "Deployer Patch Application Priority" decision table
 * ssvc:DP:1.0.0 (decision points Exploitation ssvc:E:1.1.0, System Exposure ssvc:EXP:1.0.1,
 * Automatable ssvc:A:2.0.0, Human Impact ssvc:HI:2.0.2; outcomes Defer / Scheduled /
 * Out-of-Cycle / Immediate), published at https://certcc.github.io/SSVC/howto/deployer_tree/
 * and as data in the CERTCC/SSVC repository (src/ssvc/decision_tables/ssvc/deployer_dt.py).
 * The 72 outcomes below are that table, transcribed row for row.
 *
 * How VulnZero derives each decision point from its data is its own mapping, documented in
 * docs/prioritization.md; every result says where each value came from.
 */
export type SsvcDecision = 'Defer' | 'Scheduled' | 'Out-of-cycle' | 'Immediate';
export type Exploitation = 'none' | 'poc' | 'active';
export type SystemExposure = 'small' | 'controlled' | 'open';
export type Automatable = 'yes' | 'no';
export type HumanImpact = 'low' | 'medium' | 'high' | 'very high';

export type AssetExposure = 'isolated' | 'internal' | 'internet';
export type AssetCriticality = 'low' | 'medium' | 'high' | 'critical';

export const SSVC_DECISIONS: readonly SsvcDecision[] = [
  'Defer',
  'Scheduled',
  'Out-of-cycle',
  'Immediate',
];

const D = 'Defer';
const S = 'Scheduled';
const O = 'Out-of-cycle';
const I = 'Immediate';
type Row = readonly [SsvcDecision, SsvcDecision, SsvcDecision, SsvcDecision];

/** [exploitation][exposure][automatable] → outcome for human impact low, medium, high, very high. */
const DEPLOYER_TABLE: Record<Exploitation, Record<SystemExposure, Record<Automatable, Row>>> = {
  none: {
    small: { no: [D, D, S, S], yes: [D, S, S, S] },
    controlled: { no: [D, S, S, S], yes: [S, S, S, S] },
    open: { no: [D, S, S, S], yes: [S, S, S, O] },
  },
  poc: {
    small: { no: [D, S, S, S], yes: [S, S, S, S] },
    controlled: { no: [D, S, S, S], yes: [S, S, S, O] },
    open: { no: [S, S, S, O], yes: [S, S, O, O] },
  },
  active: {
    small: { no: [S, S, O, O], yes: [S, O, O, O] },
    controlled: { no: [S, S, O, O], yes: [O, O, O, O] },
    open: { no: [S, O, O, I], yes: [O, O, I, I] },
  },
};

const HUMAN_IMPACT_ORDER: readonly HumanImpact[] = ['low', 'medium', 'high', 'very high'];

/** The published table, for a table-driven caller or test. */
export function deployerDecision(
  exploitation: Exploitation,
  exposure: SystemExposure,
  automatable: Automatable,
  humanImpact: HumanImpact,
): SsvcDecision {
  const row = DEPLOYER_TABLE[exploitation][exposure][automatable];
  const outcome = row[HUMAN_IMPACT_ORDER.indexOf(humanImpact)];
  if (outcome === undefined) throw new Error(`ssvc: no outcome for human impact ${humanImpact}`);
  return outcome;
}

/** What is known about one finding; anything unknown is null or absent. */
export interface SsvcEvidence {
  inKev: boolean;
  /** SSVC decision points from CISA's vulnrichment ADP container, when the CVE has one. */
  vulnrichment?: {
    exploitation?: Exploitation | null;
    automatable?: Automatable | null;
    technicalImpact?: 'partial' | 'total' | null;
  } | null;
  epss?: number | null;
  assetExposure?: AssetExposure | null;
  assetCriticality?: AssetCriticality | null;
}

export interface SsvcConfig {
  /** EPSS at or above this counts as a public proof of concept. */
  epssPocThreshold: number;
  /** Used when the asset's exposure is not recorded. */
  unknownExposure: AssetExposure;
  /** Used when the asset's criticality is not recorded. */
  unknownCriticality: AssetCriticality;
}

export const DEFAULT_SSVC_CONFIG: SsvcConfig = {
  epssPocThreshold: 0.1,
  unknownExposure: 'internal',
  unknownCriticality: 'medium',
};

export interface SsvcInput<T> {
  value: T;
  /** Why, for the operator: "KEV", "EPSS 0.42 ≥ 0.1", "default: unknown", ... */
  source: string;
}

export interface SsvcResult {
  decision: SsvcDecision;
  inputs: {
    exploitation: SsvcInput<Exploitation>;
    exposure: SsvcInput<SystemExposure>;
    automatable: SsvcInput<Automatable>;
    humanImpact: SsvcInput<HumanImpact>;
  };
  table: 'ssvc:DP:1.0.0';
}

const EXPOSURE_MAP: Record<AssetExposure, SystemExposure> = {
  isolated: 'small',
  internal: 'controlled',
  internet: 'open',
};

const CRITICALITY_MAP: Record<AssetCriticality, HumanImpact> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'very high',
};

export function ssvcDecide(evidence: SsvcEvidence, config: Partial<SsvcConfig> = {}): SsvcResult {
  const cfg = { ...DEFAULT_SSVC_CONFIG, ...config };
  const inputs = {
    exploitation: exploitationOf(evidence, cfg.epssPocThreshold),
    exposure: exposureOf(evidence, cfg.unknownExposure),
    automatable: automatableOf(evidence),
    humanImpact: humanImpactOf(evidence, cfg.unknownCriticality),
  };
  return {
    decision: deployerDecision(
      inputs.exploitation.value,
      inputs.exposure.value,
      inputs.automatable.value,
      inputs.humanImpact.value,
    ),
    inputs,
    table: 'ssvc:DP:1.0.0',
  };
}

function exploitationOf(e: SsvcEvidence, threshold: number): SsvcInput<Exploitation> {
  const vr = e.vulnrichment?.exploitation ?? null;
  const epss = e.epss ?? null;
  const active: string[] = [];
  if (e.inKev) active.push('KEV');
  if (vr === 'active') active.push('CISA vulnrichment: active');
  if (active.length > 0) return { value: 'active', source: active.join('; ') };

  const poc: string[] = [];
  if (vr === 'poc') poc.push('CISA vulnrichment: poc');
  if (epss !== null && epss >= threshold) poc.push(`EPSS ${fmt(epss)} ≥ ${fmt(threshold)}`);
  if (poc.length > 0) return { value: 'poc', source: poc.join('; ') };

  const none: string[] = [];
  if (vr === 'none') none.push('CISA vulnrichment: none');
  if (epss !== null) none.push(`EPSS ${fmt(epss)} < ${fmt(threshold)}`);
  if (none.length > 0) return { value: 'none', source: `${none.join('; ')}; not in KEV` };
  return { value: 'none', source: 'default: unknown (not in KEV, no vulnrichment, no EPSS)' };
}

function exposureOf(e: SsvcEvidence, fallback: AssetExposure): SsvcInput<SystemExposure> {
  if (e.assetExposure)
    return { value: EXPOSURE_MAP[e.assetExposure], source: `asset exposure ${e.assetExposure}` };
  return {
    value: EXPOSURE_MAP[fallback],
    source: `default: unknown asset exposure, treated as ${fallback}`,
  };
}

function automatableOf(e: SsvcEvidence): SsvcInput<Automatable> {
  const vr = e.vulnrichment?.automatable ?? null;
  if (vr !== null) return { value: vr, source: `CISA vulnrichment: ${vr}` };
  return { value: 'no', source: 'default: unknown' };
}

function humanImpactOf(e: SsvcEvidence, fallback: AssetCriticality): SsvcInput<HumanImpact> {
  const criticality = e.assetCriticality ?? null;
  const base = CRITICALITY_MAP[criticality ?? fallback];
  let source =
    criticality === null
      ? `default: unknown asset criticality, treated as ${fallback}`
      : `asset criticality ${criticality}`;
  if (e.vulnrichment?.technicalImpact !== 'total') return { value: base, source };
  const raised = HUMAN_IMPACT_ORDER[HUMAN_IMPACT_ORDER.indexOf(base) + 1];
  if (raised === undefined) {
    source += '; technical impact total (CISA vulnrichment), already the highest';
    return { value: base, source };
  }
  source += '; raised one step: technical impact total (CISA vulnrichment)';
  return { value: raised, source };
}

/** Short decimal for messages: 0.42, 0.1, 0.00383. */
function fmt(n: number): string {
  return String(Number(n.toPrecision(6)));
}
