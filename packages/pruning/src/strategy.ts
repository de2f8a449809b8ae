import { PruningError } from './errors.js';
import {
  type MagnitudeNorm,
  magnitudeScores,
  TaylorAccumulator,
  type TaylorReduction,
  type TaylorSnapshot,
} from './importance.js';
import { fullMasks, groupWidths, validateNetwork } from './network.js';
import { DynamicPruner, PruningSchedule, SCHEDULE_DEFAULTS, type ScheduleConfig } from './schedule.js';
import type { PrunableNetwork, PruningMasks } from './types.js';

/**
 * Hyperparameters of structured pruning (one typed config; defaults in PRUNING_DEFAULTS):
 * schedule fields (rho 0.1, pruneEvery 1000, totalSteps required for a ramp, rampShare 0.5,
 * ramp 'cubic') plus the criteria's options (norm 'l2', includeBias true, taylorReduction 'meanAbs').
 */
export interface PruningConfig extends ScheduleConfig {
  /** magnitude criterion: 'l1' or 'l2' norm of a neuron's incoming and outgoing weights */
  norm?: MagnitudeNorm;
  /** magnitude criterion: count the bias among the incoming weights */
  includeBias?: boolean;
  /** taylor criterion: how a batch's products become a per-neuron value */
  taylorReduction?: TaylorReduction;
  /**
   * taylor criterion: keep measuring masked neurons. Only meaningful when the caller's gradient
   * reaches them, e.g. masks applied as a multiplicative gate on the hidden output with the weights
   * kept: then |h x dL/d(gated h)| of a masked neuron estimates what restoring it would change.
   * Default false (a masked neuron keeps its last estimate).
   */
  taylorMeasureMasked?: boolean;
}

export const PRUNING_DEFAULTS = {
  ...SCHEDULE_DEFAULTS,
  norm: 'l2',
  includeBias: true,
  taylorReduction: 'meanAbs',
  taylorMeasureMasked: false,
} as const;

const CONFIG_KEYS = new Set([
  'rho',
  'pruneEvery',
  'totalSteps',
  'rampShare',
  'ramp',
  'norm',
  'includeBias',
  'taylorReduction',
  'taylorMeasureMasked',
]);

/**
 * What a training loop talks to. Per update: `observe` (only if `needsActivationGradients`), then
 * `shouldRecompute(step)`; when true, `recompute(step, network)` returns the new masks, which the
 * caller applies to the actor and its target (see MaskedNetwork).
 */
export interface PruningStrategy {
  readonly name: string;
  /** true when `observe` must be fed every batch's hidden activations and their gradients */
  readonly needsActivationGradients: boolean;
  shouldRecompute(step: number): boolean;
  ratioAt(step: number): number;
  /** one batch of hidden activations of group `group` and dLoss/dActivation, both [batch x width] */
  observe(group: number, activations: Float32Array, gradients: Float32Array, batch: number): void;
  /** one batch's already reduced per-neuron importance for group `group` */
  observeReduced(group: number, values: ArrayLike<number>): void;
  /** importance of every neuron of every group (higher = more important) */
  scores(network: PrunableNetwork): Float64Array[];
  /**
   * Scores `network` and returns masks pruning floor(ratioAt(step) x width) neurons per group. For
   * magnitude pass the dense view (`MaskedNetwork.dense()`) so that masked neurons are scored on
   * their remembered weights.
   */
  recompute(step: number, network: PrunableNetwork): PruningMasks;
  /** masks of the last recomputation, undefined before the first */
  readonly masks: PruningMasks | undefined;
  /**
   * State that scores depend on beyond the network (the taylor window), JSON-safe, for checkpoints;
   * absent or null for strategies that score from the network alone.
   */
  saveState?(): unknown;
  /** Puts back a saveState() result (null: nothing to restore). */
  loadState?(state: unknown): void;
}

export type PruningStrategyFactory = (config: PruningConfig, path: string) => PruningStrategy;

function checkConfig(config: PruningConfig, path: string): void {
  if (typeof config !== 'object' || config === null)
    throw new PruningError(path, 'must be an object', config);
  for (const key of Object.keys(config)) {
    if (!CONFIG_KEYS.has(key))
      throw new PruningError(
        `${path}.${key}`,
        'is not a pruning option',
        (config as Record<string, unknown>)[key],
      );
  }
  if (config.norm !== undefined && config.norm !== 'l1' && config.norm !== 'l2') {
    throw new PruningError(`${path}.norm`, "must be 'l1' or 'l2'", config.norm);
  }
  for (const key of ['includeBias', 'taylorMeasureMasked'] as const) {
    if (config[key] !== undefined && typeof config[key] !== 'boolean') {
      throw new PruningError(`${path}.${key}`, 'must be true or false', config[key]);
    }
  }
  const reduction = config.taylorReduction;
  if (reduction !== undefined && reduction !== 'meanAbs' && reduction !== 'absMean') {
    throw new PruningError(`${path}.taylorReduction`, "must be 'meanAbs' or 'absMean'", reduction);
  }
}

