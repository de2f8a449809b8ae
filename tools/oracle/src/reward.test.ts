import {
  actionDim,
  contractReward,
  createMarketSampler,
  decodeAction,
  encodeAction,
  encodeState,
  stateDim,
} from '@diffcontract/env';
import { solveOptimum } from '@diffcontract/optimum';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { rewardTensor, symlogTensor } from './reward.js';

describe('rewardTensor', () => {
  it("equals env's contractReward on random and near-optimal contracts", async () => {
    await tf.setBackend('cpu');
    const K = 3;
    const S = stateDim(K);
    const A = actionDim(K);
    const markets = Array.from(
      { length: 12 },
      (
        (s) => () =>
          s.next()
      )(createMarketSampler(41)),
    );
    const states = new Float32Array(markets.length * 2 * S);
    const actions = new Float32Array(markets.length * 2 * A);
    let seed = 7;
    const uniform = () => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    for (let m = 0; m < markets.length; m++) {
      const market = markets[m]!;
      // row 2m: a uniformly random action; row 2m + 1: the optimum, slightly perturbed, so that
      // both slack and binding constraints are exercised
      encodeState(market, states, 2 * m * S);
      encodeState(market, states, (2 * m + 1) * S);
      for (let d = 0; d < A; d++) actions[2 * m * A + d] = 2 * uniform() - 1;
      const optimum = await solveOptimum(market);
      const near = encodeAction(market, optimum.contract);
      for (let d = 0; d < A; d++) actions[(2 * m + 1) * A + d] = near[d]! + 0.02 * (uniform() - 0.5);
    }
    const got = tf.tidy(() =>
      rewardTensor(
        tf.tensor2d(states, [2 * markets.length, S]),
        tf.tensor2d(actions, [2 * markets.length, A]),
        {
          K,
          qMax: 10,
          penalty: 5,
        },
      ).dataSync(),
    );
    for (let row = 0; row < 2 * markets.length; row++) {
      const market = markets[row >> 1]!;
      // env scores the contract the float32 action decodes to, as the environment does
      const expected = contractReward(market, decodeAction(market, actions.subarray(row * A, (row + 1) * A)));
      // float32 against float64: agreement to 1e-5 relative
      expect(Math.abs(got[row]! - expected)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(expected)));
    }
  });

  it('symlog is sign(r) ln(1 + |r|)', () => {
    const r = tf.tidy(() => symlogTensor(tf.tensor1d([-Math.E + 1, 0, 3])).dataSync());
    expect(r[0]).toBeCloseTo(-1, 6);
    expect(r[1]).toBe(0);
    expect(r[2]).toBeCloseTo(Math.log(4), 6);
  });
});
