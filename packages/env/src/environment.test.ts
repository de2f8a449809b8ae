import { describe, expect, it } from 'vitest';
import { decodeAllocation, priceAllocation } from './allocation.js';
import { actionDim, contractReward, decodeAction, encodeState, stateDim } from './encoding.js';
import { ContractEnvironment } from './environment.js';
import { cloudUtility, violation } from './model.js';
import { sampleMarkets } from './sampler.js';

describe('ContractEnvironment', () => {
  it('reset samples markets from its own seeded sampler and returns their float32 states', () => {
    const env = new ContractEnvironment({ seed: 5 });
    // the allocation formulation is the default: K + K^2 contributions
    expect([env.stateDim, env.actionDim, env.action]).toEqual([stateDim(3), 12, 'allocation']);
    const contract = new ContractEnvironment({ seed: 5, action: 'contract' });
    expect([contract.stateDim, contract.actionDim]).toEqual([stateDim(3), actionDim(3)]);
    const states = env.reset(4);
    const markets = sampleMarkets(5, 4);
    expect(env.markets()).toEqual(markets);
    const expected = new Float32Array(4 * stateDim(3));
    markets.forEach((m, b) => {
      encodeState(m, expected, b * stateDim(3));
    });
    expect(states).toEqual(expected);
    // The next reset continues the stream; a new environment with the same seed repeats it.
    env.reset(2);
    expect(env.markets()).toEqual(sampleMarkets(5, 6).slice(4));
    const again = new ContractEnvironment({ seed: 5 });
    expect(again.reset(4)).toEqual(states);
  });

  it('contract formulation: step scores each action against its own market (float64), like the object path', () => {
    const env = new ContractEnvironment({ seed: 8, sampler: { K: 2 }, penalty: 3, action: 'contract' });
    env.reset(6);
    const actions = new Float32Array(6 * env.actionDim).map((_, k) => Math.sin(3 * k));
    const { reward, utility, violation: viol } = env.step(actions);
    env.markets().forEach((m, b) => {
      const c = decodeAction(m, actions, b * env.actionDim);
      expect(utility[b]).toBeCloseTo(cloudUtility(m, c) / m.esCount, 10);
      expect(viol[b]).toBeCloseTo(violation(m, c), 10);
      expect(reward[b]).toBeCloseTo(contractReward(m, c, { penalty: 3 }), 10);
    });
  });

  it('allocation formulation: step prices each allocation; the gradient matches the reward', () => {
    const env = new ContractEnvironment({ seed: 8, sampler: { K: 2 }, penalty: 3 });
    const states = env.reset(6);
    const actions = new Float32Array(6 * env.actionDim).map((_, k) => 0.5 * Math.sin(3 * k) - 0.3);
    const { reward, utility, violation: viol } = env.step(actions);
    env.markets().forEach((m, b) => {
      const priced = priceAllocation(m, decodeAllocation(m, actions, b * env.actionDim), { penalty: 3 });
      expect(utility[b]).toBeCloseTo(cloudUtility(m, priced.contract) / m.esCount, 10);
      expect(viol[b]).toBeCloseTo(priced.slack, 10);
      expect(reward[b]).toBeCloseTo(contractReward(m, priced.contract, { penalty: 3 }), 8);
    });
    // The gradient call scores the same (float32) states: rewards agree to float32 rounding.
    const { reward: again, gradient } = env.actionGradient(states, actions);
    expect(gradient).toHaveLength(actions.length);
    again.forEach((r, b) => {
      expect(r).toBeCloseTo(reward[b]!, 4);
    });
  });

  it('misuse is reported', () => {
    const env = new ContractEnvironment();
    expect(() => env.step(new Float32Array(env.actionDim))).toThrow(/reset first/);
    env.reset(2);
    expect(() => env.step(new Float32Array(env.actionDim))).toThrow(/2 x 12/);
    expect(() => env.reset(0)).toThrow(RangeError);
    const contract = new ContractEnvironment({ action: 'contract' });
    contract.reset(2);
    expect(() => contract.step(new Float32Array(contract.actionDim))).toThrow(/2 x 24/);
    expect(() => contract.actionGradient(new Float32Array(18), new Float32Array(24))).toThrow(
      /only the allocation formulation/,
    );
    // biome-ignore lint/suspicious/noExplicitAny: a plain-JavaScript caller's typo
    expect(() => new ContractEnvironment({ action: 'prices' as any })).toThrow(/action must be one of/);
  });
});
