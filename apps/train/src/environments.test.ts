import { ContractEnvironment } from '@diffcontract/env';
import { environments } from '@diffcontract/sac';
import { describe, expect, it } from 'vitest';
import { CONTRACT_ENVIRONMENT, registerBuiltinEnvironments, symlog } from './environments.js';

describe('symlog', () => {
  it('is odd, strictly increasing and compresses large magnitudes', () => {
    expect(symlog(0)).toBe(0);
    expect(symlog(Math.E - 1)).toBeCloseTo(1, 15);
    expect(symlog(-(Math.E - 1))).toBeCloseTo(-1, 15);
    expect(symlog(-1000)).toBeCloseTo(-Math.log(1001), 12);
    const xs = [-1e6, -10, -1, -1e-9, 0, 1e-9, 0.5, 3, 1e6];
    for (let i = 1; i < xs.length; i++) expect(symlog(xs[i]!)).toBeGreaterThan(symlog(xs[i - 1]!));
  });
});

describe('the two-period-contract environment', () => {
  registerBuiltinEnvironments();
  const factory = environments.get(CONTRACT_ENVIRONMENT);

  it('is the env package environment with the configured reward', () => {
    const env = factory({ seed: 3, penalty: 2, scale: 4 });
    const reference = new ContractEnvironment({ seed: 3, penalty: 2, scale: 4 });
    const states = env.reset(5);
    expect(states).toEqual(reference.reset(5));
    const actions = Float32Array.from({ length: 5 * env.actionDim }, (_, k) => Math.sin(k));
    expect(Array.from(env.step(actions).reward)).toEqual(Array.from(reference.step(actions).reward));
  });

  it('passes the reward through symlog when asked, keeping utility and violation raw', () => {
    const plain = factory({ seed: 9, penalty: 5, scale: 'beta' });
    const logged = factory({ seed: 9, penalty: 5, scale: 'beta', rewardTransform: 'symlog' });
    plain.reset(4);
    logged.reset(4);
    const actions = Float32Array.from({ length: 4 * plain.actionDim }, (_, k) => Math.cos(3 * k));
    const raw = Float64Array.from(plain.step(actions).reward);
    const result = logged.step(actions) as unknown as { reward: Float64Array; violation: Float64Array };
    expect(Array.from(result.reward)).toEqual(Array.from(raw, symlog));
    expect(result.violation.length).toBe(4);
  });

  it('names unknown options', () => {
    expect(() => factory({ seed: 0, noise: 1 })).toThrow('environment.noise: unknown option (1)');
    expect(() => factory({ seed: 0, rewardTransform: 'log' })).toThrow(
      'environment.rewardTransform: must be one of none, symlog ("log")',
    );
  });
});
