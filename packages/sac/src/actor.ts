/**
 * The actor interface: what any policy must implement to be trained by the SAC agent of this package.
 *
 * An actor is a stochastic policy pi(a | s) over actions in [-1, 1]^A. The agent only talks to it
 * through this interface, so a workspace package can add an actor (register it with `registerActor`)
 * without touching the agent or the training app. `@diffcontract/diffusion-actor`'s DiffusionActor and
 * this package's GaussianActor both implement it.
 *
 * Tensor conventions: states are `[B, stateDim]`, actions `[B, actionDim]`, float32, row-major. Typed
 * arrays are flat row-major copies of the same layout.
 */

import type { NoiseSource, WeightsArtefact } from '@diffcontract/diffusion-actor';
import type { PrunableNetwork } from '@diffcontract/pruning';
import type * as tf from '@tensorflow/tfjs';

export type { NoiseSource, WeightsArtefact };

/** Sizes and seed an actor is built for. */
export interface ActorSpec {
  stateDim: number;
  actionDim: number;
  /** seeds the weight initialisation (the sampling noise comes from a NoiseSource) */
  seed: number;
}

/** Result of a differentiable batch sample. */
export interface ActorSample {
  /** `[B, actionDim]`, every entry in [-1, 1] */
  actions: tf.Tensor2D;
  /**
   * `[B]` exact log pi(a | s) of the returned actions, when the actor has a tractable density (the
   * Gaussian actor, with its tanh correction). The agent then uses the standard SAC entropy term
   * -log pi(a | s). Absent for actors without a density (the diffusion actor); the agent then calls
   * `entropy`.
   */
  logProb?: tf.Tensor1D;
  /**
   * Optional scalar regulariser (>= 0) that the agent adds to the actor loss, differentiable in the
   * actor's variables: e.g. the diffusion actor's penalty on a pre-clip x0 outside [-1, 1], which
   * keeps a gradient alive where the clip passes none.
   */
  penalty?: tf.Scalar;
}

export interface Actor {
  /** registry name of the actor kind ('diffusion', 'gaussian', ...) */
  readonly kind: string;
  readonly stateDim: number;
  readonly actionDim: number;
  /**
   * Trainable variables, in a fixed order. The agent passes exactly this list to `tf.variableGrads`
   * (never the implicit "all trainable variables"), so target copies and critics are never touched.
   */
  readonly variables: readonly tf.Variable[];

  /**
   * Samples one action per state so that gradients flow from the actions (and logProb) back to every
   * variable in `variables`. Called inside the agent's gradient closure and inside `tf.tidy`, so it
   * must not dispose its inputs and may create intermediate tensors freely. All randomness must come
   * from `noise` (same noise state, same weights -> bitwise same actions on a given backend).
   */
  sample(states: tf.Tensor2D, noise: NoiseSource): ActorSample;

  /**
   * Differentiable estimate (or lower bound) of the mean conditional entropy E_s[H(pi(. | s))] in
   * nats over (a subset of) `states`. Required when `sample` returns no logProb; the agent uses it
   * both in the actor loss (-alpha H) and in the temperature loss. Each implementation documents
   * what it estimates and how biased it is (see the diffusion actor's README).
   */
  entropy?(states: tf.Tensor2D, noise: NoiseSource): tf.Scalar;

  /**
   * Inference on plain arrays: `states` holds `count = states.length / stateDim` states; returns
   * `count * actionDim` actions in [-1, 1]. No gradients, no leaked tensors. With `deterministic`
   * the actor returns its noise-free action (Gaussian: tanh(mean); diffusion: the chain run with
   * all noise set to zero) and `noise` is not consumed.
   */
  act(states: Float32Array, noise: NoiseSource, deterministic?: boolean): Float32Array;

  /** An independent copy (new variables, same values): used for the target actor. */
  clone(): Actor;
  /** this <- tau * source + (1 - tau) * this, variable by variable (Polyak averaging). */
  softUpdate(source: Actor, tau: number): void;
  /** this <- source (hard copy), e.g. after loading. */
  copyFrom(source: Actor): void;

  /** Weights and config, in the package-independent format of `@diffcontract/diffusion-actor`. */
  toArtefact(): WeightsArtefact;
  /** Overwrites the weights in place from a toArtefact() result of an actor with the same config. */
  loadWeights(artefact: WeightsArtefact): void;
  /** Frees the variables. The actor is unusable afterwards. */
  dispose(): void;

  /**
   * Optional structured-pruning hooks (EDMSAC). `prunableUnits` describes the actor to
   * @diffcontract/pruning: its dense layers (copies of the weights as typed arrays) and its prunable
   * unit groups with the kernel rows each feeds. `setUnitMasks` applies one keep mask per group (1
   * keep, 0 pruned; same order), or clears all masks with null; masks act on forward passes,
   * gradients and `act` alike. `variableKeepMasks` gives, for such masks, 0/1 per entry of each of
   * `variables`: 0 on the weights the masked units own, for `SacAgent.maskActorOptimizer`.
   */
  prunableUnits?(): PrunableNetwork;
  setUnitMasks?(masks: readonly Float32Array[] | null): void;
  variableKeepMasks?(masks: readonly ArrayLike<number>[]): Float32Array[];
  /** The gates now multiplying the hidden units (the keep masks, ones where unmasked), same order. */
  unitGates?(): Float32Array[];
  /**
   * Runs `fn` with `gates` in place of the keep masks (same order and widths) and restores them, so
   * a loss computed in `fn` can be differentiated w.r.t. per-unit gates (Taylor importance).
   */
  withUnitGates?<T>(gates: readonly tf.Tensor1D[], fn: () => T): T;
}

/**
 * What a registered actor kind provides. `options` is the kind-specific config (validated by the
 * factory itself; unknown keys are an error naming the key).
 */
export interface ActorFactory {
  create(spec: ActorSpec, options?: Record<string, unknown>): Actor;
  /** Rebuilds an actor from `toArtefact()` output (the artefact's `kind` matches the registry name). */
  load(artefact: WeightsArtefact): Actor;
}
