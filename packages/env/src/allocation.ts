/**
 * The `allocation` action of model.md section 6.1: the policy chooses the K + K^2 contributions q
 * and the pricing layer (pricing.ts) pays the cheapest rewards that make them feasible.
 *
 * Map from the action box: q = qMax ((u + 1) / 2)^2, strictly increasing onto [0, qMax]. Optimal
 * contributions sit well below qMax (about 0.3-1.5 of 10 on the default sampler), where the square
 * map gives the policy five times the resolution of the linear one.
 */

import { BatchBuffers, type BatchResult, batchRows } from './batch.js';
import { itemCount } from './constraints.js';
import { DEFAULT_PENALTY, stateDim } from './encoding.js';
import { AllocationPricer, type PricingMarket } from './pricing.js';
import { DEFAULT_SAMPLER_CONFIG } from './sampler.js';
import type { Contract, ContractItem, Market } from './types.js';

type Floats = Float32Array | Float64Array;

/** Action dimension of the allocation formulation: q1 (K), q2 row-major (K^2). */
export function allocationActionDim(K: number): number {
  return itemCount(K);
}

/** q = qMax ((u + 1) / 2)^2 for u clipped to [-1, 1]. */
export function allocationOfUnit(u: number, qMax: number): number {
  const c = u < -1 ? -1 : Math.min(u, 1);
  const h = (c + 1) / 2;
  return qMax * h * h;
}

/** Inverse of allocationOfUnit on [0, qMax]. */
export function unitOfAllocation(q: number, qMax: number): number {
  return 2 * Math.sqrt(Math.min(1, Math.max(0, q / qMax))) - 1;
}

/** Contributions (flat item order) an allocation action asks for. */
export function decodeAllocation(market: Market<number>, action: ArrayLike<number>, offset = 0): number[] {
  const n = itemCount(market.theta.length);
  return Array.from({ length: n }, (_, v) => allocationOfUnit(action[offset + v]!, market.qMax));
}

/** The action whose allocation is q (flat item order). */
export function encodeAllocation<T extends Float32Array | Float64Array = Float32Array>(
  market: Market<number>,
  q: ArrayLike<number>,
  out?: T,
  offset = 0,
): T {
  const n = itemCount(market.theta.length);
  const target = out ?? (new Float32Array(n) as T);
  for (let v = 0; v < n; v++) target[offset + v] = unitOfAllocation(q[v]!, market.qMax);
  return target;
}

/** The allocation of a contract, flat item order. */
export function allocationOf<N>(contract: Contract<N>): N[] {
  return [...contract.period1.map((it) => it.q), ...contract.period2.flat().map((it) => it.q)];
}

export function pricingMarketOf(market: Market<number>): PricingMarket {
  return {
    theta: market.theta,
    prior: market.prior,
    transition: market.transition.flat(),
    delta: market.delta,
  };
}

export interface PricedContract {
  /** the allocation with the LP's cheapest rewards (float; exactly feasible only after exact pricing) */
  contract: Contract<number>;
  /** cost(R) per ES */
  cost: number;
  /** total slack of the elastic LP: viol(contract); 0 when the allocation is implementable */
  slack: number;
  /** cost + lambda slack: L(x) */
  value: number;
  /** dL/dq per item (flat order): dL/dx 2 a q */
  gradientQ: number[];
  /** the LP's optimal duals, one per constraint row (IR1, IR2, IC2, IIC in env's order), in [0, lambda] */
  duals: number[];
}

/** Prices one allocation (flat item order) in floats: model.md section 6.1's C(q). */
export function priceAllocation(
  market: Market<number>,
  q: ArrayLike<number>,
  options: { penalty?: number; pricer?: AllocationPricer } = {},
): PricedContract {
  const K = market.theta.length;
  const pricer = options.pricer ?? new AllocationPricer(K, { penalty: options.penalty });
  pricer.setMarket(pricingMarketOf(market));
  const n = itemCount(K);
  const x = Array.from({ length: n }, (_, v) => market.a * q[v]! * q[v]!);
  const r = pricer.solve(x);
  const item = (v: number): ContractItem<number> => ({ q: q[v]!, reward: r.reward[v]! });
  const period1 = Array.from({ length: K }, (_, i) => item(i));
  const period2 = Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) => item(K + i * K + j)),
  );
  return {
    contract: { period1, period2 },
    cost: r.cost,
    slack: r.slack,
    value: r.value,
    gradientQ: Array.from({ length: n }, (_, v) => r.gradient[v]! * 2 * market.a * q[v]!),
    duals: Array.from(pricer.lastDuals()),
  };
}

export interface AllocationEvaluatorOptions {
  /** q_max of every market (not in the state); default that of DEFAULT_SAMPLER_CONFIG */
  qMax?: number;
  /** lambda, price of a unit of slack; default 5 */
  penalty?: number;
  /** fixed reward divisor; default each market's beta */
  scale?: number;
}

