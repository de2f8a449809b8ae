/**
 * A Mish MLP whose parameters are tf.Variables with stable names, initialised like PyTorch's
 * nn.Linear (weights and bias ~ U(-1/sqrt(fanIn), 1/sqrt(fanIn))) from a seeded generator.
 */
import * as tf from '@tensorflow/tfjs';
import { wasmCopy, wasmPolyak } from '../wasm/tfjs-kernels.js';
import { useWasmKernels } from './fast.js';
import { readView, replaceValues } from './host.js';
import { linear } from './layers.js';
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

/**
 * A trainable variable that owns its data (the initial tensor is freed, so nothing else shares its
 * storage).
 */
export function ownedVariable(
  values: Float32Array,
  shape: number[],
  name: string,
  trainable = true,
): tf.Variable {
  return tf.tidy(() => tf.variable(tf.tensor(values, shape), trainable, uniqueName(name)));
}

/** Overwrites a variable's values (copied; the variable gets fresh storage). */
export function assignValues(v: tf.Variable, values: Float32Array): void {
  if (values.length !== v.size) throw new Error(`${v.name}: expected ${v.size} values (${values.length})`);
  replaceValues(v, (out) => out.set(values));
}

/** PyTorch-style initialisation of a [inDim, outDim] kernel (bound from `fanIn`). */
export function createDense(
  rng: NoiseSource,
  name: string,
  inDim: number,
  outDim: number,
  fanIn = inDim,
): DenseParams {
  const bound = 1 / Math.sqrt(fanIn);
  return {
    kernel: ownedVariable(
      uniformValues(rng, inDim * outDim, bound),
      [inDim, outDim],
      `${name}.kernel`,
    ) as tf.Variable<tf.Rank.R2>,
    bias: ownedVariable(
      uniformValues(rng, outDim, bound),
      [outDim],
      `${name}.bias`,
    ) as tf.Variable<tf.Rank.R1>,
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

  /**
   * Forward pass. `masks[l]` (optional, [units]) multiplies hidden layer l's output; `gradInput`
   * false when x is data; `frozen` when this loss must not train these weights (no weight gradients
   * are computed at all).
   */
  apply(
    x: tf.Tensor2D,
    options: { masks?: readonly (tf.Tensor1D | null)[] | null; gradInput?: boolean; frozen?: boolean } = {},
  ): tf.Tensor2D {
    const { masks = null, gradInput = true, frozen = false } = options;
    let h = x;
    const last = this.layers.length - 1;
    this.layers.forEach((layer, l) => {
      h = linear(h, layer.kernel, layer.bias, {
        mish: l < last,
        gradInput: l > 0 || gradInput,
        gradWeights: !frozen,
      });
      const m = l < last ? masks?.[l] : null;
      if (m) h = tf.mul(h, m);
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
  if (useWasmKernels()) {
    wasmPolyak(target, source, tau);
    return;
  }
  const keep = 1 - tau;
  target.forEach((v, i) => {
    replaceValues(v, (out) => {
      const t = readView(v);
      const s = readView(source[i]!);
      for (let k = 0; k < out.length; k++) out[k] = keep * t[k]! + tau * s[k]!;
    });
  });
}

/** target <- source as an independent copy (never shared storage). */
export function copyVariables(target: readonly tf.Variable[], source: readonly tf.Variable[]): void {
  if (target.length !== source.length)
    throw new Error(`copy: ${target.length} vs ${source.length} variables`);
  if (useWasmKernels()) {
    wasmCopy(target, source);
    return;
  }
  target.forEach((v, i) => {
    replaceValues(v, (out) => out.set(readView(source[i]!)));
  });
}
