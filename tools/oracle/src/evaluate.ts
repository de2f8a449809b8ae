/**
 * Scores a policy on the fixed evaluation set with the training app's evaluation
 * (`@diffcontract/evaluation`): the noise-free contract, its U/U* and violation as it is, exact
 * feasibility, then the delivered contract (exactly priced, or repaired) and its U/U*; U* is the
 * exact optimum of the decimal market, as in every run.
 */

import { type ActionFormulation, evaluationSet } from '@diffcontract/env';
import { evalMarketsOf, evaluatePolicy, optimumFor } from '@diffcontract/evaluation';

export interface EvaluationSummary {
  markets: number;
  meanRatioRaw: number;
  meanViolationRaw: number;
  /** share of raw contracts that are exactly feasible */
  feasibleShareRaw: number;
  meanRatioRepaired: number;
  minRatioRepaired: number;
}

export async function evaluateOnEvaluationSet(
  act: (states: Float32Array) => Float32Array,
  count = 100,
  formulation: ActionFormulation = 'allocation',
  penalty = 5,
): Promise<EvaluationSummary> {
  const markets = evalMarketsOf(evaluationSet().slice(0, count));
  const optimum = await optimumFor(markets.map((m) => m.exact));
  const { summary } = await evaluatePolicy({ markets, optimum, act, formulation, penalty, certify: false });
  return {
    markets: summary.markets,
    meanRatioRaw: summary.meanRatioRaw,
    meanViolationRaw: summary.meanViolationRaw,
    feasibleShareRaw: summary.feasibleShareRaw,
    meanRatioRepaired: summary.meanRatioRepaired,
    minRatioRepaired: summary.minRatioRepaired,
  };
}
