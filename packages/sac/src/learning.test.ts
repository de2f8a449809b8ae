/**
 * Both actors learn a small contextual bandit: states s ~ U[-1, 1]^3, reward
 * r = -|a - a*(s)|^2 with a*(s) = (0.6 s0, -0.6 s1). A policy that ignores the state scores about
 * -0.9; the optimum is 0. Training interleaves acting, storing and one update per step, exactly as
 * the training app does.
 */
import { createNoise } from '@diffcontract/diffusion-actor';
import { describe, expect, test } from 'vitest';
import type { ActorFactory } from './actor.js';
import { createSacAgent } from './agent.js';
import { diffusionActorFactory, gaussianActorFactory } from './builtins.js';
import { allocateBatch, ReplayBuffer } from './replay.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const S = 3;
const A = 2;
const B = 64;

function rewards(states: Float32Array, actions: Float32Array): Float32Array {
  const n = states.length / S;
  const r = new Float32Array(n);
  for (let b = 0; b < n; b++) {
    const d0 = actions[b * A]! - 0.6 * states[b * S]!;
    const d1 = actions[b * A + 1]! + 0.6 * states[b * S + 1]!;
    r[b] = -(d0 * d0 + d1 * d1);
  }
  return r;
}

function uniformStates(seed: number, n: number): Float32Array {
  const rng = createNoise(seed);
  return Float32Array.from({ length: n * S }, () => 2 * rng.nextFloat() - 1);
}

/** mean and standard error of the policy's reward on 512 fixed states */
function evaluate(act: (s: Float32Array) => Float32Array): { mean: number; se: number } {
  const states = uniformStates(123_456, 512);
  const r = rewards(states, act(states));
  const mean = r.reduce((a, b) => a + b, 0) / r.length;
  const variance = r.reduce((a, b) => a + (b - mean) ** 2, 0) / (r.length - 1);
  return { mean, se: Math.sqrt(variance / r.length) };
}

describe('learning on a toy contextual bandit', () => {
  test.each([
    ['diffusion', diffusionActorFactory, 150],
    ['gaussian', gaussianActorFactory, 150],
  ] as [string, ActorFactory, number][])(
    '%s actor improves the reward far beyond noise',
    (_, factory, steps) => {
      const agent = createSacAgent(
        { batchSize: B, criticHidden: [64, 64], actorLr: 1e-3, criticLr: 3e-3, seed: 7 },
        factory.create({ stateDim: S, actionDim: A, seed: 7 }, { hidden: [64, 64] }),
      );
      const evalNoise = () => createNoise(5);
      const before = evaluate((s) => agent.act(s, { noise: evalNoise() }));
      const buffer = new ReplayBuffer({ capacity: 10_000, stateDim: S, actionDim: A });
      const batch = allocateBatch(B, S, A);
      const rng = createNoise(11);
      for (let k = 0; k < steps; k++) {
        const states = uniformStates(1000 + k, 16);
        const actions = agent.act(states);
        buffer.add(states, actions, rewards(states, actions));
        agent.update(buffer.sample(rng, batch));
      }
      const after = evaluate((s) => agent.act(s, { noise: evalNoise() }));
      const se = Math.hypot(before.se, after.se);
      expect(after.mean - before.mean).toBeGreaterThan(10 * se);
      expect(after.mean).toBeGreaterThan(-0.1);
      agent.dispose();
    },
  );
});
