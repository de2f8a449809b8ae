import { AllocationEvaluator, decodeAllocation, priceAllocation } from './allocation.js';
import { BatchEvaluator, type BatchEvaluatorOptions, type BatchResult } from './batch.js';
import { decodeAction, encodeState, stateDim } from './encoding.js';
import { createMarketSampler, type MarketSampler, type SamplerOptions } from './sampler.js';
import type { Contract, Market } from './types.js';

/**
 * What the policy's action is (model.md section 6): `allocation` (6.1, the default) the K + K^2
 * contributions, priced by the exact-rewards LP; `contract` (6.2) every q and reward, violations
 * penalised.
 */
export type ActionFormulation = 'allocation' | 'contract';
export const ACTION_FORMULATIONS: readonly ActionFormulation[] = ['allocation', 'contract'];

/** The batched evaluator of a formulation (same results interface for both). */
export function createBatchEvaluator(
  action: ActionFormulation,
  K: number,
  options: BatchEvaluatorOptions,
): BatchEvaluator | AllocationEvaluator {
  return action === 'allocation' ? new AllocationEvaluator(K, options) : new BatchEvaluator(K, options);
}

/**
 * The contract an action stands for: for `contract` its decoded numbers, for `allocation` its
 * allocation with the float LP's cheapest rewards (model.md section 6.1's C(q)).
 */
export function contractOfAction(
  market: Market<number>,
  action: ArrayLike<number>,
  formulation: ActionFormulation,
  options: { penalty?: number; offset?: number } = {},
): Contract<number> {
  const offset = options.offset ?? 0;
  if (formulation === 'contract') return decodeAction(market, action, offset);
  return priceAllocation(market, decodeAllocation(market, action, offset), options).contract;
}

export interface EnvironmentConfig {
  /** the action's formulation; default `allocation` */
  action?: ActionFormulation;
  /** seed of the environment's own market sampler; default 0 */
  seed?: number;
  /** training distribution (K, ranges, qMax, esCount, overrides); defaults of DEFAULT_SAMPLER_CONFIG */
  sampler?: SamplerOptions;
  /** lambda of the reward; default 5 */
  penalty?: number;
  /** fixed reward divisor; default each market's beta */
  scale?: number;
}

/**
 * The learning problem of model.md section 6 as a batched contextual bandit, free of any tensor
 * library: reset(batch) samples markets and returns their states, step(actions) scores one contract
 * per market. Episodes are one step long; step may be called again on the same markets (e.g. to
 * score several candidate actions) until the next reset.
 */
export class ContractEnvironment {
  readonly K: number;
  readonly stateDim: number;
  readonly actionDim: number;
  readonly action: ActionFormulation;
  private readonly sampler: MarketSampler;
  private readonly evaluator: BatchEvaluator | AllocationEvaluator;
  private current: Market<number>[] = [];
  // States are evaluated from float64 copies so rewards match the markets, not their float32 image.
  private states64 = new Float64Array(0);

  constructor(config: EnvironmentConfig = {}) {
    this.sampler = createMarketSampler(config.seed ?? 0, config.sampler);
    this.K = this.sampler.config.K;
    this.action = config.action ?? 'allocation';
    if (!ACTION_FORMULATIONS.includes(this.action)) {
      throw new RangeError(
        `ContractEnvironment: action must be one of ${ACTION_FORMULATIONS.join(', ')} (${JSON.stringify(this.action)})`,
      );
    }
    this.stateDim = stateDim(this.K);
    if (config.sampler?.overrides?.qMax !== undefined) {
      throw new RangeError('ContractEnvironment: set qMax through sampler.qMax, not overrides');
    }
    this.evaluator = createBatchEvaluator(this.action, this.K, {
      qMax: this.sampler.config.qMax,
      penalty: config.penalty,
      scale: config.scale,
    });
    this.actionDim = this.evaluator.actionDim;
  }

  /** Samples `batch` fresh markets; returns their raw states, row-major (batch x stateDim). */
  reset(batch: number): Float32Array {
    if (!Number.isSafeInteger(batch) || batch < 1)
      throw new RangeError(`reset: batch must be >= 1 (${batch})`);
    this.current = Array.from({ length: batch }, () => this.sampler.next());
    if (this.states64.length !== batch * this.stateDim)
      this.states64 = new Float64Array(batch * this.stateDim);
    const states = new Float32Array(batch * this.stateDim);
    this.current.forEach((m, b) => {
      encodeState(m, this.states64, b * this.stateDim);
      encodeState(m, states, b * this.stateDim);
    });
    return states;
  }

  /** Scores one action per market of the last reset (batch x actionDim). Views are reused by the next step. */
  step(actions: Float32Array | Float64Array): BatchResult {
    const batch = this.current.length;
    if (batch === 0) throw new Error('step: call reset first');
    if (actions.length !== batch * this.actionDim) {
      throw new RangeError(
        `step: expected ${batch} x ${this.actionDim} actions, got ${actions.length} values`,
      );
    }
    return this.evaluator.evaluate(this.states64, actions, batch);
  }

  /**
   * The exact gradient dr/du of the reward at (states, actions) for any states (not only the last
   * reset's), row-major like the actions; only the allocation formulation has one (model.md 6.1).
   */
  actionGradient(
    states: Float32Array | Float64Array,
    actions: Float32Array | Float64Array,
  ): { reward: Float64Array; gradient: Float32Array } {
    if (!(this.evaluator instanceof AllocationEvaluator)) {
      throw new Error('actionGradient: only the allocation formulation has an exact action-gradient');
    }
    const gradient = new Float32Array(actions.length);
    const reward = this.evaluator.gradient(states, actions, gradient);
    return { reward, gradient };
  }

  /** The markets of the last reset (copies). */
  markets(): Market<number>[] {
    return structuredClone(this.current);
  }
}
