import { describe, expect, it } from 'vitest';
import {
  deployerDecision,
  ssvcDecide,
  type Automatable,
  type Exploitation,
  type HumanImpact,
  type SsvcDecision,
  type SsvcEvidence,
  type SystemExposure,
} from '../../../src-main/prioritization/ssvc';

/**
 * CERT/CC SSVC Deployer Patch Application Priority (ssvc:DP:1.0.0), in the published row
 * order: Exploitation (N/P/A) × System Exposure (S/C/O) × Automatable (N/Y), then the
 * outcomes for Human Impact Low, Medium, High, Very High (D/S/O/I).
 */
const PUBLISHED = `
N S N DDSS
N S Y DSSS
N C N DSSS
N C Y SSSS
N O N DSSS
N O Y SSSO
P S N DSSS
P S Y SSSS
P C N DSSS
P C Y SSSO
P O N SSSO
P O Y SSOO
A S N SSOO
A S Y SOOO
A C N SSOO
A C Y OOOO
A O N SOOI
A O Y OOII
`;

const E: Record<string, Exploitation> = { N: 'none', P: 'poc', A: 'active' };
const X: Record<string, SystemExposure> = { S: 'small', C: 'controlled', O: 'open' };
const AU: Record<string, Automatable> = { N: 'no', Y: 'yes' };
const HI: HumanImpact[] = ['low', 'medium', 'high', 'very high'];
const OUT: Record<string, SsvcDecision> = {
  D: 'Defer',
  S: 'Scheduled',
  O: 'Out-of-cycle',
  I: 'Immediate',
};

const rows = PUBLISHED.trim()
  .split('\n')
  .flatMap((line) => {
    const [e, x, a, outcomes] = line.split(' ') as [string, string, string, string];
    return HI.map((h, i) => [E[e]!, X[x]!, AU[a]!, h, OUT[outcomes[i]!]!] as const);
  });

describe('deployerDecision', () => {
  it('covers all 72 rows of the published table', () => {
    expect(rows).toHaveLength(72);
    expect(new Set(rows.map((r) => r.slice(0, 4).join('|'))).size).toBe(72);
  });

  it.each(rows)('%s / %s / automatable %s / %s → %s', (e, x, a, h, outcome) => {
    expect(deployerDecision(e, x, a, h)).toBe(outcome);
  });
});

type Case = {
  name: string;
  evidence: SsvcEvidence;
  config?: { epssPocThreshold?: number };
  expect: {
    decision: SsvcDecision;
    exploitation?: [Exploitation, string];
    exposure?: [SystemExposure, string];
    automatable?: [Automatable, string];
    humanImpact?: [HumanImpact, string];
  };
};

const internetCritical = { assetExposure: 'internet', assetCriticality: 'critical' } as const;

