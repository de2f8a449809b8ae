import { PruningError } from './errors.js';
import type { PruningMasks } from './types.js';

/** Shape of the ramp of the pruning ratio from 0 to rho. */
export type RampKind = 'cubic' | 'linear' | 'constant';

export const RAMP_KINDS: readonly RampKind[] = ['cubic', 'linear', 'constant'];

export interface ScheduleConfig {
  /** final pruning ratio rho_p in [0, 1): share of each group's neurons masked. Default 0.1. */
  rho?: number;
  /** recompute masks every this many updates (steps pruneEvery, 2 pruneEvery, ...). Default 1000. */
  pruneEvery?: number;
  /** total updates of the training run; the ramp spans rampShare x totalSteps. Required unless ramp is 'constant'. */
  totalSteps?: number;
  /** share of training over which the ratio ramps from 0 to rho, in [0, 1]. Default 0.5. */
  rampShare?: number;
  /** 'cubic' (default; Zhu & Gupta 2017), 'linear', or 'constant' (rho from the first recomputation). */
  ramp?: RampKind;
}

export const SCHEDULE_DEFAULTS = { rho: 0.1, pruneEvery: 1000, rampShare: 0.5, ramp: 'cubic' } as const;

/**
 * Guards floor(rho x width) against binary rounding of decimal ratios: 0.29 x 100 is
 * 28.999999999999996 in float64 but means 29 neurons.
 */
const COUNT_EPSILON = 1e-9;

/** floor(ratio x width), the number of neurons a ratio masks in a group of `width`. */
export function prunedCount(ratio: number, width: number): number {
  return Math.min(width, Math.floor(ratio * width + COUNT_EPSILON));
}

/**
 * When masks are recomputed and with which ratio.
 *
 * ratioAt(step), with p = min(1, step / (rampShare x totalSteps)) (p = 1 when that span is 0):
 * - cubic:    rho (1 - (1 - p)^3)  (fast early growth, gentle approach to rho)
 * - linear:   rho p
 * - constant: rho
 * `step` counts the updates done so far; recomputations happen at step = k x pruneEvery, k >= 1.
 */
export class PruningSchedule {
  readonly rho: number;
  readonly pruneEvery: number;
  readonly totalSteps: number | undefined;
  readonly rampShare: number;
  readonly ramp: RampKind;
  /** updates over which the ratio ramps */
  readonly rampSteps: number;

  constructor(config: ScheduleConfig = {}, path = 'pruning') {
    const rho = config.rho ?? SCHEDULE_DEFAULTS.rho;
    const pruneEvery = config.pruneEvery ?? SCHEDULE_DEFAULTS.pruneEvery;
    const rampShare = config.rampShare ?? SCHEDULE_DEFAULTS.rampShare;
    const ramp = config.ramp ?? SCHEDULE_DEFAULTS.ramp;
    if (typeof rho !== 'number' || !(rho >= 0 && rho < 1)) {
      throw new PruningError(`${path}.rho`, 'must be a number in [0, 1)', rho);
    }
    if (!Number.isInteger(pruneEvery) || pruneEvery < 1) {
      throw new PruningError(`${path}.pruneEvery`, 'must be a positive integer', pruneEvery);
    }
    if (typeof rampShare !== 'number' || !(rampShare >= 0 && rampShare <= 1)) {
      throw new PruningError(`${path}.rampShare`, 'must be a number in [0, 1]', rampShare);
    }
    if (!RAMP_KINDS.includes(ramp)) {
      throw new PruningError(`${path}.ramp`, `must be one of ${RAMP_KINDS.join(', ')}`, ramp);
    }
    const totalSteps = config.totalSteps;
    if (totalSteps !== undefined && (!Number.isInteger(totalSteps) || totalSteps < 1)) {
      throw new PruningError(`${path}.totalSteps`, 'must be a positive integer', totalSteps);
    }
    if (totalSteps === undefined && ramp !== 'constant' && rampShare > 0) {
      throw new PruningError(`${path}.totalSteps`, `is required for a ${ramp} ramp`);
    }
    this.rho = rho;
    this.pruneEvery = pruneEvery;
    this.totalSteps = totalSteps;
    this.rampShare = rampShare;
    this.ramp = ramp;
    this.rampSteps = ramp === 'constant' || totalSteps === undefined ? 0 : rampShare * totalSteps;
  }

