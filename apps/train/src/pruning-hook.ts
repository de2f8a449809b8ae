/**
 * EDMSAC's dynamic structured pruning, as seen from the training loop: after every SAC update the
 * hook asks the pruning strategy (resolved by name from @diffcontract/pruning's registry) whether
 * masks are due; when they are, it snapshots the actor's hidden layers, scores their neurons,
 * and applies the new keep-masks to the actor and its target alike. Masks are recomputed from
 * scratch each time (pruned neurons can return) and the ratio ramps up as the schedule says.
 *
 * Masked weights get no update while masked: masks gate the units' outputs (their weights then get
 * exactly-zero gradients) and the actor Adam's moments are zeroed at every masked entry whenever
 * the masks change, so Adam moves those weights by exactly 0. The weights are kept, not zeroed, so a
 * magnitude score still sees them and a unit can come back; the target actor is gated alike and
 * keeps Polyak-averaging toward the frozen online weights.
 *
 * Taylor: every `taylorEvery(pruning.pruneEvery)` updates (TAYLOR_MEASUREMENTS_PER_WINDOW measurements
 * per recomputation window) the hook asks the agent for the gradient of the actor loss w.r.t. a gate
 * on each unit (SacAgent.actorGateGradients) on the update's batch, with its own noise stream, and
 * feeds |gradient| (the unit's |sum a dL/da|) to the strategy. One measurement costs about one actor
 * step, so the criterion adds about 1/taylorEvery of an actor step per update.
 */
import { createNoise, type NoiseSource, type NoiseState } from '@diffcontract/diffusion-actor';
import {
  actorNetworkFromArtefact,
  actorVariableKeepMasks,
  createPruningStrategy,
  type PrunableNetwork,
  type PruningMasks,
  type PruningStrategy,
} from '@diffcontract/pruning';
import type { Actor, PrunableLayer, SacAgent, TransitionBatch } from '@diffcontract/sac';
import type { TrainConfig } from './config.js';
import { UsageError } from './config-load.js';
import { STREAM, streamSeed } from './streams.js';

/** Taylor measurements per recomputation window (bounds the criterion's cost to ~10 actor steps). */
export const TAYLOR_MEASUREMENTS_PER_WINDOW = 10;

/** Updates between two Taylor measurements for masks recomputed every `every` updates. */
export function taylorEvery(every: number): number {
  return Math.max(1, Math.floor(every / TAYLOR_MEASUREMENTS_PER_WINDOW));
}

export interface ActorPruner {
  /** call after each update with the agent's update count and the update's batch */
  afterUpdate(updates: number, batch?: TransitionBatch): void;
  /** share of prunable neurons currently masked */
  prunedShare(): number;
  /** JSON state for checkpoints (current masks) */
  state(): unknown;
  restore(state: unknown): void;
}

/**
 * The actor's hidden layers as a pruning network: each hidden layer becomes a producer (its incoming
 * weights and bias) and a consumer (its outgoing weights), so the criteria see every weight a neuron
 * owns on both sides.
 */
export function networkOfLayers(layers: readonly PrunableLayer[]): PrunableNetwork {
  return {
    layers: layers.flatMap((l) => [
      {
        name: `${l.name}.in`,
        inDim: l.inputs,
        outDim: l.units,
        kernel: l.kernelIn,
        bias: l.biasIn,
        activation: 'mish' as const,
      },
      {
        name: `${l.name}.out`,
        inDim: l.units,
        outDim: l.outputs,
        kernel: l.kernelOut,
        bias: new Float32Array(l.outputs),
        activation: 'linear' as const,
      },
    ]),
    groups: layers.map((l, g) => ({
      name: l.name,
      layer: 2 * g,
      consumers: [{ layer: 2 * g + 1, rowOffset: 0 }],
    })),
  };
}

function prunableActor(actor: Actor): Required<Pick<Actor, 'prunableLayers' | 'setUnitMasks'>> {
  if (!actor.prunableLayers || !actor.setUnitMasks) {
    throw new UsageError(
      `actor.name: actor '${actor.kind}' does not support structured pruning (${JSON.stringify(actor.kind)})`,
    );
  }
  return { prunableLayers: actor.prunableLayers.bind(actor), setUnitMasks: actor.setUnitMasks.bind(actor) };
}

