import {
  type ContractInput,
  cloudUtility,
  type ExactContract,
  exactContractOf,
  exactMarketOf,
  type MarketInput,
  toFloatContract,
  toFloatMarket,
  validateContract,
  validateMarket,
} from '@diffcontract/env';
import type { Highs } from 'highs';
import { closeRewards, exactAllocation, feasibleExact } from './closure.js';
import { type OptimumOptions, resolveOptions } from './config.js';
import { exactlyFeasiblePoint } from './feasible-point.js';
import { gridOf, qFromNumber, toExactContract } from './finalize.js';
import { createModel, highsRuntime, type LinearProgram, runModel } from './highs.js';
import { constraintRows, flattenContract, itemInfos } from './items.js';
import { Rat, type RatMarket, ratMarket, ratToNumber } from './rational.js';
import { exactVertex, solveRewardLp } from './rewardlp.js';

export interface RepairResult {
  /** exactly feasible (no tolerance) for the market as given */
  contract: ExactContract;
  /** U of the repaired contract (float evaluation, N included) */
  cloudUtility: number;
  /** false when every q is exactly the input's */
  changedAllocation: boolean;
}

/**
 * The cloud-best exactly feasible contract next to `contract` (model.md sections 4-5).
 *
 * 1. Keep the contributions. x = a q^2 is exact, and the cloud-best rewards for it solve an LP
 *    over rewards (rewardlp.ts). Its basis is re-solved in exact arithmetic; closures from the LP's
 *    rewards and from the contract's own rewards are the fallbacks, and the contract's own rewards
 *    count when they are already feasible, so a feasible input always keeps its q and never
 *    loses utility.
 * 2. If no reward vector makes q exactly feasible, move to the nearest implementable allocation in
 *    L1 distance over x = a q^2 (the energy the ESs are asked to spend): min sum_v |x_v - x_v^in|
 *    over (x, R) satisfying every constraint, an LP, with the rewards' cost as a lesser term so
 *    that ties go to the allocation that is cheap to implement. Items the LP leaves where they were keep
 *    their exact q; moved ones are rounded to the 2^-gridBits grid; rewards are again the exact
 *    cloud-best ones, and a boundary point is nudged inside (feasible-point.ts) when rounding breaks it.
 */
export async function repairContract(
  market: MarketInput,
  contract: ContractInput,
  options?: Partial<OptimumOptions>,
): Promise<RepairResult> {
  return repairContractWith(await highsRuntime(), market, contract, options);
}

export function repairContractWith(
  highs: Highs,
  marketInput: MarketInput,
  contractInput: ContractInput,
  options?: Partial<OptimumOptions>,
): RepairResult {
  const config = resolveOptions(options);
  const market = exactMarketOf(marketInput);
  const contract = exactContractOf(contractInput);
  validateMarket(market);
  validateContract(market, contract);
  const float = toFloatMarket(market);
  const qm = ratMarket(market);
  const K = float.theta.length;
  const items = flattenContract(contract);
  const q = items.map((it) => Rat.of(it.q));
  const ownRewards = items.map((it) => Rat.of(it.reward));
  const x = exactAllocation(qm, q);
  const xFloat = x.map(ratToNumber);

  const candidates: Rat[][] = [];
  if (feasibleExact(qm, x, ownRewards)) candidates.push(ownRewards);
  const lp = solveRewardLp(highs, float, xFloat, config.lpTolerance);
  if (lp !== null) {
    const vertex = exactVertex(qm, x, lp);
    if (vertex !== null) candidates.push(vertex);
    else pushClosure(candidates, qm, x, lp.reward.map(qFromNumber));
  }
  if (candidates.length === 0) pushClosure(candidates, qm, x, ownRewards);
  if (candidates.length > 0) {
    const scored = candidates.map((reward) => {
      const exact = toExactContract(K, { q, reward });
      return { exact, utility: cloudUtility(float, toFloatContract(exact)) };
    });
    scored.sort((s, t) => t.utility - s.utility);
    return { contract: scored[0]!.exact, cloudUtility: scored[0]!.utility, changedAllocation: false };
  }

  const nearest = nearestImplementable(highs, float, xFloat, config.lpTolerance);
  const tolerance = 1e-12 * Math.max(1, float.a * float.qMax * float.qMax);
  const keep = nearest.x.map((xv, v) => (Math.abs(xv - xFloat[v]!) <= tolerance ? q[v] : undefined));
  const made = exactlyFeasiblePoint(highs, float, qm, nearest, {
    lpTolerance: config.lpTolerance,
    grid: gridOf(config.gridBits),
    keep,
  });
  if (made === null) {
    throw new Error(
      'optimum: repair found no exactly feasible contract (the eps = 1 fallback should always close)',
    );
  }
  const exact = toExactContract(K, made);
  const changedAllocation = made.q.some((qv, v) => qv.cmp(q[v]!) !== 0);
  return { contract: exact, cloudUtility: cloudUtility(float, toFloatContract(exact)), changedAllocation };
}

