import { createNoise } from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import type { Actor } from './actor.js';
import { createSacAgent } from './agent.js';
import { diffusionActorFactory, gaussianActorFactory } from './builtins.js';
import { allocateBatch, type TransitionBatch } from './replay.js';
import { LinearActor } from './test-actor.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const S = 3;
const A = 2;
const B = 64;
const fast = { batchSize: B, criticHidden: [64, 64] };
const small = { hidden: [32, 32] };

/** Toy reward: r = s0 a0 - a1^2 + 0.5 s1 (smooth, known). */
function toyBatch(seed: number, n = B): TransitionBatch {
  const rng = createNoise(seed);
  const batch = allocateBatch(n, S, A);
  for (let i = 0; i < n * S; i++) batch.states[i] = 2 * rng.nextFloat() - 1;
  for (let i = 0; i < n * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  for (let b = 0; b < n; b++) {
    const s = batch.states.subarray(b * S);
    const a = batch.actions.subarray(b * A);
    batch.rewards[b] = s[0]! * a[0]! - a[1]! * a[1]! + 0.5 * s[1]!;
  }
  return batch;
}

const spec = { stateDim: S, actionDim: A, seed: 1 };

describe('SAC agent', () => {
  test('critic regression on a toy reward converges (held-out MSE < 5% of the reward variance)', () => {
    const agent = createSacAgent({ ...fast, criticLr: 3e-3 }, gaussianActorFactory.create(spec, small));
    for (let k = 0; k < 300; k++) agent.update(toyBatch(k));
    const test = toyBatch(10_000, 512);
    const q = agent.qValues(test.states, test.actions);
    let mse = 0;
    let mean = 0;
    for (let i = 0; i < 512; i++) mean += test.rewards[i]! / 512;
    let variance = 0;
    for (let i = 0; i < 512; i++) {
      mse += (q[i]! - test.rewards[i]!) ** 2 / 512;
      variance += (test.rewards[i]! - mean) ** 2 / 512;
    }
    expect(mse).toBeLessThan(0.05 * variance);
    expect(agent.metrics().criticLoss).toBeLessThan(2 * 0.05 * variance * 2);
    agent.dispose();
  });

  test('temperature moves toward its target: alpha falls above target entropy, rises below', () => {
    for (const [entropyValue, direction] of [
      [3, -1],
      [-3, 1],
    ] as const) {
      const agent = createSacAgent(
        { ...fast, targetEntropy: 0, initialAlpha: 0.1, alphaLr: 0.01 },
        new LinearActor(spec, { entropyValue }),
      );
      const alphas = [agent.alpha()];
      for (let k = 0; k < 20; k++) {
        agent.update(toyBatch(k));
        alphas.push(agent.alpha());
      }
      for (let k = 1; k < alphas.length; k++) expect(Math.sign(alphas[k]! - alphas[k - 1]!)).toBe(direction);
      expect(agent.metrics().entropy).toBeCloseTo(entropyValue, 5);
      agent.dispose();
    }
  });

  test('the Gaussian actor starts far above the target entropy -A, so alpha decreases', () => {
    const agent = createSacAgent({ ...fast, alphaLr: 0.01 }, gaussianActorFactory.create(spec, small));
    const a0 = agent.alpha();
    for (let k = 0; k < 10; k++) agent.update(toyBatch(k));
    const m = agent.metrics();
    expect(m.entropy).toBeGreaterThan(agent.targetEntropy);
    expect(m.alpha).toBeLessThan(a0);
    agent.dispose();
  });

  test.each([
    ['diffusion', diffusionActorFactory],
    ['gaussian', gaussianActorFactory],
  ])('%s: numTensors is flat across updates', (_, factory) => {
    const agent = createSacAgent(fast, factory.create(spec, small));
    const batch = toyBatch(1);
    agent.update(batch);
    agent.metrics();
    const before = tf.memory().numTensors;
    for (let k = 0; k < 5; k++) {
      agent.update(batch);
      agent.act(batch.states);
      agent.qValues(batch.states, batch.actions);
    }
    agent.metrics();
    expect(tf.memory().numTensors).toBe(before);
    agent.dispose();
  });

  test.each([
    ['diffusion', diffusionActorFactory],
    ['gaussian', gaussianActorFactory],
  ])('%s: a checkpoint restored into a fresh agent continues bit for bit', (_, factory) => {
    const weights = (a: Actor) => Array.from(a.toArtefact().values);
    const run = createSacAgent(fast, factory.create(spec, small));
    for (let k = 0; k < 3; k++) run.update(toyBatch(k));
    const checkpoint = run.saveState();
    for (let k = 3; k < 6; k++) run.update(toyBatch(k));
    const resumed = createSacAgent(fast, factory.create({ ...spec, seed: 99 }, small));
    resumed.loadState(checkpoint);
    expect(resumed.updates).toBe(3);
    for (let k = 3; k < 6; k++) resumed.update(toyBatch(k));
    expect(weights(resumed.actor)).toEqual(weights(run.actor));
    expect(weights(resumed.targetActor)).toEqual(weights(run.targetActor));
    expect(resumed.metrics()).toEqual(run.metrics());
    const probe = toyBatch(77);
    expect(resumed.act(probe.states)).toEqual(run.act(probe.states));
    run.dispose();
    resumed.dispose();
  });

  test('target networks follow the online ones by Polyak averaging with tau', () => {
    const agent = createSacAgent({ ...fast, tau: 0.5 }, new LinearActor(spec));
    const before = Array.from(agent.targetActor.toArtefact().values);
    agent.update(toyBatch(0));
    const online = Array.from(agent.actor.toArtefact().values);
    const after = Array.from(agent.targetActor.toArtefact().values);
    after.forEach((v, i) => {
      expect(v).toBeCloseTo(0.5 * before[i]! + 0.5 * online[i]!, 6);
    });
    agent.dispose();
  });

  test('wrong batch size is a one-line error', () => {
    const agent = createSacAgent(fast, new LinearActor(spec));
    expect(() => agent.update(toyBatch(0, 8))).toThrow('update: batch.size must equal sac.batchSize 64 (8)');
    agent.dispose();
  });
});
