/**
 * The baseline SAC actor: a Gaussian over pre-squash actions, squashed by tanh into [-1, 1].
 * MLP(s) -> [mean, raw log-std]; log-std is mapped smoothly into [logStdMin, logStdMax];
 * u = mean + std * eps, a = tanh(u), and the exact log-density with the change of variables
 *   log pi(a | s) = sum_k [ log N(u_k; mean_k, std_k) - log(1 - tanh(u_k)^2) ],
 * using log(1 - tanh(u)^2) = 2 (log 2 - u - softplus(-2u)) (finite even where tanh(u) rounds to 1).
 */

import {
  assignValues,
  copyVariables,
  Mlp,
  type NoiseSource,
  packArtefact,
  readAndDispose,
  softUpdateVariables,
  tensorOf,
  type WeightsArtefact,
} from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import type { Actor, ActorSample, ActorSpec } from './actor.js';

export const GAUSSIAN_KIND = 'gaussian';

export interface GaussianActorConfig {
  stateDim: number;
  actionDim: number;
  /** hidden widths (Mish) */
  hidden: number[];
  logStdMin: number;
  logStdMax: number;
  seed: number;
}

export const DEFAULT_GAUSSIAN_CONFIG = Object.freeze({
  hidden: [256, 256],
  logStdMin: -5,
  logStdMax: 2,
  seed: 0,
});

export type GaussianActorOptions = Pick<GaussianActorConfig, 'stateDim' | 'actionDim'> &
  Partial<Omit<GaussianActorConfig, 'stateDim' | 'actionDim'>>;

export function resolveGaussianConfig(options: GaussianActorOptions): GaussianActorConfig {
  const known = new Set(['stateDim', 'actionDim', ...Object.keys(DEFAULT_GAUSSIAN_CONFIG)]);
  for (const key of Object.keys(options)) {
    if (!known.has(key))
      throw new Error(
        `gaussian.${key}: unknown key (${JSON.stringify((options as Record<string, unknown>)[key])})`,
      );
  }
  const c: GaussianActorConfig = {
    ...DEFAULT_GAUSSIAN_CONFIG,
    hidden: [...DEFAULT_GAUSSIAN_CONFIG.hidden],
    ...options,
  };
  const bad = (field: string, value: unknown, problem: string): never => {
    throw new Error(`gaussian.${field}: ${problem} (${JSON.stringify(value)})`);
  };
  for (const key of ['stateDim', 'actionDim'] as const) {
    if (!Number.isInteger(c[key]) || c[key] < 1) bad(key, c[key], 'must be an integer >= 1');
  }
  if (!Array.isArray(c.hidden) || c.hidden.length === 0) bad('hidden', c.hidden, 'must be a non-empty array');
  c.hidden.forEach((h, i) => {
    if (!Number.isInteger(h) || h < 1) bad(`hidden[${i}]`, h, 'must be an integer >= 1');
  });
  if (!Number.isFinite(c.logStdMin)) bad('logStdMin', c.logStdMin, 'must be a finite number');
  if (!(c.logStdMax > c.logStdMin)) bad('logStdMax', c.logStdMax, 'must be > logStdMin');
  if (!Number.isInteger(c.seed)) bad('seed', c.seed, 'must be an integer');
  return c;
}

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

export class GaussianActor implements Actor {
  readonly kind = GAUSSIAN_KIND;
  readonly config: GaussianActorConfig;
  readonly stateDim: number;
  readonly actionDim: number;
  private readonly net: Mlp;
  readonly variables: readonly tf.Variable[];

  constructor(options: GaussianActorOptions) {
    this.config = resolveGaussianConfig(options);
    this.stateDim = this.config.stateDim;
    this.actionDim = this.config.actionDim;
    this.net = new Mlp(
      'gaussian',
      [this.stateDim, ...this.config.hidden, 2 * this.actionDim],
      this.config.seed,
    );
    this.variables = this.net.variables;
  }