function pushClosure(out: Rat[][], market: RatMarket, x: readonly Rat[], start: readonly Rat[]): void {
  const closed = closeRewards(market, x, start, null);
  if (closed !== null && feasibleExact(market, x, closed)) out.push(closed);
}

/**
 * min W sum_v |x_v - target_v| + sum_v w_v R_v (w_v: the item's weight in U) subject to the
 * constraints of section 4 in (x, R) and 0 <= x <= a qMax^2, R >= 0. Always feasible (x = 0, R = 0 is).
 */
function nearestImplementable(
  highs: Highs,
  market: ReturnType<typeof toFloatMarket>,
  target: readonly number[],
  tolerance: number,
): { x: number[]; reward: number[] } {
  const items = itemInfos(market);
  const n = items.length;
  const xMax = market.a * market.qMax * market.qMax;
  // The objective is distance plus the rewards' cost to the cloud (each R at its weight in U).
  // Distance alone leaves the rewards free and often ties between allocations, so the LP's point
  // was an arbitrary one of them. One unit of distance is priced at ten times the most a unit of
  // energy can cost the cloud (weight / theta_1), so the repair still moves q as little as it can
  // and, among near allocations, takes one that is cheap to implement. (The exact rewards are
  // rebuilt in feasible-point.ts either way; there the cloud-best construction is kept.)
  const maxWeight = Math.max(...items.map((it) => it.weight));
  const distanceWeight = (10 * maxWeight) / market.theta[0]!;
  // Columns: x (0..n-1), R (n..2n-1), e = |x - target| (2n..3n-1). HiGHS maximises here.
  const lp: LinearProgram = {
    colCost: [
      ...new Array(n).fill(0),
      ...items.map((it) => -it.weight),
      ...new Array(n).fill(-distanceWeight),
    ],
    colLower: new Array(3 * n).fill(0),
    colUpper: [...new Array(n).fill(xMax), ...new Array(2 * n).fill(Number.POSITIVE_INFINITY)],
    rows: [],
  };
  for (const row of constraintRows(market)) {
    const indices: number[] = [];
    const values: number[] = [];
    for (const t of row.terms) {
      indices.push(t.item, n + t.item);
      values.push(t.coefX, t.coefR);
    }
    lp.rows.push({ lower: 0, upper: Number.POSITIVE_INFINITY, indices, values });
  }
  for (let v = 0; v < n; v++) {
    const goal = Math.min(xMax, target[v]!);
    // e_v - x_v >= -goal and e_v + x_v >= goal
    lp.rows.push({ lower: -goal, upper: Number.POSITIVE_INFINITY, indices: [2 * n + v, v], values: [1, -1] });
    lp.rows.push({ lower: goal, upper: Number.POSITIVE_INFINITY, indices: [2 * n + v, v], values: [1, 1] });
  }
  const model = createModel(highs, lp, tolerance);
  try {
    if (runModel(highs, model) !== 'optimal') {
      throw new Error(`optimum: nearest-allocation LP ended with HiGHS status ${model.getModelStatus()}`);
    }
    const col = model.getSolution().colValue;
    return {
      x: Array.from({ length: n }, (_, v) => Math.min(xMax, Math.max(0, col[v]!))),
      reward: Array.from({ length: n }, (_, v) => Math.max(0, col[n + v]!)),
    };
  } finally {
    model.dispose();
  }
}
