/**
 * Exploration noise on the played actions (config `exploration`). The good contracts lie near the
 * corner of the action box (small q, small rewards). A policy pushed there plays exactly the corner,
 * and a replay without variance around the policy's actions leaves the critic's slope there
 * unlearned, so the actor follows an extrapolated slope straight into the bound. Gaussian noise on
 * the played actions (TD3-style, then clipped to the box) puts data on both sides of the policy.
 * The noise comes from the checkpointed exploration stream, so resumed runs stay bit for bit.
 */
import type { NoiseSource } from '@diffcontract/diffusion-actor';
import type { TrainConfig } from './config.js';

/**
 * The exploration noise's standard deviation at environment step `step`: `exploration.noise` at the
 * first step after warm-up, `exploration.noiseFinal` at the last step, linear in between.
 */
export function explorationStd(c: TrainConfig, step: number): number {
  const { noise, noiseFinal } = c.exploration;
  const first = c.budget.warmupSteps;
  const span = c.budget.steps - 1 - first;
  const t = span > 0 ? Math.min(1, Math.max(0, (step - first) / span)) : 0;
  return noise + (noiseFinal - noise) * t;
}

/**
 * actions <- clip(actions + std * N(0, 1), -1, 1), in place, drawing from `noise` (the checkpointed
 * exploration stream). std 0 draws nothing, so a run without noise keeps its old streams.
 */
export function addExplorationNoise(actions: Float32Array, std: number, noise: NoiseSource): void {
  if (std === 0) return;
  const z = noise.normals(actions.length);
  for (let k = 0; k < actions.length; k++) {
    const v = actions[k]! + std * z[k]!;
    actions[k] = Math.max(-1, Math.min(1, v));
  }
}
