/**
 * Scores a policy on the fixed evaluation set the way the training app does: the noise-free
 * contract, its U/U* and violation as it is, then exact repair and U/U* after repair.
 */
import {
  type ActionFormulation,
  cloudUtility,
  contractOfAction,
  encodeState,
  evaluationSet,
  stateDim,
  toDecimalContract,
  toDecimalMarket,
  violation,
} from '@diffcontract/env';
import { repairContract, solveOptimum } from '@diffcontract/optimum';

export interface EvaluationSummary {
  markets: number;
  meanRatioRaw: number;
  meanViolationRaw: number;
  /** share of raw contracts with zero float violation */
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
  const markets = evaluationSet().slice(0, count);
  const S = stateDim(markets[0]!.theta.length);
  const states = new Float32Array(markets.length * S);
  markets.forEach((m, i) => {
    encodeState(m, states, i * S);
  });
  const actions = act(states);
  const A = actions.length / markets.length;
  const raw: number[] = [];
  const viol: number[] = [];
  const repaired: number[] = [];
  for (let i = 0; i < markets.length; i++) {
    const market = markets[i]!;
    const contract = contractOfAction(market, actions, formulation, { penalty, offset: i * A });
    const uStar = (await solveOptimum(market)).cloudUtility;
    raw.push(cloudUtility(market, contract) / uStar);
    viol.push(violation(market, contract));
    const fixed = await repairContract(toDecimalMarket(market), toDecimalContract(contract));
    repaired.push(fixed.cloudUtility / uStar);
  }
  const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
  return {
    markets: markets.length,
    meanRatioRaw: mean(raw),
    meanViolationRaw: mean(viol),
    feasibleShareRaw: mean(viol.map((v) => (v === 0 ? 1 : 0))),
    meanRatioRepaired: mean(repaired),
    minRatioRepaired: Math.min(...repaired),
  };
}
