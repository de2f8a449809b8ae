/**
 * EDMSAC's dynamic structured pruning, as seen from the training loop: after every SAC update the
 * hook asks the pruning strategy (resolved by name from @diffcontract/pruning's registry) whether
 * masks are due; when they are, it snapshots the actor's hidden layers, scores their neurons,
 * and applies the new keep-masks to the actor and its target alike. Masks are recomputed from
 * scratch each time (pruned neurons can return) and the ratio ramps up as the schedule says.
 */
import {
  createPruningStrategy,
  type PrunableNetwork,
  type PruningMasks,
  type PruningStrategy,
} from '@diffcontract/pruning';
import type { Actor, PrunableLayer, SacAgent } from '@diffcontract/sac';
import type { TrainConfig } from './config.js';
import { UsageError } from './config-load.js';

export interface ActorPruner {
  /** call after each update with the agent's update count */
  afterUpdate(updates: number): void;
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

class Pruner implements ActorPruner {
  private masks: PruningMasks | null = null;
  constructor(
    private readonly strategy: PruningStrategy,
    private readonly agent: SacAgent,
  ) {
    prunableActor(agent.actor);
    prunableActor(agent.targetActor);
  }

  afterUpdate(updates: number): void {
    if (!this.strategy.shouldRecompute(updates)) return;
    const network = networkOfLayers(prunableActor(this.agent.actor).prunableLayers());
    this.apply(this.strategy.recompute(updates, network));
  }

  private apply(masks: PruningMasks): void {
    this.masks = masks;
    const floats = masks.map((m) => Float32Array.from(m));
    prunableActor(this.agent.actor).setUnitMasks(floats);
    prunableActor(this.agent.targetActor).setUnitMasks(floats);
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
    return { masks: this.masks?.map((m) => Array.from(m)) ?? null };
  }

  restore(state: unknown): void {
    const masks = (state as { masks: number[][] | null } | null)?.masks;
    if (masks) this.apply(masks.map((m) => Uint8Array.from(m)));
  }
}

/** The pruning hook of a run, or null when the run does not prune. */
export function createActorPruner(c: TrainConfig, agent: SacAgent, totalUpdates: number): ActorPruner | null {
  if (c.pruning.strategy === 'none' || c.pruning.strategy === 'auto') return null;
  let strategy: PruningStrategy;
  try {
    strategy = createPruningStrategy(c.pruning.strategy, {
      rho: c.pruning.ratio,
      pruneEvery: c.pruning.every,
      totalSteps: Math.max(1, totalUpdates),
      rampShare: c.pruning.rampShare,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (strategy.needsActivationGradients) {
    throw new UsageError(
      `pruning.strategy: needs activation gradients, which the actor does not report yet (${JSON.stringify(c.pruning.strategy)})`,
    );
  }
  return new Pruner(strategy, agent);
}
