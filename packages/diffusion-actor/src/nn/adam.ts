/**
 * Adam with PyTorch's update rule (w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)).
 *
 * The moments live in JS Float32Arrays: checkpoints store them directly, and the whole step is one
 * JS loop per variable writing the new weights into fresh storage (host.ts) instead of about a
 * dozen tfjs kernels per variable. On the CPU backends gradients and weights are read in place.
 */
import type * as tf from '@tensorflow/tfjs';
import { wasmAdamStep } from '../wasm/tfjs-kernels.js';
import { useWasmKernels } from './fast.js';
import { readView, replaceValues } from './host.js';

export interface AdamOptions {
  lr: number;
  beta1?: number;
  beta2?: number;
  eps?: number;
}

export class Adam {
  readonly lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  /** steps taken (t in the bias corrections) */
  step = 0;
  readonly m: Float32Array[];
  readonly v: Float32Array[];

  constructor(
    readonly params: readonly tf.Variable[],
    options: AdamOptions,
  ) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = params.map((p) => new Float32Array(p.size));
    this.v = params.map((p) => new Float32Array(p.size));
  }

  /** Applies one step; `grads[i]` belongs to `params[i]`. Does not dispose the gradients. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step += 1;
    const t = this.step;
    const stepSize = this.lr / (1 - this.beta1 ** t);
    const invBias2 = 1 / Math.sqrt(1 - this.beta2 ** t);
    const { beta1: b1, beta2: b2, eps } = this;
    if (useWasmKernels()) {
      wasmAdamStep(this.params, grads, this.m, this.v, { b1, b2, stepSize, invBias2, eps });
      return;
    }
    const c1 = 1 - b1;
    const c2 = 1 - b2;
    this.params.forEach((param, i) => {
      const m = this.m[i]!;
      const v = this.v[i]!;
      replaceValues(param, (out) => {
        const g = readView(grads[i]!);
        const p = readView(param);
        for (let k = 0; k < out.length; k++) {
          const gk = g[k]!;
          const mk = b1 * m[k]! + c1 * gk;
          const vk = b2 * v[k]! + c2 * gk * gk;
          m[k] = mk;
          v[k] = vk;
          out[k] = p[k]! - (stepSize * mk) / (Math.sqrt(vk) * invBias2 + eps);
        }
      });
    });
  }
}