  private head(states: tf.Tensor2D): { mean: tf.Tensor2D; logStd: tf.Tensor2D } {
    const out = this.net.apply(states, { gradInput: false });
    const [mean, raw] = tf.split(out, 2, 1) as [tf.Tensor2D, tf.Tensor2D];
    const { logStdMin: lo, logStdMax: hi } = this.config;
    const logStd = tf.add(lo, tf.mul(0.5 * (hi - lo), tf.add(tf.tanh(raw), 1))) as tf.Tensor2D;
    return { mean, logStd };
  }

  sample(states: tf.Tensor2D, noise: NoiseSource): Required<Pick<ActorSample, 'actions' | 'logProb'>> {
    const batch = states.shape[0];
    const { mean, logStd } = this.head(states);
    const eps = tf.tensor2d(noise.normals(batch * this.actionDim), [batch, this.actionDim]);
    const u = tf.add(mean, tf.mul(tf.exp(logStd), eps));
    const actions = tf.tanh(u) as tf.Tensor2D;
    // log N(u; mean, std) = -eps^2/2 - logStd - log(2 pi)/2 (u - mean = std * eps exactly).
    const logNormal = tf.sub(tf.add(tf.mul(tf.square(eps), -0.5), tf.neg(logStd)), HALF_LOG_2PI);
    const logJacobian = tf.mul(tf.sub(tf.sub(Math.LN2, u), tf.softplus(tf.mul(u, -2))), 2);
    const logProb = tf.sum(tf.sub(logNormal, logJacobian), 1) as tf.Tensor1D;
    return { actions, logProb };
  }

  act(states: Float32Array, noise: NoiseSource, deterministic = false): Float32Array {
    const count = states.length / this.stateDim;
    if (!Number.isInteger(count))
      throw new Error(`act: ${states.length} values is not a multiple of stateDim ${this.stateDim}`);
    return readAndDispose(
      tf.tidy(() => {
        const s = tf.tensor2d(states, [count, this.stateDim]);
        return deterministic ? tf.tanh(this.head(s).mean) : this.sample(s, noise).actions;
      }),
    );
  }

  clone(): GaussianActor {
    const copy = new GaussianActor(this.config);
    copy.copyFrom(this);
    return copy;
  }

  softUpdate(source: Actor, tau: number): void {
    softUpdateVariables(this.variables, source.variables, tau);
  }

  copyFrom(source: Actor): void {
    copyVariables(this.variables, source.variables);
  }

  toArtefact(): WeightsArtefact {
    return packArtefact(
      GAUSSIAN_KIND,
      { ...this.config },
      this.net.layers.flatMap((l, i) => [
        {
          name: `net.${i}.kernel`,
          shape: l.kernel.shape as number[],
          values: l.kernel.dataSync() as Float32Array,
        },
        { name: `net.${i}.bias`, shape: l.bias.shape as number[], values: l.bias.dataSync() as Float32Array },
      ]),
    );
  }

  loadWeights(artefact: WeightsArtefact): void {
    if (artefact.manifest.kind !== GAUSSIAN_KIND)
      throw new Error(`weights: kind: expected ${GAUSSIAN_KIND} (${artefact.manifest.kind})`);
    this.net.layers.forEach((l, i) => {
      assignValues(l.kernel, tensorOf(artefact, `net.${i}.kernel`, l.kernel.shape));
      assignValues(l.bias, tensorOf(artefact, `net.${i}.bias`, l.bias.shape));
    });
  }

  static fromArtefact(artefact: WeightsArtefact): GaussianActor {
    const actor = new GaussianActor(artefact.manifest.config as unknown as GaussianActorOptions);
    actor.loadWeights(artefact);
    return actor;
  }

  dispose(): void {
    this.net.dispose();
  }
}

export function createGaussianActor(spec: ActorSpec, options: Record<string, unknown> = {}): GaussianActor {
  return new GaussianActor({
    ...options,
    stateDim: spec.stateDim,
    actionDim: spec.actionDim,
    seed: spec.seed,
  });
}
