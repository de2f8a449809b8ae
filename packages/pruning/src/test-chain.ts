import { PruningError } from './errors.js';
import { actorEpsForward } from './test-actor.js';
import type { PrunableNetwork } from './types.js';

/** The fields of diffusion-actor's VpSchedule that the reverse chain uses (arrays indexed by t - 1). */
export interface ReverseSchedule {
  readonly steps: number;
  readonly sqrtRecipAlphaBar: ArrayLike<number>;
  readonly sqrtRecipM1AlphaBar: ArrayLike<number>;
  readonly posteriorVariance: ArrayLike<number>;
  readonly posteriorC1: ArrayLike<number>;
  readonly posteriorC2: ArrayLike<number>;
}

/** Source of standard normal draws (diffusion-actor's NoiseSource fits). */
export interface NormalSource {
  normals(n: number): Float32Array;
}

/**
 * TEST-ONLY INDEPENDENT REFERENCE of the reverse chain (the one used in training and inference is
 * diffusion-actor's: `reverseSteps`, `chainNoise`, the actor and `ActorInference`). This plain-array
 * transcription of model.md section 7 lets pruning's tests check masks and compaction through whole
 * chains without tfjs; it is excluded from the build and not exported.
 *
 * Reverse DDPM sampling with the actor's eps network on plain arrays: x_T ~ N(0, I); for
 * i = T-1 .. 0: x0 = clip(x sqrtRecipAlphaBar[i] - eps(x, i, s) sqrtRecipM1AlphaBar[i], -1, 1),
 * x <- c1[i] x0 + c2[i] x (+ sigma_i z for i > 0, sigma_i = sqrt(posteriorVariance[i])); returns
 * clip(x, -1, 1), `[batch x A]`. Draws are taken in one call of n (1 + #stochastic steps) values:
 * x_T first, then the noise of steps T-1 .. 1, as the actor draws them. `noise` null: all draws 0.
 * `timeEmbeddings` is `[T x E]`, row i the embedding of step index i (diffusion-actor's
 * `sinusoidalEmbedding(T, E)`).
 */
export function actorDenoise(
  network: PrunableNetwork,
  schedule: ReverseSchedule,
  timeEmbeddings: Float32Array,
  states: Float32Array,
  batch: number,
  noise: NormalSource | null,
): Float32Array {
  const T = schedule.steps;
  const E = network.layers[0]!.inDim;
  const A = network.layers[network.layers.length - 1]!.outDim;
  if (!Number.isInteger(T) || T < 1)
    throw new PruningError('schedule.steps', 'must be a positive integer', T);
  if (timeEmbeddings.length !== T * E) {
    throw new PruningError(
      'timeEmbeddings',
      `must hold steps x ${E} = ${T * E} values`,
      timeEmbeddings.length,
    );
  }
  const sigma = Array.from({ length: T }, (_, i) =>
    i > 0 ? Math.sqrt(Math.max(schedule.posteriorVariance[i]!, 1e-20)) : 0,
  );
  const stochastic = sigma.filter((s) => s > 0).length;
  const n = batch * A;
  const values = noise ? noise.normals(n * (1 + stochastic)) : new Float32Array(n * (1 + stochastic));
  if (values.length !== n * (1 + stochastic)) {
    throw new PruningError('noise', `must return ${n * (1 + stochastic)} values`, values.length);
  }
  let x = values.slice(0, n);
  let k = 1;
  for (let i = T - 1; i >= 0; i--) {
    const eps = actorEpsForward(network, x, timeEmbeddings.subarray(i * E, (i + 1) * E), states, batch);
    const a = schedule.sqrtRecipAlphaBar[i]!;
    const b = schedule.sqrtRecipM1AlphaBar[i]!;
    const c1 = schedule.posteriorC1[i]!;
    const c2 = schedule.posteriorC2[i]!;
    const next = new Float32Array(n);
    const draw = sigma[i]! > 0 ? values.subarray(k * n, (k + 1) * n) : undefined;
    for (let e = 0; e < n; e++) {
      const x0 = Math.min(1, Math.max(-1, x[e]! * a - eps[e]! * b));
      next[e] = x0 * c1 + x[e]! * c2 + (draw ? Math.fround(draw[e]! * sigma[i]!) : 0);
    }
    if (draw) k += 1;
    x = next;
  }
  for (let e = 0; e < n; e++) x[e] = Math.min(1, Math.max(-1, x[e]!));
  return x;
}
