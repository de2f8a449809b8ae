import { PruningError } from './errors.js';
import type { Activation, DenseLayer } from './types.js';

/** softplus(x) = ln(1 + e^x), without overflow for large x (e^x would be Infinity above ~709). */
export function softplus(x: number): number {
  return x > 20 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

/** Mish(x) = x tanh(softplus(x)) (Misra 2019). Mish(0) = 0, which structured pruning relies on. */
export function mish(x: number): number {
  return x * Math.tanh(softplus(x));
}

/** The scalar function of an activation name. */
export function activationFunction(activation: Activation): (x: number) => number {
  switch (activation) {
    case 'linear':
      return (x) => x;
    case 'mish':
      return mish;
    case 'relu':
      return (x) => Math.max(x, 0);
    case 'tanh':
      return Math.tanh;
  }
}

/**
 * y = act(x W + b) for a batch of row vectors. `input` is `[batch x inDim]` row-major; the result is
 * `[batch x outDim]`. Sums run in float64 in a fixed order (inputs ascending) and are rounded to
 * float32 once, so two networks that differ only by exact-zero terms give bit-identical outputs.
 */
export function denseForward(
  layer: DenseLayer,
  input: Float32Array,
  batch: number,
  out: Float32Array = new Float32Array(batch * layer.outDim),
): Float32Array {
  const { inDim, outDim, kernel, bias } = layer;
  if (input.length < batch * inDim) {
    throw new PruningError('input', `must hold batch x inDim = ${batch * inDim} values`, input.length);
  }
  const act = activationFunction(layer.activation);
  const acc = new Float64Array(outDim);
  for (let b = 0; b < batch; b++) {
    acc.set(bias);
    const xBase = b * inDim;
    for (let i = 0; i < inDim; i++) {
      const xi = input[xBase + i]!;
      const row = i * outDim;
      for (let j = 0; j < outDim; j++) acc[j]! += xi * kernel[row + j]!;
    }
    const yBase = b * outDim;
    for (let j = 0; j < outDim; j++) out[yBase + j] = act(acc[j]!);
  }
  return out;
}

/**
 * Forward pass of a chain MLP on plain typed arrays: `input` is `[batch x layers[0].inDim]`, the result
 * `[batch x last.outDim]`. Used for fast inference with exported (e.g. compacted) weights and to check
 * compaction; it does not build a graph or keep activations.
 */
export function mlpForward(layers: readonly DenseLayer[], input: Float32Array, batch: number): Float32Array {
  if (!Number.isInteger(batch) || batch < 1)
    throw new PruningError('batch', 'must be a positive integer', batch);
  if (layers.length === 0) throw new PruningError('layers', 'must hold at least one layer', 0);
  if (input.length !== batch * layers[0]!.inDim) {
    throw new PruningError(
      'input',
      `must hold batch x inDim = ${batch} x ${layers[0]!.inDim} values`,
      input.length,
    );
  }
  for (let l = 1; l < layers.length; l++) {
    if (layers[l]!.inDim !== layers[l - 1]!.outDim) {
      throw new PruningError(
        `layers[${l}].inDim`,
        `must equal the previous layer's outDim ${layers[l - 1]!.outDim}`,
        layers[l]!.inDim,
      );
    }
  }
  let x = input;
  for (const layer of layers) x = denseForward(layer, x, batch);
  return x;
}
