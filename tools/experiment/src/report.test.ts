import { describe, expect, test } from 'vitest';
import type { PairedComparison } from './aggregate.js';
import type { Results } from './analyse.js';
import { claimLines, verdict } from './report.js';

const comparison = (lo: number, hi: number, relLo = -1, relHi = 1): PairedComparison => ({
  metric: 'ratioRepaired',
  seeds: [0, 1, 2],
  edmsac: [],
  dmsac: [],
  difference: { mean: (lo + hi) / 2, lo, hi, n: 3 },
  relative: { mean: 0, lo: relLo, hi: relHi, n: 3 },
});

describe('findings in words', () => {
  test('the verdict follows the sign of the paired interval', () => {
    expect(verdict(comparison(0.01, 0.2))).toMatch(/higher than DMSAC/);
    expect(verdict(comparison(-0.3, -0.1))).toMatch(/does \*\*not\*\* beat DMSAC.*lower/);
    expect(verdict(comparison(-0.1, 0.2))).toMatch(/contains 0\.$/);
    expect(verdict(comparison(-0.1, 0.2, 0.05, 0.9))).toMatch(
      /contains 0\. The bootstrap interval .* excludes 0/,
    );
    expect(verdict(comparison(-0.1, 0.2, -0.01, -0.01 + 1e-15))).toMatch(/collapses to a point/);
    expect(verdict(comparison(Number.NaN, Number.NaN))).toMatch(/too few seed pairs/);
  });
});

describe('the two claims in words', () => {
  const allocation = (edmsac: number[], dmsac: number[], relLo: number, relHi: number): PairedComparison => ({
    formulation: 'allocation',
    metric: 'ratioRepaired',
    seeds: edmsac.map((_, i) => i),
    edmsac,
    dmsac,
    difference: { mean: 0, lo: -0.01, hi: 0.01, n: edmsac.length },
    relative: { mean: 0, lo: relLo, hi: relHi, n: edmsac.length },
  });
  const speed = (ratio: number, speedup: number) =>
    ({
      ratio,
      speedup,
      speedupLo: speedup - 0.1,
      speedupHi: speedup + 0.1,
      maxActionDifference: 0,
    }) as Results['speed'][number];
  const results = (comparison: PairedComparison[], speeds: Results['speed']) =>
    ({ comparison, contractTable: [], speed: speeds }) as unknown as Results;

  test('near the optimum a 23% gain is impossible: the headroom is 1/DMSAC - 1', () => {
    // DMSAC at 0.96 of U*: nothing can beat it by more than 1/0.96 - 1 = 4.17%
    const [quality, efficiency] = claimLines(
      results([allocation([0.97, 0.95], [0.96, 0.96], -0.02, 0.02)], [speed(0.3, 1.5), speed(0.3, 1.7)]),
    );
    expect(quality).toMatch(/DMSAC delivers 0\.960 of U\* on average and EDMSAC 0\.960/);
    expect(quality).toMatch(/no difference is detectable/);
    expect(quality).toMatch(/23% lies outside that interval/);
    expect(quality).toMatch(/by more than 4\.2% .*is impossible in this regime/);
    // speed-ups 1.5 and 1.7: mean 1.6, t-interval 1.6 +- 12.706 * 0.1414 / sqrt(2) = 1.6 +- 1.27
    expect(efficiency).toMatch(/1\.60x \[0\.33, 2\.87\] at rho_p = 0\.3 \(2 policies\)/);
    expect(efficiency).toMatch(/clear of 1 at no pruning rate/);
  });

  test('far from the optimum the claim is stated against its interval', () => {
    const [quality, efficiency] = claimLines(
      results([allocation([0.6, 0.7], [0.5, 0.5], 0.1, 0.3)], [speed(0.1, 1.2), speed(0.5, 2)]),
    );
    expect(quality).toMatch(/23% lies inside that interval/);
    // headroom 1/0.5 - 1 = 100%
    expect(quality).toMatch(/by more than 100\.0% .*would be possible in this regime/);
    // one policy per rate: the per-policy p10 decides
    expect(efficiency).toMatch(/1\.20x \(one policy\) at rho_p = 0\.1 \(1 policy\), 2\.00x \(one policy\)/);
    expect(efficiency).toMatch(/Every interval lies above 1/);
  });
});
