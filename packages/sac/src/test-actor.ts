/**
 * A minimal third-party actor, written only against the public Actor interface: a = tanh(s W + b)
 * plus N(0, spread^2) noise before the tanh, with a declared entropy `entropyValue` (used by tests to
 * drive the temperature). It doubles as the plugin example of the README.
 */

import {
  assignValues,
  copyVariables,
  createDense,
  createNoise,
  type NoiseSource,
  packArtefact,
  readAndDispose,
  softUpdateVariables,
  tensorOf,
  type WeightsArtefact,
} from '@diffcontract/diffusion-actor';
import * as tf from '@tensorflow/tfjs';
import type { Actor, ActorFactory, ActorSpec } from './index.js';

export interface LinearActorOptions {
  spread?: number;
  entropyValue?: number;
}

export class LinearActor implements Actor {
  readonly kind = 'linear';
  readonly stateDim: number;
  readonly actionDim: number;
  private readonly layer;
  readonly variables: readonly tf.Variable[];

  constructor(
    readonly spec: ActorSpec,
    readonly options: LinearActorOptions = {},
  ) {
    this.stateDim = spec.stateDim;
    this.actionDim = spec.actionDim;
    this.layer = createDense(createNoise(spec.seed), 'linear', spec.stateDim, spec.actionDim);
    this.variables = [this.layer.kernel, this.layer.bias];
  }

  sample(states: tf.Tensor2D, noise: NoiseSource) {
    const n = states.shape[0];
    const eps = tf.tensor2d(noise.normals(n * this.actionDim), [n, this.actionDim]);
    const pre = tf.add(
      tf.add(tf.matMul(states, this.layer.kernel), this.layer.bias),
      tf.mul(eps, this.options.spread ?? 0.1),
    );
    return { actions: tf.tanh(pre) as tf.Tensor2D };
  }

  entropy(): tf.Scalar {
    // Depends on the weights (times zero) so that it is part of the differentiated graph.
    return tf.add(tf.mul(tf.sum(this.layer.bias), 0), this.options.entropyValue ?? 0) as tf.Scalar;
  }

  act(states: Float32Array, noise: NoiseSource, deterministic = false): Float32Array {
    const n = states.length / this.stateDim;
    return readAndDispose(
      tf.tidy(() => {
        const s = tf.tensor2d(states, [n, this.stateDim]);
        return deterministic
          ? tf.tanh(tf.add(tf.matMul(s, this.layer.kernel), this.layer.bias))
          : this.sample(s, noise).actions;
      }),
    );
  }

  clone(): LinearActor {
    const c = new LinearActor(this.spec, this.options);
    c.copyFrom(this);
    return c;
  }
  softUpdate(source: Actor, tau: number): void {
    softUpdateVariables(this.variables, source.variables, tau);
  }
  copyFrom(source: Actor): void {
    copyVariables(this.variables, source.variables);
  }
  toArtefact(): WeightsArtefact {
    return packArtefact('linear', { ...this.spec, ...this.options }, [
      {
        name: 'kernel',
        shape: [this.stateDim, this.actionDim],
        values: this.layer.kernel.dataSync() as Float32Array,
      },
      { name: 'bias', shape: [this.actionDim], values: this.layer.bias.dataSync() as Float32Array },
    ]);
  }
  loadWeights(artefact: WeightsArtefact): void {
    assignValues(this.layer.kernel, tensorOf(artefact, 'kernel', [this.stateDim, this.actionDim]));
    assignValues(this.layer.bias, tensorOf(artefact, 'bias', [this.actionDim]));
  }
  dispose(): void {
    this.layer.kernel.dispose();
    this.layer.bias.dispose();
  }
}

export const linearActorFactory: ActorFactory = {
  create: (spec, options) => new LinearActor(spec, options as LinearActorOptions),
  load: (artefact) => {
    const { stateDim, actionDim, seed, ...options } = artefact.manifest.config as unknown as ActorSpec &
      LinearActorOptions;
    const actor = new LinearActor({ stateDim, actionDim, seed }, options);
    actor.loadWeights(artefact);
    return actor;
  },
};
