/** Twin critics Q1, Q2 over [s, a] (Mish MLPs) and their target copies. */

import {
  assignValues,
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

  /**
   * [Q1(s, a), Q2(s, a)], each [B]. `frozen`: no gradients for the critics' weights (inside the
   * actor loss); `actionsNeedGrad`: false when the actions are data (the critic loss).
   */
  both(
    states: tf.Tensor2D,
    actions: tf.Tensor2D,
    options: { frozen?: boolean; actionsNeedGrad?: boolean } = {},
  ): [tf.Tensor1D, tf.Tensor1D] {
    const sa = tf.concat([states, actions], 1) as tf.Tensor2D;
    const apply = { frozen: options.frozen ?? false, gradInput: options.actionsNeedGrad ?? true };
    return [
      tf.reshape(this.q1.apply(sa, apply), [-1]) as tf.Tensor1D,
      tf.reshape(this.q2.apply(sa, apply), [-1]) as tf.Tensor1D,
    ];
  }

  /** min(Q1, Q2)(s, a), [B]. */
  min(
    states: tf.Tensor2D,
    actions: tf.Tensor2D,
    options: { frozen?: boolean; actionsNeedGrad?: boolean } = {},
  ): tf.Tensor1D {
    const [a, b] = this.both(states, actions, options);
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
    for (const q of ['q1', 'q2'] as const) {
      this[q].layers.forEach((l, i) => {
        assignValues(l.kernel, tensorOf(artefact, `${q}.${i}.kernel`, l.kernel.shape));
        assignValues(l.bias, tensorOf(artefact, `${q}.${i}.bias`, l.bias.shape));
      });
    }
  }

  dispose(): void {
    this.q1.dispose();
    this.q2.dispose();
  }
}