/**
 * The allocation formulation's batched evaluator, straight from flat (state, action) encodings:
 * reward r = (U/N - lambda viol) / scale of the priced contract (= (sum w v(q) - L(x)) / scale),
 * its utility U/N and violation (the LP's slack), and on demand the exact gradient dr/du.
 */
export class AllocationEvaluator {
  readonly K: number;
  readonly stateDim: number;
  readonly actionDim: number;
  readonly qMax: number;
  readonly penalty: number;
  readonly scale: number | undefined;
  private readonly pricer: AllocationPricer;
  private readonly theta: Float64Array;
  private readonly prior: Float64Array;
  private readonly transition: Float64Array;
  private readonly market: PricingMarket & { delta: number };
  private readonly q: Float64Array;
  private readonly x: Float64Array;
  private readonly buffers = new BatchBuffers(256);
  /** pivots of the last evaluate/gradient call, summed (bench and tests read it) */
  lastPivots = 0;

  constructor(K: number, options: AllocationEvaluatorOptions = {}) {
    this.K = K;
    this.stateDim = stateDim(K);
    this.actionDim = allocationActionDim(K);
    this.qMax = options.qMax ?? DEFAULT_SAMPLER_CONFIG.qMax;
    this.penalty = options.penalty ?? DEFAULT_PENALTY;
    this.scale = options.scale;
    this.pricer = new AllocationPricer(K, { penalty: this.penalty });
    this.theta = new Float64Array(K);
    this.prior = new Float64Array(K);
    this.transition = new Float64Array(K * K);
    this.market = { theta: this.theta, prior: this.prior, transition: this.transition, delta: 0 };
    this.q = new Float64Array(this.actionDim);
    this.x = new Float64Array(this.actionDim);
  }

  /** Rewards, utilities and violations of rows 0..count-1 (views reused by the next call unless `out`). */
  evaluate(states: Floats, actions: Floats, count?: number, out?: BatchResult): BatchResult {
    const n = batchRows('AllocationEvaluator', this, states, actions, count);
    const target = out ?? this.buffers.views(n);
    this.lastPivots = 0;
    for (let b = 0; b < n; b++) this.row(states, actions, b, target, null);
    return target;
  }

  /**
   * dr/du of every action entry (rows 0..count-1) into `out` (count x actionDim); returns the
   * rewards. Zero where u is outside [-1, 1] (the map clips there). A subgradient at the LP's kinks.
   */
  gradient(states: Floats, actions: Floats, out: Floats, count?: number): Float64Array {
    const n = batchRows('AllocationEvaluator', this, states, actions, count);
    if (out.length < n * this.actionDim)
      throw new RangeError(`gradient: out needs ${n * this.actionDim} values`);
    const target = this.buffers.views(n);
    this.lastPivots = 0;
    for (let b = 0; b < n; b++) this.row(states, actions, b, target, out);
    return target.reward;
  }

  private row(s: Floats, act: Floats, b: number, out: BatchResult, grad: Floats | null): void {
    const { K, theta, prior, transition, market, q, x, qMax, actionDim: A, pricer } = this;
    const so = b * this.stateDim;
    const ao = b * A;
    for (let k = 0; k < K; k++) {
      theta[k] = s[so + k]!;
      prior[k] = s[so + K + k]!;
    }
    for (let k = 0; k < K * K; k++) transition[k] = s[so + 2 * K + k]!;
    const a = s[so + 2 * K + K * K]!;
    const beta = s[so + 2 * K + K * K + 1]!;
    market.delta = s[so + 2 * K + K * K + 2]!;
    pricer.setMarket(market);
    for (let v = 0; v < A; v++) {
      q[v] = allocationOfUnit(act[ao + v]!, qMax);
      x[v] = a * q[v]! * q[v]!;
    }
    const r = pricer.solve(x);
    this.lastPivots += r.pivots;
    const w = pricer.weights();
    let value = 0;
    for (let v = 0; v < A; v++) value += w[v]! * beta * Math.log1p(q[v]!);
    const scale = this.scale ?? beta;
    out.utility[b] = value - r.cost;
    out.violation[b] = r.slack;
    out.reward[b] = (value - r.value) / scale;
    if (grad === null) return;
    for (let v = 0; v < A; v++) {
      const u = act[ao + v]!;
      if (u < -1 || u > 1) {
        grad[ao + v] = 0;
        continue;
      }
      // dr/dq = (w beta / (1 + q) - dL/dx * 2 a q) / scale; dq/du = qMax (u + 1) / 2.
      const dq = (w[v]! * beta) / (1 + q[v]!) - r.gradient[v]! * 2 * a * q[v]!;
      grad[ao + v] = ((dq / scale) * qMax * (u + 1)) / 2;
    }
  }
}
