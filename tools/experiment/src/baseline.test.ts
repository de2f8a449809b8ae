import { describe, expect, test } from 'vitest';
import { evaluateRandomPolicy, optimumOfEvaluationSet, randomActions } from './baseline.js';

describe('random baselines', () => {
  test('random actions are uniform in [-1, 1), one stream per seed', () => {
    const a = randomActions(3, 50, 12);
    expect(a).toHaveLength(600);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...a)).toBeLessThan(1);
    // mean of 600 uniforms on [-1, 1): sd 1/sqrt(3 * 600) = 0.024
    expect(Math.abs(a.reduce((s, v) => s + v, 0) / a.length)).toBeLessThan(0.1);
    expect(randomActions(3, 50, 12)).toEqual(a);
    expect(randomActions(4, 50, 12)).not.toEqual(a);
  });

  test('a random allocation is delivered exactly priced: feasible, certified, never above U*', async () => {
    const optimum = await optimumOfEvaluationSet(3);
    const s = await evaluateRandomPolicy('allocation', 0, optimum, { certify: true });
    expect(s.markets).toBe(3);
    expect(s.feasibleShareRepaired).toBe(1);
    expect(s.certifiedShare).toBe(1);
    expect(s.meanRatioRepaired).toBeLessThanOrEqual(1 + 1e-12);
    const c = await evaluateRandomPolicy('contract', 0, optimum, { certify: false });
    expect(c.feasibleShareRepaired).toBe(1);
    expect(c.certifiedShare).toBeNull();
    expect(c.meanRatioRepaired).toBeLessThanOrEqual(1 + 1e-12);
    // random contracts violate the constraints (their rewards ignore IC); random allocations are priced
    expect(c.meanViolationRaw).toBeGreaterThan(s.meanViolationRaw);
  }, 120_000);
});
