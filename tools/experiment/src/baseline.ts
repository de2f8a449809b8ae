/**
 * Baselines that need no training, evaluated in-process by the training app's evaluation
 * (`@diffcontract/evaluation`, N = 1): the float contract of a float32 action, raw utility,
 * violation and exact feasibility, then the delivered contract (allocation formulation: the exact
 * cheapest rewards for the allocation, or the nearest implementable one; contract formulation: exact
 * repair), its utility and a z3 certificate; U* the exact optimum of each market's decimal form.
 *
 * - random allocation: every allocation action entry uniform in [-1, 1] (a fresh stream per seed),
 *   priced as a policy's allocation is;
 * - random contract: every contract action entry uniform in [-1, 1], repaired as a policy's contract is;
 * - exact optimum: U/U* = 1 by definition; its U* per market is reported (and matches the runs' U*).
 */

import {
  type ActionFormulation,
  actionDim,
  allocationActionDim,
  DEFAULT_PENALTY,
  evaluationSet,
  uniformStream,
} from '@diffcontract/env';
import { evalMarketsOf, evaluatePolicy, optimumFor } from '@diffcontract/evaluation';
import type { EvalFigures } from './aggregate.js';
import { median } from './stats.js';

/** Summary in the fields of a run's eval.json summary. */
export interface BaselineSummary extends EvalFigures {
  seed: number;
}

/** `count * dim` float32 actions, each uniform in [-1, 1), from the seed's own stream. */
export function randomActions(seed: number, count: number, dim: number): Float32Array {
  const next = uniformStream(seed ^ 0x7a3d_1c55);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = 2 * next() - 1;
  return out;
}

export interface MarketOptimum {
  uStar: number;
  gap: number;
}

/** U* of the first `count` evaluation markets (solved exactly, as each run does once). */
export function optimumOfEvaluationSet(count: number): Promise<MarketOptimum[]> {
  return optimumFor(evalMarketsOf(evaluationSet().slice(0, count)).map((m) => m.exact));
}

/**
 * A random policy on the first `count` evaluation markets, for one seed: a uniform action in the
 * formulation's action space, delivered as a learned policy's action is.
 */
export async function evaluateRandomPolicy(
  formulation: ActionFormulation,
  seed: number,
  optimum: readonly MarketOptimum[],
  options: { certify: boolean; certifyTimeoutMs?: number },
): Promise<BaselineSummary> {
  const markets = evalMarketsOf(evaluationSet().slice(0, optimum.length));
  const K = markets[0]!.market.theta.length;
  const A = formulation === 'allocation' ? allocationActionDim(K) : actionDim(K);
  // The contract formulation keeps the stream it always had; the allocation one gets its own.
  const actions = randomActions(formulation === 'allocation' ? seed ^ 0x51ed_a110 : seed, markets.length, A);
  const { summary, markets: results } = await evaluatePolicy({
    markets,
    optimum,
    act: () => actions,
    formulation,
    // the training app's default lambda of the float pricing
    penalty: DEFAULT_PENALTY,
    certify: options.certify,
    certifyTimeoutMs: options.certifyTimeoutMs,
  });
  return {
    seed,
    markets: summary.markets,
    meanRatioRaw: summary.meanRatioRaw,
    meanRatioRepaired: summary.meanRatioRepaired,
    medianRatioRepaired: median(results.map((r) => r.repaired.ratio)),
    meanViolationRaw: summary.meanViolationRaw,
    feasibleShareRaw: summary.feasibleShareRaw,
    feasibleShareRepaired: summary.feasibleShareRepaired,
    certifiedShare: summary.certifiedShare,
  };
}
