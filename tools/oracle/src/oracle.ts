/**
 * The gradient oracle: model.md's diffusion actor (same architecture, initialisation, chain, boundary
 * penalty and Adam as DMSAC's) trained by gradient ascent on the exact reward, differentiated
 * through the chain, with no critic. Same batch size and number of actor steps as a learner gives
 * an upper reference: the part of a learner's gap to the optimum that a perfect critic would not
 * close either. Deterministic under its seed.
 */
import { Adam, createDiffusionActor, createNoise, type NoiseSource } from '@diffcontract/diffusion-actor';
import {
  type ActionFormulation,
  AllocationEvaluator,
  actionDim,
  allocationActionDim,
  createMarketSampler,
  encodeState,
  stateDim,
} from '@diffcontract/env';
import * as tf from '@tensorflow/tfjs';
import { rewardTensor, symlogTensor } from './reward.js';

export interface OracleConfig {
  /** the action's formulation (model.md section 6): allocation (LP-priced rewards) or contract */
  action: ActionFormulation;
  /** actor steps (DMSAC's default config takes 2950) */
  steps: number;
  /** Adam learning rate of the actor (model.md: 1e-4) */
  lr: number;
  /** markets per step (model.md: 256) */
  batchSize: number;
  /** lambda of the reward */
  penalty: number;
  /** reward transform the actor maximises (the training app's default: none) */
  transform: 'none' | 'symlog';
  /** `stochastic`: the chain draws its noise, as SAC's actor loss does; `deterministic`: all noise 0 */
  chain: 'stochastic' | 'deterministic';
  seed: number;
  /** denoising steps T */
  denoisingSteps: number;
}

export const DEFAULT_ORACLE_CONFIG: Readonly<OracleConfig> = Object.freeze({
  action: 'allocation',
  steps: 2950,
  lr: 1e-3,
  batchSize: 256,
  penalty: 5,
  transform: 'none',
  chain: 'stochastic',
  seed: 0,
  denoisingSteps: 5,
});

/** A NoiseSource that draws zeros: the chain's deterministic path through `sample`. */
const zeroNoise: NoiseSource = {
  fill: (out) => out.fill(0),
  normals: (n) => new Float32Array(n),
  nextInt: () => 0,
  nextFloat: () => 0,
  state: () => ({ s: [0, 0, 0, 0], spare: null }),
  restore: () => {},
};

export interface OracleProgress {
  step: number;
  /** mean (transformed) reward of the step's batch */
  reward: number;
}

export interface OracleRun {
  /** noise-free actions for `states` (count x actionDim) */
  act(states: Float32Array): Float32Array;
  dispose(): void;
}

export function trainOracle(
  config: OracleConfig,
  onProgress?: (p: OracleProgress) => void,
  every = 250,
): OracleRun {
  const sampler = createMarketSampler(config.seed * 2 + 1);
  const { K, qMax } = sampler.config;
  const S = stateDim(K);
  const allocation = config.action === 'allocation';
  const A = allocation ? allocationActionDim(K) : actionDim(K);
  // The allocation formulation's reward is an LP's value: its gradient comes from the LP's duals
  // (AllocationEvaluator.gradient), fed back as the constant g in the surrogate mean(g . a).
  const pricing = allocation ? new AllocationEvaluator(K, { qMax, penalty: config.penalty }) : null;
  const gradient = new Float32Array(config.batchSize * A);
  const noise = createNoise(config.seed * 2 + 2);
  const actor = createDiffusionActor({
    stateDim: S,
    actionDim: A,
    seed: config.seed,
    steps: config.denoisingSteps,
  });
  const opt = new Adam(actor.variables, { lr: config.lr });
  const variables = actor.variables as tf.Variable[];
  const states = new Float32Array(config.batchSize * S);
  for (let step = 1; step <= config.steps; step++) {
    for (let b = 0; b < config.batchSize; b++) encodeState(sampler.next(), states, b * S);
    const reward = tf.tidy(() => {
      const s = tf.tensor2d(states, [config.batchSize, S]);
      let mean: tf.Scalar | null = null;
      const { grads } = tf.variableGrads(() => {
        const sample = actor.sample(s, config.chain === 'stochastic' ? noise : zeroNoise);
        let loss: tf.Scalar;
        if (pricing) {
          const rewards = pricing.gradient(states, sample.actions.dataSync() as Float32Array, gradient);
          if (config.transform === 'symlog') {
            for (let b = 0; b < config.batchSize; b++) {
              const slope = 1 / (1 + Math.abs(rewards[b]!));
              for (let v = 0; v < A; v++) gradient[b * A + v] *= slope;
            }
          }
          let total = 0;
          for (let b = 0; b < config.batchSize; b++) {
            const r = rewards[b]!;
            total += config.transform === 'symlog' ? Math.sign(r) * Math.log1p(Math.abs(r)) : r;
          }
          mean = tf.keep(tf.scalar(total / config.batchSize));
          const g = tf.tensor2d(gradient, [config.batchSize, A]);
          loss = tf.neg(tf.mean(tf.sum(tf.mul(g, sample.actions), 1))) as tf.Scalar;
        } else {
          const raw = rewardTensor(s, sample.actions, { K, qMax, penalty: config.penalty });
          mean = tf.keep(tf.mean(config.transform === 'symlog' ? symlogTensor(raw) : raw) as tf.Scalar);
          loss = tf.neg(mean) as tf.Scalar;
        }
        return sample.penalty ? (tf.add(loss, sample.penalty) as tf.Scalar) : loss;
      }, variables);
      opt.apply(variables.map((v) => grads[v.name]!));
      return mean!;
    });
    if (onProgress && (step % every === 0 || step === config.steps)) {
      onProgress({ step, reward: reward.dataSync()[0]! });
    }
    reward.dispose();
  }
  const actNoise = createNoise(0);
  return {
    act: (x) => actor.act(x, actNoise, true),
    dispose: () => actor.dispose(),
  };
}
