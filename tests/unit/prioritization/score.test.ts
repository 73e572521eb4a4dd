import { describe, expect, it } from 'vitest';
import {
  DEFAULT_SCORE_CONFIG,
  riskScore,
  type ScoreInput,
} from '../../../src-main/prioritization/score';

const worst: ScoreInput = {
  cvssBaseScore: 10,
  epss: 1,
  inKev: true,
  ransomware: 'Known',
  assetCriticality: 'critical',
  assetExposure: 'internet',
};
const least: ScoreInput = {
  cvssBaseScore: 0,
  epss: 0,
  inKev: false,
  assetCriticality: 'low',
  assetExposure: 'isolated',
};

describe('riskScore', () => {
  it('default weights add up to 100', () => {
    const w = DEFAULT_SCORE_CONFIG.weights;
    expect(w.cvss + w.epss + w.kev + w.ransomware + w.criticality + w.exposure).toBe(100);
  });

  it.each([
    ['the worst case', worst, 100],
    ['the least case', least, 0],
    // 35×0.98 + 20×0.42 + 20 + 0 + 10×(2/3) + 10×0.5 = 34.3 + 8.4 + 20 + 6.67 + 5 = 74.37
    [
      'a KEV finding on an internal high asset',
      {
        cvssBaseScore: 9.8,
        epss: 0.42,
        inKev: true,
        ransomware: 'Unknown',
        assetCriticality: 'high',
        assetExposure: 'internal',
      },
      74,
    ],
    // 35×0.65 + 20×0.00383 + 0 + 0 + 10/3 + 5 = 22.75 + 0.08 + 3.33 + 5 = 31.16
    ['a medium CVE on an unknown asset', { cvssBaseScore: 6.5, epss: 0.00383 }, 31],
    // Severity fallback: high counts as 8 → 28; unknown asset → 3.33 + 5
    ['a severity label without a score', { severity: 'HIGH' }, 36],
    ['a scanner label (important)', { severity: 'Important' }, 36],
    // Nothing known: 5 → 17.5 + 3.33 + 5 = 25.8
    ['nothing known', {}, 26],
    // Ransomware only counts for KEV entries.
    ['ransomware flag without KEV', { ...least, ransomware: 'Known' }, 0],
  ] as const)('%s → %i', (_label, input, expected) => {
    expect(riskScore(input).score).toBe(expected);
  });

  it('explains every component and the points add up to the score', () => {
    const { score, breakdown } = riskScore({
      cvssBaseScore: 9.8,
      epss: 0.42,
      inKev: true,
      ransomware: 'Known',
      assetCriticality: 'high',
      assetExposure: 'internal',
    });
    expect(breakdown.map((b) => b.component)).toEqual([
      'cvss',
      'epss',
      'kev',
      'ransomware',
      'criticality',
      'exposure',
    ]);
    expect(breakdown.map((b) => b.points)).toEqual([34.3, 8.4, 20, 5, 6.7, 5]);
    expect(breakdown.map((b) => b.explanation)).toEqual([
      'CVSS base score 9.8',
      'EPSS probability 0.42',
      'in CISA KEV (exploited in the wild)',
      'KEV: known use in ransomware campaigns',
      'asset criticality high',
      'asset exposure internal',
    ]);
    expect(score).toBe(Math.round(breakdown.reduce((s, b) => s + b.points, 0)));
  });

  it('says when it falls back to a severity or a default', () => {
    const { breakdown } = riskScore({ severity: 'medium' });
    expect(breakdown[0]!.explanation).toBe('no CVSS score; severity medium counted as 5.5');
    expect(breakdown[4]!.explanation).toBe('asset criticality unknown, treated as medium');
    expect(breakdown[5]!.explanation).toBe('asset exposure unknown, treated as internal');
    expect(riskScore({ severity: 'bogus' }).breakdown[0]!.explanation).toBe(
      'no CVSS score or severity; counted as 5',
    );
  });

  it('takes tuned weights and clamps to 0..100', () => {
    const heavy = riskScore(worst, { weights: { ...DEFAULT_SCORE_CONFIG.weights, kev: 80 } });
    expect(heavy.score).toBe(100);
    expect(heavy.breakdown.find((b) => b.component === 'kev')!.points).toBe(80);
    const cvssOnly = riskScore(
      { cvssBaseScore: 7.3 },
      {
        weights: { cvss: 100, epss: 0, kev: 0, ransomware: 0, criticality: 0, exposure: 0 },
      },
    );
    expect(cvssOnly.score).toBe(73);
    // Out-of-range inputs are clamped, never extrapolated.
    expect(riskScore({ ...least, cvssBaseScore: 42, epss: -3 }).breakdown[0]!.factor).toBe(1);
    expect(riskScore({ ...least, epss: -3 }).breakdown[1]!.factor).toBe(0);
  });
});
