import { describe, expect, test } from 'vitest';
import {
  type CurvePoint,
  compareRuns,
  configRow,
  curveBand,
  pairedComparison,
  type RunResult,
  secondsPerUpdate,
} from './aggregate.js';

const point = (updates: number, probeRatio: number, updatesPerSec = 10): CurvePoint => ({
  updates,
  probeRatio,
  probeRatioRepaired: probeRatio / 2,
  probeFeasible: 0,
  updatesPerSec,
});

function run(algo: 'edmsac' | 'dmsac', seed: number, raw: number, repaired: number): RunResult {
  return {
    id: `${algo}-s${seed}`,
    algo,
    seed,
    ratio: 0,
    denoisingSteps: 5,
    eval: {
      markets: 20,
      meanRatioRaw: raw,
      meanRatioRepaired: repaired,
      medianRatioRepaired: repaired / 2,
      meanViolationRaw: 1,
      feasibleShareRaw: 0,
      feasibleShareRepaired: 1,
      certifiedShare: 1,
    },
    uStar: [],
    curve: [],
    secondsPerUpdate: 0.1,
    loopSeconds: 1,
    wallSeconds: 1,
    prunedShare: 0,
    zeroShareRepaired: 0,
  };
}

describe('aggregation', () => {
  test('learning-curve band: mean +- sd at update counts every seed reached', () => {
    const band = curveBand(
      [
        [point(0, 1), point(30, 2), point(60, 4)],
        [point(0, 3), point(30, 6)],
      ],
      'probeRatio',
    );
    // at 60 only one run logged: dropped
    expect(band.map((p) => p.x)).toEqual([0, 30]);
    expect(band[0]).toEqual({ x: 0, y: 2, lo: 2 - Math.SQRT2, hi: 2 + Math.SQRT2 });
    expect(band[1]!.y).toBe(4);
    expect(band[1]!.hi - band[1]!.y).toBeCloseTo(Math.sqrt(8), 12);
    expect(curveBand([[point(0, 4)]], 'probeRatioRepaired')).toEqual([{ x: 0, y: 2, lo: 2, hi: 2 }]);
  });

  test('seconds per update: median of 1/rate over intervals after the first', () => {
    expect(
      secondsPerUpdate([point(0, 0, 1), point(30, 0, 10), point(60, 0, 5), point(90, 0, 4)]),
    ).toBeCloseTo(0.2, 12);
    expect(secondsPerUpdate([point(0, 0, 1), point(30, 0, 0), point(60, 0, 20)])).toBeCloseTo(0.05, 12);
  });

  test('table row: mean and sample sd over seeds, certified share kept when every seed has one', () => {
    const row = configRow('x', [
      {
        seed: 0,
        meanRatioRaw: 0.2,
        meanRatioRepaired: 0.5,
        medianRatioRepaired: 0.1,
        feasibleShareRaw: 0,
        feasibleShareRepaired: 1,
        certifiedShare: 1,
        meanViolationRaw: 3,
      },
      {
        seed: 1,
        meanRatioRaw: 0.4,
        meanRatioRepaired: 0.7,
        medianRatioRepaired: 0.3,
        feasibleShareRaw: 0.1,
        feasibleShareRepaired: 1,
        certifiedShare: 0.9,
        meanViolationRaw: 5,
      },
    ]);
    expect(row.ratioRaw.mean).toBeCloseTo(0.3, 12);
    expect(row.ratioRaw.std).toBeCloseTo(Math.sqrt(0.02), 12);
    expect(row.ratioRepaired.mean).toBeCloseTo(0.6, 12);
    expect(row.certified!.mean).toBeCloseTo(0.95, 12);
    expect(row.medianRepaired.mean).toBeCloseTo(0.2, 12);
    expect(row.violationRaw).toMatchObject({ mean: 4, n: 2 });
    const noCert = configRow('y', [
      {
        seed: 0,
        meanRatioRaw: 0,
        meanRatioRepaired: 0,
        medianRatioRepaired: 0,
        feasibleShareRaw: 0,
        feasibleShareRepaired: 1,
        certifiedShare: null,
        meanViolationRaw: 0,
      },
    ]);
    expect(noCert.certified).toBeNull();
  });

  test('EDMSAC vs DMSAC pairs by seed and ignores unpaired seeds', () => {
    const ed = [
      run('edmsac', 0, 0.3, 0.6),
      run('edmsac', 1, 0.1, 0.5),
      run('edmsac', 2, 0.2, 0.7),
      run('edmsac', 9, 5, 5),
    ];
    const dm = [run('dmsac', 2, 0.2, 0.4), run('dmsac', 0, 0.2, 0.5), run('dmsac', 1, 0.2, 0.6)];
    const c = pairedComparison(ed, dm, 'ratioRepaired');
    expect(c.seeds).toEqual([0, 1, 2]);
    expect(c.edmsac).toEqual([0.6, 0.5, 0.7]);
    expect(c.dmsac).toEqual([0.5, 0.6, 0.4]);
    // differences 0.1, -0.1, 0.3: mean 0.1, sd 0.2, half width 4.303 * 0.2 / sqrt(3)
    expect(c.difference.mean).toBeCloseTo(0.1, 12);
    expect(c.difference.hi - c.difference.mean).toBeCloseTo((4.303 * 0.2) / Math.sqrt(3), 12);
    // (1.8 - 1.5) / 1.5
    expect(c.relative.mean).toBeCloseTo(0.2, 12);
    expect(pairedComparison(ed, dm, 'ratioRaw').difference.mean).toBeCloseTo(0, 12);
    // medians are half the means in these runs: half the difference
    expect(pairedComparison(ed, dm, 'medianRepaired').difference.mean).toBeCloseTo(0.05, 12);
  });
});

describe('comparing two experiments', () => {
  test('identical runs count as identical; a changed figure is found with its size', () => {
    const a = [run('edmsac', 0, 0.3, 0.6), run('dmsac', 0, 0.2, 0.5)];
    a[0]!.curve = [point(0, 1), point(30, 2)];
    const b = [run('edmsac', 0, 0.3, 0.6), run('dmsac', 0, 0.2, 0.45), run('dmsac', 1, 0, 0)];
    b[0]!.curve = [point(0, 1), point(30, 2)];
    const c = compareRuns(a, b);
    expect(c).toMatchObject({ compared: 2, identical: 1, differing: ['dmsac-s0'] });
    // repaired mean 0.5 vs 0.45, and its median (half of it) 0.25 vs 0.225
    expect(c.maxAbsDifference).toBeCloseTo(0.05, 12);
    b[0]!.curve = [point(0, 1), point(30, 2.5)];
    expect(compareRuns(a, b).differing).toEqual(['edmsac-s0', 'dmsac-s0']);
  });
});
