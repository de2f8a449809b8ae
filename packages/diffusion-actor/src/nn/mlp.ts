/**
 * A Mish MLP whose parameters are tf.Variables with stable names, initialised like PyTorch's
 * nn.Linear (weights and bias ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn))) from a seeded generator.
 */
import * as tf from '@tensorflow/tfjs';
import { dense, denseMish } from './layers.js';
import { createNoise, type NoiseSource } from './noise.js';

export interface DenseParams {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

let uid = 0;
/** Variable names must be unique per tfjs engine; clones get fresh names. */
export function uniqueName(base: string): string {
  uid += 1;
  return `${base}_${uid}`;
}

export function uniformValues(rng: NoiseSource, n: number, bound: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (2 * rng.nextFloat() - 1) * bound;
  return out;
}

/** PyTorch-style initialisation of a [fanIn, units] kernel (bound from `fanIn`). */
export function createDense(
  rng: NoiseSource,
  name: string,
  inDim: number,
  outDim: number,
  fanIn = inDim,
): DenseParams {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernel: tf.variable(
      tf.tensor2d(uniformValues(rng, inDim * outDim, bound), [inDim, outDim]),
      true,
      uniqueName(`${name}.kernel`),
    ),
    bias: tf.variable(tf.tensor1d(uniformValues(rng, outDim, bound)), true, uniqueName(`${name}.bias`)),
  };
}

export class Mlp {
  readonly layers: DenseParams[];

  /** sizes = [input, hidden..., output]; Mish after every layer but the last. */
  constructor(
    readonly name: string,
    readonly sizes: readonly number[],
    seed: number | NoiseSource,
  ) {
    const rng = typeof seed === 'number' ? createNoise(seed) : seed;
    this.layers = [];
    for (let l = 0; l + 1 < sizes.length; l++) {
      this.layers.push(createDense(rng, `${name}.${l}`, sizes[l]!, sizes[l + 1]!));
    }
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.kernel, l.bias]);
  }

  /** Forward pass; `masks[l]` (optional, [units]) multiplies hidden layer l's output. */
  apply(x: tf.Tensor2D, masks?: readonly (tf.Tensor1D | null)[] | null): tf.Tensor2D {
    let h = x;
    const last = this.layers.length - 1;
    this.layers.forEach((layer, l) => {
      if (l < last) {
        h = denseMish(h, layer.kernel, layer.bias);
        const m = masks?.[l];
        if (m) h = tf.mul(h, m);
      } else {
        h = dense(h, layer.kernel, layer.bias);
      }
    });
    return h;
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

/** target <- tau * source + (1 - tau) * target, pairwise. */
export function softUpdateVariables(
  target: readonly tf.Variable[],
  source: readonly tf.Variable[],
  tau: number,
): void {
  if (target.length !== source.length)
    throw new Error(`soft update: ${target.length} vs ${source.length} variables`);
  tf.tidy(() => {
    const t = tf.scalar(tau);
    const keep = tf.scalar(1 - tau);
    target.forEach((v, i) => {
      v.assign(tf.add(tf.mul(v, keep), tf.mul(source[i]!, t)));
    });
  });
}

export function copyVariables(target: readonly tf.Variable[], source: readonly tf.Variable[]): void {
  if (target.length !== source.length)
    throw new Error(`copy: ${target.length} vs ${source.length} variables`);
  target.forEach((v, i) => {
    v.assign(source[i]!);
  });
}
