import { cloudUtility, valuation, violation } from './model.js';
import { DEFAULT_SAMPLER_CONFIG } from './sampler.js';
import type { Contract, ContractItem, Market } from './types.js';

/** State dimension (model.md section 6): theta (K), prior (K), transition (K^2), a, beta, delta. */
export function stateDim(K: number): number {
  return 2 * K + K * K + 3;
}

/** Action dimension: q1 (K), R1 (K), q2 (K^2), R2 (K^2), each in [-1, 1]. */
export function actionDim(K: number): number {
  return 2 * K + 2 * K * K;
}

/** Largest reward an action can express, R_max = v(q_max) = beta ln(1 + q_max). */
export function rewardMax(market: Market<number>): number {
  return valuation(market.beta, market.qMax);
}

/** Writes the raw state of a market into out[offset .. offset + stateDim(K)). */
export function encodeState<T extends Float32Array | Float64Array = Float32Array>(
  market: Market<number>,
  out?: T,
  offset = 0,
): T {
  const K = market.theta.length;
  const target = out ?? (new Float32Array(stateDim(K)) as T);
  let o = offset;
  for (let k = 0; k < K; k++) target[o++] = market.theta[k]!;
  for (let k = 0; k < K; k++) target[o++] = market.prior[k]!;
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) target[o++] = market.transition[i]![j]!;
  target[o++] = market.a;
  target[o++] = market.beta;
  target[o] = market.delta;
  return target;
}

/**
 * Inverse of encodeState. qMax and esCount are not part of the state (they are fixed by the
 * training distribution), so they are supplied here; default those of DEFAULT_SAMPLER_CONFIG.
 */
export function decodeState(
  state: ArrayLike<number>,
  K: number,
  offset = 0,
  fixed: { qMax: number; esCount: number } = DEFAULT_SAMPLER_CONFIG,
): Market<number> {
  let o = offset;
  const theta: number[] = [];
  const prior: number[] = [];
  for (let k = 0; k < K; k++) theta.push(state[o++]!);
  for (let k = 0; k < K; k++) prior.push(state[o++]!);
  const transition: number[][] = [];
  for (let i = 0; i < K; i++) {
    const row: number[] = [];
    for (let j = 0; j < K; j++) row.push(state[o++]!);
    transition.push(row);
  }
  const a = state[o++]!;
  const beta = state[o++]!;
  const delta = state[o]!;
  return { theta, prior, transition, a, beta, delta, qMax: fixed.qMax, esCount: fixed.esCount };
}

/** Actions outside [-1, 1] (a network's raw output) are clipped, so decoded contracts obey the bounds. */
function fromUnit(u: number, max: number): number {
  const c = u < -1 ? -1 : Math.min(u, 1);
  return (max * (c + 1)) / 2;
}

function toUnit(x: number, max: number): number {
  return (2 * x) / max - 1;
}

/** Maps an action (model.md section 6 order) to a contract: q = qMax (u+1)/2, R = R_max (u+1)/2. */
export function decodeAction(
  market: Market<number>,
  action: ArrayLike<number>,
  offset = 0,
): Contract<number> {
  const K = market.theta.length;
  const qMax = market.qMax;
  const rMax = rewardMax(market);
  const q1 = offset;
  const r1 = q1 + K;
  const q2 = r1 + K;
  const r2 = q2 + K * K;
  const period1: ContractItem<number>[] = [];
  for (let i = 0; i < K; i++) {
    period1.push({ q: fromUnit(action[q1 + i]!, qMax), reward: fromUnit(action[r1 + i]!, rMax) });
  }
  const period2: ContractItem<number>[][] = [];
  for (let i = 0; i < K; i++) {
    const row: ContractItem<number>[] = [];
    for (let j = 0; j < K; j++) {
      const k = i * K + j;
      row.push({ q: fromUnit(action[q2 + k]!, qMax), reward: fromUnit(action[r2 + k]!, rMax) });
    }
    period2.push(row);
  }
  return { period1, period2 };
}

/**
 * Inverse of decodeAction for contracts within the bounds (rewards above R_max map outside [-1, 1]
 * and would be clipped on the way back).
 */
export function encodeAction<T extends Float32Array | Float64Array = Float32Array>(
  market: Market<number>,
  contract: Contract<number>,
  out?: T,
  offset = 0,
): T {
  const K = market.theta.length;
  const target = out ?? (new Float32Array(actionDim(K)) as T);
  const qMax = market.qMax;
  const rMax = rewardMax(market);
  for (let i = 0; i < K; i++) {
    const item = contract.period1[i]!;
    target[offset + i] = toUnit(item.q, qMax);
    target[offset + K + i] = toUnit(item.reward, rMax);
    for (let j = 0; j < K; j++) {
      const it2 = contract.period2[i]![j]!;
      target[offset + 2 * K + i * K + j] = toUnit(it2.q, qMax);
      target[offset + 2 * K + K * K + i * K + j] = toUnit(it2.reward, rMax);
    }
  }
  return target;
}

/** Reward shaping of model.md section 6. */
export interface RewardConfig {
  /** lambda, weight of viol(C) against per-ES utility; default 5 */
  penalty?: number;
  /** divisor of the reward; default the market's beta (keeps rewards O(1) across markets) */
  scale?: number;
}

export const DEFAULT_PENALTY = 5;

/** r = (U(C)/N - lambda viol(C)) / scale. */
export function contractReward(
  market: Market<number>,
  contract: Contract<number>,
  config: RewardConfig = {},
): number {
  const penalty = config.penalty ?? DEFAULT_PENALTY;
  const scale = config.scale ?? market.beta;
  return (cloudUtility(market, contract) / market.esCount - penalty * violation(market, contract)) / scale;
}
