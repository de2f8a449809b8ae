import { BatchEvaluator, type BatchResult } from './batch.js';
import { actionDim, encodeState, stateDim } from './encoding.js';
import { createMarketSampler, type MarketSampler, type SamplerOptions } from './sampler.js';
import type { Market } from './types.js';

export interface EnvironmentConfig {
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
  private readonly sampler: MarketSampler;
  private readonly evaluator: BatchEvaluator;
  private current: Market<number>[] = [];
  // States are evaluated from float64 copies so rewards match the markets, not their float32 image.
  private states64 = new Float64Array(0);

  constructor(config: EnvironmentConfig = {}) {
    this.sampler = createMarketSampler(config.seed ?? 0, config.sampler);
    this.K = this.sampler.config.K;
    this.stateDim = stateDim(this.K);
    this.actionDim = actionDim(this.K);
    if (config.sampler?.overrides?.qMax !== undefined) {
      throw new RangeError('ContractEnvironment: set qMax through sampler.qMax, not overrides');
    }
    this.evaluator = new BatchEvaluator(this.K, {
      qMax: this.sampler.config.qMax,
      penalty: config.penalty,
      scale: config.scale,
    });
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

  /** The markets of the last reset (copies). */
  markets(): Market<number>[] {
    return structuredClone(this.current);
  }
}
