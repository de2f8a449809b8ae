/**
 * The training trajectory under a seed is the same, to float32 tolerance, with the wasm fast paths
 * and with the reference paths (tfjs ops and JS kernels) on the same backend.
 */
import { createNoise, setFastKernels } from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import { afterAll, expect, test } from 'vitest';
import { createSacAgent } from './agent.js';
import { diffusionActorFactory } from './builtins.js';
import { allocateBatch } from './replay.js';
import { useTestBackend } from './test-backend.js';

await useTestBackend();
afterAll(() => setFastKernels(true));

const S = 6;
const A = 4;
const B = 32;

function trajectory(fast: boolean, entropy: boolean) {
  setFastKernels(fast);
  const actor = diffusionActorFactory.create({ stateDim: S, actionDim: A, seed: 2 }, { hidden: [32, 32] });
  const agent = createSacAgent(
    {
      batchSize: B,
      criticHidden: [32, 32],
      actorLr: 1e-3,
      criticLr: 3e-3,
      ...(entropy ? {} : { initialAlpha: 0, autoTemperature: false }),
    },
    actor,
  );
  const rng = createNoise(4);
  const batch = allocateBatch(B, S, A);
  const losses: number[] = [];
  for (let u = 0; u < 12; u++) {
    for (let i = 0; i < B * S; i++) batch.states[i] = rng.nextFloat();
    for (let i = 0; i < B * A; i++) batch.actions[i] = 2 * rng.nextFloat() - 1;
    for (let b = 0; b < B; b++) batch.rewards[b] = -((batch.actions[b * A]! - batch.states[b * S]!) ** 2);
    agent.update(batch);
    const m = agent.metrics();
    losses.push(m.criticLoss, m.actorLoss, m.alpha);
  }
  const weights = [...agent.actor.variables].map((v) => Array.from(v.dataSync()));
  const acts = Array.from(agent.act(batch.states, { deterministic: true }));
  agent.dispose();
  setFastKernels(true);
  return { losses, weights, acts };
}

test.skipIf(tf.getBackend() !== 'wasm').each([false, true])(
  '12 updates (entropy term %s): same losses, weights and actions on both paths',
  (entropy) => {
    const fast = trajectory(true, entropy);
    const ref = trajectory(false, entropy);
    fast.losses.forEach((l, i) => {
      expect(Math.abs(l - ref.losses[i]!)).toBeLessThan(1e-4 * (1 + Math.abs(ref.losses[i]!)));
    });
    fast.weights.forEach((w, i) => {
      const r = ref.weights[i]!;
      let d = 0;
      for (let k = 0; k < w.length; k++) d = Math.max(d, Math.abs(w[k]! - r[k]!));
      // Adam moves each weight by at most about lr per step; the paths agree far below that.
      expect(d).toBeLessThan(1e-5);
    });
    fast.acts.forEach((a, i) => {
      expect(Math.abs(a - ref.acts[i]!)).toBeLessThan(1e-4);
    });
  },
);