  /** Target pruning ratio after `step` updates. */
  ratioAt(step: number): number {
    if (this.ramp === 'constant' || this.rampSteps === 0) return this.rho;
    const p = Math.min(1, Math.max(0, step / this.rampSteps));
    if (this.ramp === 'linear') return this.rho * p;
    const rest = 1 - p;
    return this.rho * (1 - rest * rest * rest);
  }

  /** Neurons to mask in a group of `width` after `step` updates: floor(ratioAt(step) x width). */
  countAt(step: number, width: number): number {
    return prunedCount(this.ratioAt(step), width);
  }

  /** True at step = k x pruneEvery for k >= 1. */
  shouldRecompute(step: number): boolean {
    return step > 0 && Number.isInteger(step) && step % this.pruneEvery === 0;
  }
}

/**
 * Keep-mask of one group that prunes the `count` lowest scores. Ties are broken by index (the lower
 * index is pruned first), so equal inputs always give equal masks. NaN scores are rejected.
 */
export function lowestMask(scores: ArrayLike<number>, count: number, path = 'scores'): Uint8Array {
  const width = scores.length;
  if (!Number.isInteger(count) || count < 0 || count > width) {
    throw new PruningError('count', `must be an integer in [0, ${width}]`, count);
  }
  const order: number[] = [];
  for (let j = 0; j < width; j++) {
    if (Number.isNaN(scores[j])) throw new PruningError(`${path}[${j}]`, 'must be a number', scores[j]);
    order.push(j);
  }
  order.sort((x, y) => scores[x]! - scores[y]! || x - y);
  const mask = new Uint8Array(width).fill(1);
  for (let r = 0; r < count; r++) mask[order[r]!] = 0;
  return mask;
}

/**
 * The dynamic part of pruning: holds the current masks and replaces them, at each recomputation, by
 * the floor(ratioAt(step) x width) lowest-scoring neurons of every group. Masks are recomputed from
 * scratch each time, so a neuron pruned earlier comes back when its score is no longer among the
 * lowest.
 */
export class DynamicPruner {
  readonly schedule: PruningSchedule;
  private current: Uint8Array[] | undefined;
  private lastStep: number | undefined;

  constructor(schedule: PruningSchedule | ScheduleConfig = {}) {
    this.schedule = schedule instanceof PruningSchedule ? schedule : new PruningSchedule(schedule);
  }

  shouldRecompute(step: number): boolean {
    return this.schedule.shouldRecompute(step);
  }

  ratioAt(step: number): number {
    return this.schedule.ratioAt(step);
  }

  /** Masks from the last recomputation (undefined before the first). */
  get masks(): PruningMasks | undefined {
    return this.current;
  }

  /** Step of the last recomputation. */
  get step(): number | undefined {
    return this.lastStep;
  }

  /**
   * New masks from one score array per group, at ratio ratioAt(step). Returns them and keeps them as
   * `masks`.
   */
  recompute(step: number, scores: readonly ArrayLike<number>[]): PruningMasks {
    if (typeof step !== 'number' || !(step >= 0))
      throw new PruningError('step', 'must be a number >= 0', step);
    if (this.current !== undefined && scores.length !== this.current.length) {
      throw new PruningError(
        'scores',
        `must hold one array per group (${this.current.length})`,
        scores.length,
      );
    }
    const ratio = this.ratioAt(step);
    this.current = scores.map((s, g) => {
      if (this.current !== undefined && s.length !== this.current[g]!.length) {
        throw new PruningError(`scores[${g}]`, `must have width ${this.current[g]!.length}`, s.length);
      }
      return lowestMask(s, prunedCount(ratio, s.length), `scores[${g}]`);
    });
    this.lastStep = step;
    return this.current;
  }
}
