import type { Market } from '@diffcontract/env';
import type { Highs } from 'highs';
import { feasibleExact } from './closure.js';
import { type ExactRow, exactDualSimplex } from './exactdual.js';
import { createModel, type LinearProgram, runModel } from './highs.js';
import { itemInfos, itemType } from './items.js';
import { RAT_ONE, RAT_ZERO, type Rat, type RatMarket } from './rational.js';
import { floatRentRows, rentRows } from './rents.js';

/** Solution of the reward LP for a fixed allocation: cloud-best rents and the basis that gave them. */
export interface RewardLpSolution {
  /** rent U_v = R_v - x_v / theta of every item, as HiGHS returned it */
  rent: number[];
  /** rewards R_v = U_v + x_v / theta */
  reward: number[];
  /** rows of rentRows at their bound in the final basis */
  activeRows: number[];
  /** items whose rent is at its bound 0 in the final basis */
  activeItems: number[];
}

/**
 * min sum_v w_v U_v (the cloud's reward bill minus a constant given x) over the rent constraints of
 * rents.ts, in floats. Returns null when HiGHS finds the allocation not implementable.
 */
export function solveRewardLp(
  highs: Highs,
  market: Market<number>,
  x: readonly number[],
  tolerance: number,
): RewardLpSolution | null {
  const items = itemInfos(market);
  const rows = floatRentRows(market);
  const lp: LinearProgram = {
    colCost: items.map((it) => -it.weight),
    colLower: items.map(() => 0),
    colUpper: items.map(() => Number.POSITIVE_INFINITY),
    rows: rows.map((row) => ({
      lower: row.rhsCoef * x[row.rhsItem]!,
      upper: Number.POSITIVE_INFINITY,
      indices: row.terms.map((t) => t.item),
      values: row.terms.map((t) => t.coef),
    })),
  };
  const model = createModel(highs, lp, tolerance);
  try {
    const outcome = runModel(highs, model);
    if (outcome === 'infeasible') return null;
    if (outcome !== 'optimal') {
      throw new Error(`optimum: reward LP ended with HiGHS status ${model.getModelStatus()}`);
    }
    const rent = Array.from(model.getSolution().colValue, (u) => Math.max(0, u));
    const basis = model.getBasis();
    const basic = highs.constants.basisStatus.basic;
    const activeRows: number[] = [];
    basis.rowStatus.forEach((s, r) => {
      if (s !== basic) activeRows.push(r);
    });
    const activeItems: number[] = [];
    basis.colStatus.forEach((s, v) => {
      if (s !== basic) activeItems.push(v);
    });
    const reward = rent.map((u, v) => u + x[v]! / market.theta[itemType(market.theta.length, v)]!);
    return { rent, reward, activeRows, activeItems };
  } finally {
    model.dispose();
  }
}

/**
 * The exactly optimal rents for an exact allocation, from the float LP's basis: the basis's vertex
 * re-solved in exact arithmetic, followed by exact dual-simplex pivots while it violates a row
 * (exactdual.ts). Float data differ from exact data in the last bits (a transition row of binary64
 * numbers need not sum to exactly 1), so the float basis can be exactly infeasible on a degenerate
 * row; a pivot or two fixes that. Returns exactly feasible rewards, or null (not implementable, or
 * the pivot budget ran out).
 */
export function exactVertex(market: RatMarket, x: readonly Rat[], solution: RewardLpSolution): Rat[] | null {
  const rows = rentRows(market);
  const n = x.length;
  // G U >= h: the rent rows, then U_v >= 0 as rows m + v.
  const constraints: ExactRow[] = rows.map((row) => ({
    coef: new Map(row.terms.map((t) => [t.item, t.coef] as [number, Rat])),
    rhs: row.rhsCoef.mul(x[row.rhsItem]!),
  }));
  for (let v = 0; v < n; v++) constraints.push({ coef: new Map([[v, RAT_ONE]]), rhs: RAT_ZERO });
  const cost = Array.from({ length: n }, (_, v) => {
    const K = market.K;
    if (v < K) return market.prior[v]!;
    const i = Math.floor((v - K) / K);
    return market.prior[i]!.mul(market.delta).mul(market.transition[i]![(v - K) % K]!);
  });
  const active = [...solution.activeRows, ...solution.activeItems.map((v) => rows.length + v)];
  const rent = exactDualSimplex(n, constraints, cost, active);
  if (rent === null) return null;
  const reward = rent.map((u, v) => u.add(market.cost[itemType(market.K, v)]!.mul(x[v]!)));
  return feasibleExact(market, x, reward) ? reward : null;
}