/** 0/1 per entry of actor.variables for the diffusion actor (whose variable layout the glue knows). */
function variableKeepMasks(actor: Actor, masks: PruningMasks): Float32Array[] | null {
  if (actor.kind !== 'diffusion') return null;
  return actorVariableKeepMasks(actorNetworkFromArtefact(actor.toArtefact()), masks).map((k) => k.values);
}

interface TaylorFeed {
  every: number;
  noise: NoiseSource;
}

interface PrunerState {
  masks: number[][] | null;
  taylor?: { noise: NoiseState; strategy: unknown };
}

class Pruner implements ActorPruner {
  private masks: PruningMasks | null = null;
  private readonly taylor: TaylorFeed | null;
  constructor(
    private readonly strategy: PruningStrategy,
    private readonly agent: SacAgent,
    c: TrainConfig,
  ) {
    prunableActor(agent.actor);
    prunableActor(agent.targetActor);
    this.taylor = null;
    if (strategy.needsActivationGradients) {
      if (!agent.actor.unitGates || !agent.actor.withUnitGates) {
        throw new UsageError(
          `pruning.strategy: actor '${agent.actor.kind}' has no unit gates to measure Taylor importance on (${JSON.stringify(strategy.name)})`,
        );
      }
      this.taylor = {
        every: taylorEvery(c.pruning.pruneEvery),
        noise: createNoise(streamSeed(c.seed, STREAM.taylor)),
      };
    }
  }

  afterUpdate(updates: number, batch?: TransitionBatch): void {
    if (this.taylor && batch && updates % this.taylor.every === 0) {
      const { gradients } = this.agent.actorGateGradients(batch, this.taylor.noise);
      gradients.forEach((g, group) => {
        this.strategy.observeReduced(group, Array.from(g, Math.abs));
      });
    }
    if (!this.strategy.shouldRecompute(updates)) return;
    const network = networkOfLayers(prunableActor(this.agent.actor).prunableLayers());
    this.apply(this.strategy.recompute(updates, network));
  }

  private apply(masks: PruningMasks): void {
    this.masks = masks;
    const floats = masks.map((m) => Float32Array.from(m));
    prunableActor(this.agent.actor).setUnitMasks(floats);
    prunableActor(this.agent.targetActor).setUnitMasks(floats);
    const keep = variableKeepMasks(this.agent.actor, masks);
    if (keep) this.agent.maskActorOptimizer(keep);
  }

  prunedShare(): number {
    if (!this.masks) return 0;
    let total = 0;
    let pruned = 0;
    for (const m of this.masks) {
      total += m.length;
      for (const v of m) if (v === 0) pruned++;
    }
    return total === 0 ? 0 : pruned / total;
  }

  state(): unknown {
    const state: PrunerState = { masks: this.masks?.map((m) => Array.from(m)) ?? null };
    if (this.taylor) {
      state.taylor = { noise: this.taylor.noise.state(), strategy: this.strategy.saveState?.() ?? null };
    }
    return state;
  }

  restore(state: unknown): void {
    const s = state as PrunerState | null;
    if (s?.masks) this.apply(s.masks.map((m) => Uint8Array.from(m)));
    if (this.taylor && s?.taylor) {
      this.taylor.noise.restore(s.taylor.noise);
      this.strategy.loadState?.(s.taylor.strategy);
    }
  }
}

/** The pruning hook of a run, or null when the run does not prune. */
export function createActorPruner(c: TrainConfig, agent: SacAgent, totalUpdates: number): ActorPruner | null {
  if (c.pruning.strategy === 'none' || c.pruning.strategy === 'auto') return null;
  const { strategy: name, ...schedule } = c.pruning;
  let strategy: PruningStrategy;
  try {
    strategy = createPruningStrategy(name, {
      ...schedule,
      totalSteps: Math.max(1, totalUpdates),
      // Gate gradients reach masked units too: a masked unit's score is what restoring it would change.
      ...(name === 'taylor' ? { taylorMeasureMasked: true } : {}),
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  return new Pruner(strategy, agent, c);
}
