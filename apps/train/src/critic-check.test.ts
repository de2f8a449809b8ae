import { describe, expect, it } from 'vitest';
import { criticSlopeCheck } from './critic-check.js';

const A = 3;
const w = [2, -1, 0.5];
/** r(a) = sum_d w_d a_d + row, per row of a row-major n x A batch */
const linear = (scale: number, shift: number) => (actions: Float32Array) => {
  const n = actions.length / A;
  return Array.from({ length: n }, (_, i) => {
    let r = i;
    for (let d = 0; d < A; d++) r += w[d]! * actions[i * A + d]!;
    return scale * r + shift;
  });
};

describe('criticSlopeCheck', () => {
  // the middle row sits on the upper bound in coordinate 0: its difference is one-sided there
  const actions = Float32Array.from([0.1, -0.2, 0.3, 1, 0.5, -0.5, -0.7, 0, 0.9]);

  it('a critic equal to the reward: cosine 1, no offset, the reward slopes exactly', () => {
    const check = criticSlopeCheck(linear(1, 0), linear(1, 0), actions, A, 0.05);
    expect(check.markets).toBe(3);
    expect(check.meanCosine).toBeCloseTo(1, 6);
    expect(check.meanLevelOffset).toBeCloseTo(0, 6);
    check.perCoordinate.forEach((c, d) => {
      expect(c.reward).toBeCloseTo(w[d]!, 4);
      expect(c.critic).toBeCloseTo(w[d]!, 4);
    });
    expect(check.meanAbsRewardSlope).toBeCloseTo((2 + 1 + 0.5) / 3, 4);
  });

  it('a critic with the opposite slope and a level offset: cosine -1 and the offset', () => {
    const check = criticSlopeCheck(linear(-0.5, 2), linear(1, 0), actions, A, 0.05);
    expect(check.meanCosine).toBeCloseTo(-1, 6);
    expect(check.meanAbsCriticSlope).toBeCloseTo(0.5 * check.meanAbsRewardSlope, 4);
    // Q - r = -1.5 r + 2, averaged over the rows at the actions themselves
    const r = linear(1, 0)(actions);
    expect(check.meanLevelOffset).toBeCloseTo(r.reduce((s, x) => s - 1.5 * x + 2, 0) / 3, 4);
  });

  it('a flat critic: cosine 0 (no direction), slope 0', () => {
    const check = criticSlopeCheck(() => [0, 0, 0], linear(1, 0), actions, A, 0.05);
    expect(check.meanCosine).toBe(0);
    expect(check.meanAbsCriticSlope).toBe(0);
  });
});
