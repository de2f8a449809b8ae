import type { Market } from '@diffcontract/env';
import type { Highs } from 'highs';
import { feasibleExact } from './closure.js';
import { createModel, type LinearProgram, runModel } from './highs.js';
import { itemInfos, itemType } from './items.js';
import { linearEquation, solveExact } from './linsolve.js';
import { type Q, Q_ONE, Q_ZERO, type QMarket } from './rational.js';
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
 * Re-solves the vertex of a reward-LP basis exactly: the active rows as equalities and the active
 * rents as 0, with the exact allocation x on the right-hand side. Returns the rewards when that
 * vertex is exactly feasible (it is, unless a degenerate basic row is off by rounding in the float
 * data), else null.
 */
export function exactVertex(market: QMarket, x: readonly Q[], solution: RewardLpSolution): Q[] | null {
  const rows = rentRows(market);
  const equations = solution.activeRows.map((r) => {
    const row = rows[r]!;
    return linearEquation(
      row.terms.map((t) => [t.item, t.coef]),
      row.rhsCoef.mul(x[row.rhsItem]!),
    );
  });
  for (const v of solution.activeItems) equations.push(linearEquation([[v, Q_ONE]], Q_ZERO));
  const rent = solveExact(x.length, equations);
  if (rent === null) return null;
  const reward = rent.map((u, v) => u.add(market.cost[itemType(market.K, v)]!.mul(x[v]!)));
  return feasibleExact(market, x, reward) ? reward : null;
}
