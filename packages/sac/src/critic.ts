/** Twin critics Q1, Q2 over [s, a] (Mish MLPs) and their target copies. */

import {
  copyVariables,
  Mlp,
  packArtefact,
  tensorOf,
  type WeightsArtefact,
} from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';

export class TwinCritic {
  readonly q1: Mlp;
  readonly q2: Mlp;

  constructor(
    readonly stateDim: number,
    readonly actionDim: number,
    readonly hidden: readonly number[],
    seed: number,
  ) {
    const sizes = [stateDim + actionDim, ...hidden, 1];
    this.q1 = new Mlp('critic.q1', sizes, seed);
    this.q2 = new Mlp('critic.q2', sizes, seed + 1);
  }

  get variables(): tf.Variable[] {
    return [...this.q1.variables, ...this.q2.variables];
  }

  /** [Q1(s, a), Q2(s, a)], each [B]. */
  both(states: tf.Tensor2D, actions: tf.Tensor2D): [tf.Tensor1D, tf.Tensor1D] {
    const sa = tf.concat([states, actions], 1) as tf.Tensor2D;
    return [
      tf.squeeze(this.q1.apply(sa), [1]) as tf.Tensor1D,
      tf.squeeze(this.q2.apply(sa), [1]) as tf.Tensor1D,
    ];
  }

  /** min(Q1, Q2)(s, a), [B]. */
  min(states: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor1D {
    const [a, b] = this.both(states, actions);
    return tf.minimum(a, b);
  }

  copyFrom(source: TwinCritic): void {
    copyVariables(this.variables, source.variables);
  }

  toArtefact(): WeightsArtefact {
    const tensors = (['q1', 'q2'] as const).flatMap((q) =>
      this[q].layers.flatMap((l, i) => [
        {
          name: `${q}.${i}.kernel`,
          shape: l.kernel.shape as number[],
          values: l.kernel.dataSync() as Float32Array,
        },
        {
          name: `${q}.${i}.bias`,
          shape: l.bias.shape as number[],
          values: l.bias.dataSync() as Float32Array,
        },
      ]),
    );
    return packArtefact(
      'twin-critic',
      { stateDim: this.stateDim, actionDim: this.actionDim, hidden: [...this.hidden] },
      tensors,
    );
  }

  loadWeights(artefact: WeightsArtefact): void {
    tf.tidy(() => {
      for (const q of ['q1', 'q2'] as const) {
        this[q].layers.forEach((l, i) => {
          l.kernel.assign(
            tf.tensor2d(tensorOf(artefact, `${q}.${i}.kernel`, l.kernel.shape), l.kernel.shape),
          );
          l.bias.assign(tf.tensor1d(tensorOf(artefact, `${q}.${i}.bias`, l.bias.shape)));
        });
      }
    });
  }

  dispose(): void {
    this.q1.dispose();
    this.q2.dispose();
  }
}
