import { describe, expect, test } from 'vitest';
import type { PairedComparison } from './aggregate.js';
import { niceTicks, renderBandChart } from './chart.js';
import { verdict } from './report.js';

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

describe('band chart', () => {
  test('ticks step by 1, 2 or 5 x 10^k and cover the range', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3.2, 7.9)).toEqual([-4, -2, 0, 2, 4, 6, 8]);
    // a flat range opens +-10%: [4.5, 5.5] in steps of 0.2
    expect(niceTicks(5, 5)).toEqual([4.4, 4.6, 4.8, 5, 5.2, 5.4, 5.6]);
  });

  test('points land on the plot rectangle by linear scaling', () => {
    const svg = renderBandChart({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      width: 364, // plot width 364 - 64 - 150 = 150
      height: 184, // plot height 184 - 36 - 48 = 100
      series: [
        {
          name: 's',
          color: '#000',
          points: [
            { x: 0, y: 0, lo: 0, hi: 0 },
            { x: 10, y: 1, lo: 1, hi: 1 },
          ],
        },
      ],
    });
    // x ticks 0..10, y ticks 0..1: (0, 0) -> (64, 136), (10, 1) -> (214, 36)
    expect(svg).toContain('<polyline points="64,136 214,36"');
    expect(svg).toContain('>s</text>');
  });
});