/** Shared machinery: schedule, mask selection, and the no-op observation hooks. */
abstract class ScoredStrategy implements PruningStrategy {
  abstract readonly name: string;
  readonly needsActivationGradients: boolean = false;
  protected readonly pruner: DynamicPruner;

  constructor(config: PruningConfig, path: string) {
    checkConfig(config, path);
    this.pruner = new DynamicPruner(new PruningSchedule(config, path));
  }

  get masks(): PruningMasks | undefined {
    return this.pruner.masks;
  }

  shouldRecompute(step: number): boolean {
    return this.pruner.shouldRecompute(step);
  }

  ratioAt(step: number): number {
    return this.pruner.ratioAt(step);
  }

  observe(_group: number, _activations: Float32Array, _gradients: Float32Array, _batch: number): void {}

  observeReduced(_group: number, _values: ArrayLike<number>): void {}

  abstract scores(network: PrunableNetwork): Float64Array[];

  recompute(step: number, network: PrunableNetwork): PruningMasks {
    validateNetwork(network);
    return this.pruner.recompute(step, this.scores(network));
  }
}

class MagnitudeStrategy extends ScoredStrategy {
  readonly name = 'magnitude';
  private readonly norm: MagnitudeNorm;
  private readonly includeBias: boolean;

  constructor(config: PruningConfig, path: string) {
    super(config, path);
    this.norm = config.norm ?? PRUNING_DEFAULTS.norm;
    this.includeBias = config.includeBias ?? PRUNING_DEFAULTS.includeBias;
  }

  scores(network: PrunableNetwork): Float64Array[] {
    return magnitudeScores(network, { norm: this.norm, includeBias: this.includeBias });
  }
}

class TaylorStrategy extends ScoredStrategy {
  readonly name = 'taylor';
  override readonly needsActivationGradients = true;
  private readonly accumulator: TaylorAccumulator;
  private readonly measureMasked: boolean;

  constructor(config: PruningConfig, path: string) {
    super(config, path);
    this.accumulator = new TaylorAccumulator(config.taylorReduction ?? PRUNING_DEFAULTS.taylorReduction);
    this.measureMasked = config.taylorMeasureMasked ?? PRUNING_DEFAULTS.taylorMeasureMasked;
  }

  override observe(group: number, activations: Float32Array, gradients: Float32Array, batch: number): void {
    this.accumulator.accumulate(group, activations, gradients, batch);
  }

  override observeReduced(group: number, values: ArrayLike<number>): void {
    this.accumulator.accumulateReduced(group, values);
  }

  scores(network: PrunableNetwork): Float64Array[] {
    return this.accumulator.scores(groupWidths(network));
  }

  saveState(): unknown {
    return this.accumulator.snapshot();
  }

  loadState(state: unknown): void {
    if (state !== null && state !== undefined) this.accumulator.restore(state as TaylorSnapshot);
  }

  override recompute(step: number, network: PrunableNetwork): PruningMasks {
    const masks = super.recompute(step, network);
    this.accumulator.endWindow();
    if (!this.measureMasked) this.accumulator.setMasks(masks);
    return masks;
  }
}

/** Dense training: never recomputes, ratio 0, all-ones masks. */
class NoPruning implements PruningStrategy {
  readonly name = 'none';
  readonly needsActivationGradients = false;
  private last: PruningMasks | undefined;

  constructor(config: PruningConfig, path: string) {
    checkConfig(config, path);
  }

  get masks(): PruningMasks | undefined {
    return this.last;
  }

  shouldRecompute(): boolean {
    return false;
  }

  ratioAt(): number {
    return 0;
  }

  observe(): void {}

  observeReduced(): void {}

  scores(network: PrunableNetwork): Float64Array[] {
    return groupWidths(network).map((w) => new Float64Array(w));
  }

  recompute(_step: number, network: PrunableNetwork): PruningMasks {
    validateNetwork(network);
    this.last = fullMasks(network);
    return this.last;
  }
}

/**
 * Registry of strategies by name, for `--pruning <name>` style options. A workspace package can add
 * one with `pruningStrategies.set(name, factory)`.
 */
export const pruningStrategies = new Map<string, PruningStrategyFactory>([
  ['none', (config, path) => new NoPruning(config, path)],
  ['magnitude', (config, path) => new MagnitudeStrategy(config, path)],
  ['taylor', (config, path) => new TaylorStrategy(config, path)],
]);

/**
 * The strategy registered as `name`, configured by `config` (defaults in PRUNING_DEFAULTS). Errors
 * name `path` (e.g. `pruning.rho`) and the offending value.
 */
export function createPruningStrategy(
  name: string,
  config: PruningConfig = {},
  path = 'pruning',
): PruningStrategy {
  const factory = pruningStrategies.get(name);
  if (factory === undefined) {
    throw new PruningError(
      `${path}.strategy`,
      `must be one of ${[...pruningStrategies.keys()].join(', ')}`,
      name,
    );
  }
  return factory(config, path);
}
