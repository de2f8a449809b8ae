/**
 * Test-only helpers (excluded from the build): a seeded PRNG, random networks, and an independent
 * float64 forward/backward pass of chain MLPs with Adam, to check masking against real gradients.
 */
import { uniformStream } from '@diffcontract/env';
import type { Activation, DenseLayer, LayerArrays } from './types.js';

/** The seeded uniform stream of the tests (env's mulberry32, uniform in [0, 1)). */
export const rng = uniformStream;

export function randomArray(n: number, next: () => number, scale = 1): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = (next() * 2 - 1) * scale;
  return out;
}

/** Chain MLP with widths [in, h1, ..., out]; hidden layers use `hidden`, the last is linear. */
export function randomChain(widths: number[], seed: number, hidden: Activation = 'mish'): DenseLayer[] {
  const next = rng(seed);
  const layers: DenseLayer[] = [];
  for (let l = 0; l + 1 < widths.length; l++) {
    const inDim = widths[l]!;
    const outDim = widths[l + 1]!;
    layers.push({
      name: `dense${l}`,
      inDim,
      outDim,
      activation: l + 2 === widths.length ? 'linear' : hidden,
      kernel: randomArray(inDim * outDim, next, 1 / Math.sqrt(inDim)),
      bias: randomArray(outDim, next, 0.5),
    });
  }
  return layers;
}

function act(a: Activation, z: number): number {
  const sp = z > 20 ? z : Math.log1p(Math.exp(z));
  if (a === 'mish') return z * Math.tanh(sp);
  if (a === 'relu') return Math.max(0, z);
  if (a === 'tanh') return Math.tanh(z);
  return z;
}

function actGrad(a: Activation, z: number): number {
  if (a === 'mish') {
    const sp = z > 20 ? z : Math.log1p(Math.exp(z));
    const t = Math.tanh(sp);
    const sigmoid = 1 / (1 + Math.exp(-z));
    return t + z * (1 - t * t) * sigmoid;
  }
  if (a === 'relu') return z > 0 ? 1 : 0;
  if (a === 'tanh') return 1 - Math.tanh(z) ** 2;
  return 1;
}

export interface Trace {
  /** inputs of each layer (hs[0] = network input), [batch x inDim] */
  inputs: Float64Array[];
  /** pre-activations of each layer */
  pre: Float64Array[];
  /** outputs of each layer (after activation) */
  outputs: Float64Array[];
}

/** float64 forward pass that keeps every intermediate. */
export function traceForward(layers: readonly DenseLayer[], input: ArrayLike<number>, batch: number): Trace {
  const trace: Trace = { inputs: [], pre: [], outputs: [] };
  let x = Float64Array.from(input);
  for (const layer of layers) {
    const z = new Float64Array(batch * layer.outDim);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < layer.outDim; j++) {
        let s = layer.bias[j]!;
        for (let i = 0; i < layer.inDim; i++)
          s += x[b * layer.inDim + i]! * layer.kernel[i * layer.outDim + j]!;
        z[b * layer.outDim + j] = s;
      }
    }
    const h = z.map((v) => act(layer.activation, v));
    trace.inputs.push(x);
    trace.pre.push(z);
    trace.outputs.push(h);
    x = h;
  }
  return trace;
}

/** Loss 0.5 mean_b |y_b - target_b|^2 and its gradient with respect to y. */
export function squaredLoss(
  y: Float64Array,
  target: ArrayLike<number>,
  batch: number,
): { loss: number; dy: Float64Array } {
  const dy = new Float64Array(y.length);
  let loss = 0;
  for (let e = 0; e < y.length; e++) {
    const d = y[e]! - target[e]!;
    loss += (0.5 * d * d) / batch;
    dy[e] = d / batch;
  }
  return { loss, dy };
}

export interface Backward {
  /** dLoss/dParameters per layer */
  grads: { kernel: Float64Array; bias: Float64Array }[];
  /** dLoss/dOutput of each layer (after activation), [batch x outDim] */
  outputGrads: Float64Array[];
}

export function backward(
  layers: readonly DenseLayer[],
  trace: Trace,
  dy: Float64Array,
  batch: number,
): Backward {
  const grads = layers.map((l) => ({
    kernel: new Float64Array(l.kernel.length),
    bias: new Float64Array(l.bias.length),
  }));
  const outputGrads: Float64Array[] = new Array(layers.length);
  let dh = dy;
  for (let l = layers.length - 1; l >= 0; l--) {
    const layer = layers[l]!;
    outputGrads[l] = dh;
    const dz = dh.map((g, e) => g * actGrad(layer.activation, trace.pre[l]![e]!));
    const x = trace.inputs[l]!;
    const dx = new Float64Array(batch * layer.inDim);
    for (let b = 0; b < batch; b++) {
      for (let j = 0; j < layer.outDim; j++) {
        const g = dz[b * layer.outDim + j]!;
        grads[l]!.bias[j]! += g;
        for (let i = 0; i < layer.inDim; i++) {
          grads[l]!.kernel[i * layer.outDim + j]! += x[b * layer.inDim + i]! * g;
          dx[b * layer.inDim + i]! += layer.kernel[i * layer.outDim + j]! * g;
        }
      }
    }
    dh = dx;
  }
  return { grads, outputGrads };
}

export interface AdamState {
  m: LayerArrays[];
  v: LayerArrays[];
  t: number;
}

/** One Adam step (Kingma & Ba, bias-corrected) on float32 parameters. */
export function adamStep(
  layers: readonly DenseLayer[],
  grads: Backward['grads'],
  state: AdamState,
  lr = 1e-2,
  beta1 = 0.9,
  beta2 = 0.999,
  eps = 1e-8,
): void {
  state.t += 1;
  const c1 = 1 - beta1 ** state.t;
  const c2 = 1 - beta2 ** state.t;
  layers.forEach((layer, l) => {
    for (const key of ['kernel', 'bias'] as const) {
      const w = layer[key];
      const g = grads[l]![key];
      const m = state.m[l]![key];
      const v = state.v[l]![key];
      for (let e = 0; e < w.length; e++) {
        m[e] = beta1 * m[e]! + (1 - beta1) * g[e]!;
        v[e] = beta2 * v[e]! + (1 - beta2) * g[e]! * g[e]!;
        w[e] = w[e]! - (lr * (m[e]! / c1)) / (Math.sqrt(v[e]! / c2) + eps);
      }
    }
  });
}
