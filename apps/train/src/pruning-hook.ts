/**
 * EDMSAC's dynamic structured pruning, as seen from the training loop: after every SAC update the
 * hook asks the pruning strategy (resolved by name from @diffcontract/pruning's registry) whether
 * masks are due; when they are, it reads the actor's own description of its prunable units
 * (Actor.prunableUnits: one read of the weights), scores the units, and applies the new keep-masks
 * to the actor and its target alike. Masks are recomputed from
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
import { createPruningStrategy, type PruningMasks, type PruningStrategy } from '@diffcontract/pruning';
import type { Actor, SacAgent, TransitionBatch } from '@diffcontract/sac';
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

type PrunableActor = Required<Pick<Actor, 'prunableUnits' | 'setUnitMasks' | 'variableKeepMasks'>>;

function prunableActor(actor: Actor): PrunableActor {
  if (!actor.prunableUnits || !actor.setUnitMasks || !actor.variableKeepMasks) {
    throw new UsageError(
      `actor.name: actor '${actor.kind}' does not support structured pruning (${JSON.stringify(actor.kind)})`,
    );
  }
  return actor as PrunableActor;
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
    this.apply(this.strategy.recompute(updates, prunableActor(this.agent.actor).prunableUnits()));
  }

  private apply(masks: PruningMasks): void {
    this.masks = masks;
    const floats = masks.map((m) => Float32Array.from(m));
    const actor = prunableActor(this.agent.actor);
    actor.setUnitMasks(floats);
    prunableActor(this.agent.targetActor).setUnitMasks(floats);
    this.agent.maskActorOptimizer(actor.variableKeepMasks(floats));
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
