import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BatchEvaluator } from './batch.js';
import { actionDim, contractReward, decodeAction, decodeState, encodeState, stateDim } from './encoding.js';
import { cloudUtility, violation } from './model.js';
import { sampleMarkets } from './sampler.js';

function objectPath(states: Float32Array, actions: Float32Array, K: number, b: number, qMax = 10) {
  const m = decodeState(states, K, b * stateDim(K), { qMax, esCount: 7 });
  const c = decodeAction(m, actions, b * actionDim(K));
  return {
    reward: contractReward(m, c),
    utility: cloudUtility(m, c) / m.esCount,
    violation: violation(m, c),
  };
}

function close(a: number, b: number): boolean {
  return Math.abs(a - b) <= 1e-9 * (1 + Math.abs(b));
}

describe('BatchEvaluator equals the object path', () => {
  for (const K of [1, 2, 3, 4]) {
    it(`K = ${K}, random states and actions (some outside [-1, 1])`, () => {
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 1e6 }), fc.integer({ min: 1, max: 40 }), (seed, n) => {
          const markets = sampleMarkets(seed, n, { K });
          const states = new Float32Array(n * stateDim(K));
          markets.forEach((m, b) => {
            encodeState(m, states, b * stateDim(K));
          });
          const actions = new Float32Array(n * actionDim(K));
          for (let k = 0; k < actions.length; k++) actions[k] = 1.2 * Math.sin(seed + 7.3 * k);
          const result = new BatchEvaluator(K, { capacity: 4 }).evaluate(states, actions);
          expect(result.reward).toHaveLength(n);
          for (let b = 0; b < n; b++) {
            const expected = objectPath(states, actions, K, b);
            expect(close(result.utility[b]!, expected.utility)).toBe(true);
            expect(close(result.violation[b]!, expected.violation)).toBe(true);
            expect(close(result.reward[b]!, expected.reward)).toBe(true);
          }
        }),
        { numRuns: 25 },
      );
    });
  }

  it('honours qMax, penalty, scale and an explicit output buffer', () => {
    const K = 3;
    const n = 5;
    const markets = sampleMarkets(9, n, { qMax: 4 });
    const states = new Float32Array(n * stateDim(K));
    markets.forEach((m, b) => {
      encodeState(m, states, b * stateDim(K));
    });
    const actions = new Float32Array(n * actionDim(K)).map((_, k) => Math.cos(k));
    const out = { reward: new Float64Array(n), utility: new Float64Array(n), violation: new Float64Array(n) };
    const got = new BatchEvaluator(K, { qMax: 4, penalty: 2, scale: 3 }).evaluate(states, actions, n, out);
    expect(got.reward).toBe(out.reward);
    for (let b = 0; b < n; b++) {
      const m = decodeState(states, K, b * stateDim(K), { qMax: 4, esCount: 10 });
      const c = decodeAction(m, actions, b * actionDim(K));
      expect(out.reward[b]).toBeCloseTo(contractReward(m, c, { penalty: 2, scale: 3 }), 10);
      expect(out.violation[b]).toBeGreaterThan(0);
    }
  });

  it('rejects buffers too short for the row count', () => {
    const e = new BatchEvaluator(2);
    expect(() => e.evaluate(new Float32Array(10), new Float32Array(12), 1)).toThrow(RangeError);
  });
});
