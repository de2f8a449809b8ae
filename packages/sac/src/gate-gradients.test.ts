/**
 * actorGateGradients (EDMSAC's Taylor criterion) against central finite differences of the actor
 * loss in each unit's gate, on a tiny diffusion actor with some units masked (gate 0) and the rest
 * active (gate 1). The loss at perturbed gates is the same method's `loss` with the gates set as
 * masks and the same noise.
 */
import { createNoise } from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, test } from 'vitest';
import { createSacAgent } from './agent.js';
import type { SacAgent } from './agent-types.js';
import { diffusionActorFactory } from './builtins.js';
import type { SacConfig } from './config.js';
import { allocateBatch, type TransitionBatch } from './replay.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();

const S = 3;
const A = 2;
const B = 16;

function batchOf(seed: number): TransitionBatch {
  const rng = createNoise(seed);
  const batch = allocateBatch(B, S, A);
  for (let i = 0; i < B * S; i++) batch.states[i] = 2 * rng.nextFloat() - 1;
  for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
  for (let b = 0; b < B; b++)
    batch.rewards[b] = batch.states[b * S]! * batch.actions[b * A]! - batch.actions[b * A + 1]! ** 2;
  return batch;
}

function trainedAgent(sac: Partial<SacConfig>): SacAgent {
  const actor = diffusionActorFactory.create(
    { stateDim: S, actionDim: A, seed: 3 },
    { hidden: [6, 6], timeEmbedding: 4, steps: 3, entropyStates: 4, entropySamples: 3 },
  );
  const agent = createSacAgent(
    { batchSize: B, criticHidden: [16, 16], actorLr: 3e-3, seed: 5, ...sac },
    actor,
  );
  for (let k = 0; k < 5; k++) agent.update(batchOf(k));
  return agent;
}

/** Gradients vs central differences for every unit; returns the largest error relative to the scale. */
function check(agent: SacAgent, h: number): { worst: number; scale: number } {
  const masks = [8, 6, 6].map((w) => Float32Array.from({ length: w }, (_, j) => (j % 4 === 2 ? 0 : 1)));
  agent.actor.setUnitMasks!(masks);
  const batch = batchOf(99);
  const { gradients } = agent.actorGateGradients(batch, createNoise(7));
  expect(gradients.map((g) => g.length)).toEqual([8, 6, 6]);
  const lossAt = (layer: number, unit: number, delta: number) => {
    const gates = masks.map((m) => m.slice());
    gates[layer]![unit]! += delta;
    agent.actor.setUnitMasks!(gates);
    return agent.actorGateGradients(batch, createNoise(7)).loss;
  };
  let worst = 0;
  let scale = 0;
  masks.forEach((m, layer) => {
    for (let unit = 0; unit < m.length; unit++) {
      const fd = (lossAt(layer, unit, h) - lossAt(layer, unit, -h)) / (2 * h);
      const g = gradients[layer]![unit]!;
      worst = Math.max(worst, Math.abs(fd - g));
      scale = Math.max(scale, Math.abs(g));
    }
  });
  agent.actor.setUnitMasks!(masks);
  return { worst, scale };
}

describe('actor gate gradients', () => {
  test('match finite differences of -mean min Q (no entropy term), masked units included', () => {
    const agent = trainedAgent({ initialAlpha: 0, autoTemperature: false });
    const { worst, scale } = check(agent, 1e-2);
    expect(scale).toBeGreaterThan(1e-4);
    expect(worst).toBeLessThan(0.02 * scale + 2e-5);
    agent.dispose();
  });

  test('match finite differences of the full actor loss with the entropy bonus', () => {
    const agent = trainedAgent({ initialAlpha: 0.2, autoTemperature: true });
    const { worst, scale } = check(agent, 1e-2);
    expect(scale).toBeGreaterThan(1e-4);
    expect(worst).toBeLessThan(0.05 * scale + 1e-4);
    agent.dispose();
  });

  test('leave weights, update count and masks as they were, and no tensors behind', () => {
    const agent = trainedAgent({});
    const masks = [8, 6, 6].map((w) => Float32Array.from({ length: w }, (_, j) => (j === 0 ? 0 : 1)));
    agent.actor.setUnitMasks!(masks);
    const before = agent.actor.variables.map((v) => (v.dataSync() as Float32Array).slice());
    const updates = agent.updates;
    agent.actorGateGradients(batchOf(1), createNoise(1));
    const tensors = tf.memory().numTensors;
    agent.actorGateGradients(batchOf(1), createNoise(1));
    expect(tf.memory().numTensors).toBe(tensors);
    expect(agent.actor.variables.map((v) => v.dataSync() as Float32Array)).toEqual(before);
    expect(agent.updates).toBe(updates);
    expect(agent.actor.unitGates!()).toEqual(masks);
    agent.dispose();
  });
});