const CASES: Case[] = [
  {
    name: 'KEV makes exploitation active',
    evidence: { inKev: true, ...internetCritical },
    expect: { decision: 'Immediate', exploitation: ['active', 'KEV'] },
  },
  {
    name: 'KEV and vulnrichment active are both cited',
    evidence: { inKev: true, vulnrichment: { exploitation: 'active' }, ...internetCritical },
    expect: { decision: 'Immediate', exploitation: ['active', 'KEV; CISA vulnrichment: active'] },
  },
  {
    name: 'vulnrichment active without KEV',
    evidence: {
      inKev: false,
      vulnrichment: { exploitation: 'active' },
      assetExposure: 'isolated',
      assetCriticality: 'low',
    },
    expect: { decision: 'Scheduled', exploitation: ['active', 'CISA vulnrichment: active'] },
  },
  {
    name: 'vulnrichment poc',
    evidence: {
      inKev: false,
      vulnrichment: { exploitation: 'poc' },
      epss: 0.01,
      ...internetCritical,
    },
    expect: { decision: 'Out-of-cycle', exploitation: ['poc', 'CISA vulnrichment: poc'] },
  },
  {
    name: 'EPSS at the threshold counts as poc',
    evidence: { inKev: false, epss: 0.1, ...internetCritical },
    expect: { decision: 'Out-of-cycle', exploitation: ['poc', 'EPSS 0.1 ≥ 0.1'] },
  },
  {
    name: 'EPSS above the threshold with vulnrichment none',
    evidence: {
      inKev: false,
      vulnrichment: { exploitation: 'none' },
      epss: 0.42,
      ...internetCritical,
    },
    expect: { decision: 'Out-of-cycle', exploitation: ['poc', 'EPSS 0.42 ≥ 0.1'] },
  },
  {
    name: 'EPSS below the threshold',
    evidence: { inKev: false, epss: 0.00383, assetExposure: 'internal', assetCriticality: 'low' },
    expect: { decision: 'Defer', exploitation: ['none', 'EPSS 0.00383 < 0.1; not in KEV'] },
  },
  {
    name: 'a configured threshold',
    evidence: { inKev: false, epss: 0.05, assetExposure: 'internal', assetCriticality: 'low' },
    config: { epssPocThreshold: 0.05 },
    expect: { decision: 'Defer', exploitation: ['poc', 'EPSS 0.05 ≥ 0.05'] },
  },
  {
    name: 'vulnrichment none',
    evidence: {
      inKev: false,
      vulnrichment: { exploitation: 'none' },
      assetExposure: 'isolated',
      assetCriticality: 'high',
    },
    expect: {
      decision: 'Scheduled',
      exploitation: ['none', 'CISA vulnrichment: none; not in KEV'],
    },
  },
  {
    name: 'nothing known: every default is shown',
    evidence: { inKev: false },
    expect: {
      decision: 'Scheduled',
      exploitation: ['none', 'default: unknown (not in KEV, no vulnrichment, no EPSS)'],
      exposure: ['controlled', 'default: unknown asset exposure, treated as internal'],
      automatable: ['no', 'default: unknown'],
      humanImpact: ['medium', 'default: unknown asset criticality, treated as medium'],
    },
  },
  {
    name: 'isolated maps to small',
    evidence: { inKev: true, assetExposure: 'isolated', assetCriticality: 'high' },
    expect: { decision: 'Out-of-cycle', exposure: ['small', 'asset exposure isolated'] },
  },
  {
    name: 'internal maps to controlled',
    evidence: { inKev: true, assetExposure: 'internal', assetCriticality: 'low' },
    expect: { decision: 'Scheduled', exposure: ['controlled', 'asset exposure internal'] },
  },
  {
    name: 'internet maps to open',
    evidence: { inKev: true, assetExposure: 'internet', assetCriticality: 'medium' },
    expect: { decision: 'Out-of-cycle', exposure: ['open', 'asset exposure internet'] },
  },
  {
    name: 'automatable yes from vulnrichment',
    evidence: {
      inKev: true,
      vulnrichment: { automatable: 'yes' },
      assetExposure: 'internet',
      assetCriticality: 'low',
    },
    expect: { decision: 'Out-of-cycle', automatable: ['yes', 'CISA vulnrichment: yes'] },
  },
  {
    name: 'automatable no from vulnrichment',
    evidence: {
      inKev: true,
      vulnrichment: { automatable: 'no' },
      assetExposure: 'internet',
      assetCriticality: 'low',
    },
    expect: { decision: 'Scheduled', automatable: ['no', 'CISA vulnrichment: no'] },
  },
  {
    name: 'criticality low → low',
    evidence: { inKev: false, assetExposure: 'internet', assetCriticality: 'low' },
    expect: { decision: 'Defer', humanImpact: ['low', 'asset criticality low'] },
  },
  {
    name: 'criticality high → high',
    evidence: { inKev: false, assetExposure: 'internet', assetCriticality: 'high' },
    expect: { decision: 'Scheduled', humanImpact: ['high', 'asset criticality high'] },
  },
  {
    name: 'criticality critical → very high',
    evidence: { inKev: false, vulnrichment: { automatable: 'yes' }, ...internetCritical },
    expect: { decision: 'Out-of-cycle', humanImpact: ['very high', 'asset criticality critical'] },
  },
  {
    name: 'technical impact total raises human impact one step',
    evidence: {
      inKev: true,
      vulnrichment: { technicalImpact: 'total' },
      assetExposure: 'internet',
      assetCriticality: 'high',
    },
    expect: {
      decision: 'Immediate',
      humanImpact: [
        'very high',
        'asset criticality high; raised one step: technical impact total (CISA vulnrichment)',
      ],
    },
  },
  {
    name: 'technical impact total cannot go past very high',
    evidence: { inKev: false, vulnrichment: { technicalImpact: 'total' }, ...internetCritical },
    expect: {
      decision: 'Scheduled',
      humanImpact: [
        'very high',
        'asset criticality critical; technical impact total (CISA vulnrichment), already the highest',
      ],
    },
  },
  {
    name: 'technical impact partial changes nothing',
    evidence: {
      inKev: false,
      vulnrichment: { technicalImpact: 'partial' },
      assetExposure: 'isolated',
      assetCriticality: 'medium',
    },
    expect: { decision: 'Defer', humanImpact: ['medium', 'asset criticality medium'] },
  },
];

describe('ssvcDecide', () => {
  it.each(CASES)('$name', ({ evidence, config, expect: want }) => {
    const result = ssvcDecide(evidence, config);
    expect(result.decision).toBe(want.decision);
    expect(result.table).toBe('ssvc:DP:1.0.0');
    for (const key of ['exploitation', 'exposure', 'automatable', 'humanImpact'] as const) {
      const pair = want[key];
      if (pair) expect(result.inputs[key]).toEqual({ value: pair[0], source: pair[1] });
    }
    // The decision is always the table's outcome for the inputs it reports.
    const { exploitation, exposure, automatable, humanImpact } = result.inputs;
    expect(
      deployerDecision(exploitation.value, exposure.value, automatable.value, humanImpact.value),
    ).toBe(result.decision);
  });
});
