/**
 * Adam with PyTorch's update rule (w -= lr / (1 - b1^t) * m / (sqrt(v) / sqrt(1 - b2^t) + eps)),
 * with its moments as tf.Variables so that a checkpoint can store and restore them exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { uniqueName } from './mlp.js';

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
  readonly m: tf.Variable[];
  readonly v: tf.Variable[];

  constructor(
    readonly params: readonly tf.Variable[],
    options: AdamOptions,
  ) {
    this.lr = options.lr;
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.eps = options.eps ?? 1e-8;
    this.m = params.map((p) => tf.variable(tf.zerosLike(p), false, uniqueName(`${p.name}.m`)));
    this.v = params.map((p) => tf.variable(tf.zerosLike(p), false, uniqueName(`${p.name}.v`)));
  }

  /** Applies one step; `grads[i]` belongs to `params[i]`. Does not dispose the gradients. */
  apply(grads: readonly tf.Tensor[]): void {
    this.step += 1;
    const t = this.step;
    const stepSize = this.lr / (1 - this.beta1 ** t);
    const sqrtBias2 = Math.sqrt(1 - this.beta2 ** t);
    tf.tidy(() => {
      const b1 = tf.scalar(this.beta1);
      const c1 = tf.scalar(1 - this.beta1);
      const b2 = tf.scalar(this.beta2);
      const c2 = tf.scalar(1 - this.beta2);
      const inv = tf.scalar(1 / sqrtBias2);
      const eps = tf.scalar(this.eps);
      const ss = tf.scalar(stepSize);
      this.params.forEach((p, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, c1));
        const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), c2));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
        p.assign(tf.sub(p, tf.mul(ss, tf.div(m, tf.add(tf.mul(tf.sqrt(v), inv), eps)))));
      });
    });
  }

  get variables(): tf.Variable[] {
    return [...this.m, ...this.v];
  }

  dispose(): void {
    for (const x of this.variables) x.dispose();
  }
}
