import type { NoiseSource, WeightsArtefact } from '@diffcontract/diffusion-actor';
import type { Actor } from './actor.js';
import type { SacConfig } from './config.js';
import type { TransitionBatch } from './replay.js';

/** Scalars of the most recent update (read back on demand: one sync readback per call). */
export interface UpdateMetrics {
  /** updates done so far */
  updates: number;
  /** sum of both critics' mean squared errors against the target r */
  criticLoss: number;
  /** alpha * (-H) - mean min(Q1, Q2)(s, pi(s)) of the last actor step */
  actorLoss: number;
  /** temperature after the last step */
  alpha: number;
  /** entropy estimate (nats) used in the last actor step */
  entropy: number;
  /** mean min(Q1, Q2) of the policy's actions in the last actor step */
  meanQ: number;
}

export interface ActOptions {
  /** noise-free action (see Actor.act) */
  deterministic?: boolean;
  /** use the Polyak-averaged target actor instead of the online one */
  target?: boolean;
  /** noise to use instead of the agent's own stream (the agent's stream stays untouched) */
  noise?: NoiseSource;
}

/** Result of SacAgent.actorGateGradients. */
export interface GateGradients {
  /** the actor loss on the batch (same formula as the actor step of update()) */
  loss: number;
  /** dLoss/dGate per hidden unit, one array per gated layer (Actor.setUnitMasks order) */
  gradients: Float32Array[];
}

export interface SacAgent {
  readonly config: Readonly<SacConfig>;
  readonly actor: Actor;
  readonly targetActor: Actor;
  /** resolved target entropy (nats) */
  readonly targetEntropy: number;
  /** number of update() calls so far */
  readonly updates: number;
  /**
   * One SAC step on `batch` (size must equal config.batchSize): critic step on target r (one-step
   * episodes), then every `actorEvery` steps an actor step and a temperature step, then the soft
   * update of target actor and target critics. No readback to JS (call metrics() for numbers).
   */
  update(batch: TransitionBatch): void;
  metrics(): UpdateMetrics;
  /** Actions for `states.length / stateDim` states (see ActOptions). */
  act(states: Float32Array, options?: ActOptions): Float32Array;
  /** min(Q1, Q2)(s, a) per row, for diagnostics. */
  qValues(states: Float32Array, actions: Float32Array): Float32Array;
  /** current temperature */
  alpha(): number;
  /**
   * Everything needed to continue bit-for-bit: actor, target actor, critics, target critics, Adam
   * moments and step counts, log alpha, the agent's noise state, the update count, the config.
   */
  saveState(): WeightsArtefact;
  /**
   * Structured pruning (EDMSAC): freezes masked actor weights. `keep` holds one 0/1 array per entry
   * of `actor.variables` (same order and sizes; null keeps a whole variable), e.g. the actor's
   * `variableKeepMasks(masks)`. The actor Adam's first and second moments are
   * zeroed where keep is 0; the weights themselves are left as they are. A masked unit (gated to 0 by
   * `setUnitMasks`) gives its weights an exactly-zero gradient, so with zero moments Adam moves them
   * by exactly 0 until the mask is lifted: they stay bitwise frozen and keep their magnitude, so a
   * magnitude criterion can bring the unit back. Call it whenever the masks change (the moments then
   * stay zero on their own) and after loadState (a no-op there when the state was saved masked).
   */
  maskActorOptimizer(keep: readonly (Float32Array | null)[]): void;
  /**
   * First-order Taylor importance of the actor's hidden units (EDMSAC `taylor` criterion): the
   * gradient of the actor loss on `batch` (all its rows) w.r.t. a multiplicative gate on each unit's
   * output, at the gates now in force (1 for active units, 0 for masked ones). For unit j that is
   * sum over rows and denoising steps of a_j dL/d(gated a_j), so |gradient| is the Taylor saliency
   * |sum a dL/da| of the batch-mean loss, and for a masked unit it estimates what restoring it would
   * change. Changes nothing (no weights, moments, update count or agent noise); draws the sampling
   * noise from `noise`. Costs about one actor step (a forward and backward pass of the chain).
   * Requires an actor with `unitGates` and `withUnitGates`.
   */
  actorGateGradients(batch: TransitionBatch, noise: NoiseSource): GateGradients;
  /** Restores a saveState() artefact into this agent (same config and actor kind/sizes). */
  loadState(artefact: WeightsArtefact): void;
  /** Frees every variable, including the actor's. */
  dispose(): void;
}
