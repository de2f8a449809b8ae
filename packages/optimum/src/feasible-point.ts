import { cloudUtility, type Market } from '@diffcontract/env';
import type { Highs } from 'highs';
import { exactAllocation } from './closure.js';
import { closedPoint, type ExactPoint, exactContributions, qFromNumber } from './finalize.js';
import { itemInfos, unflattenContract } from './items.js';
import { RAT_ZERO, type Rat, type RatMarket, ratToNumber } from './rational.js';
import { exactVertex, solveRewardLp } from './rewardlp.js';

/**
 * From a float allocation (an LP's point) to an exactly feasible contract next to it.
 *
 * An LP optimum often sits on the boundary of the implementable allocations (two-way binding
 * incentive constraints), which a float point satisfies only up to the LP tolerance and which
 * rational q cannot hit exactly unless the binding relation is a plain equality of contributions
 * (pooling, kept exact by snapping). So the point is moved towards a strictly implementable
 * allocation x°, x' = (1 - eps) x + eps x°, with eps growing from 0 until an exact construction
 * succeeds. x° is history-independent and strictly increasing in the type (q°_k = qMax (k + 1) /
 * (K + 1)): then every constraint can hold strictly, so for eps above the float error (~1e-12)
 * x' is implementable, and at eps = 1 the closure from zero rewards always succeeds (identical
 * period-2 menus reduce IIC to static IC on a strictly increasing allocation).
 *
 * Each step tries, in order: a closure on the grid from the point's rewards (short dyadic
 * numbers), the exact vertex of the reward LP's basis (exactly optimal rewards for the allocation;
 * handles two-way binding constraints, whose zero-weight cycles a rounded closure cannot keep),
 * and exact closures from the LP's and from the point's rewards.
 */
export const INTERIOR_STEPS = [0, 1e-12, 1e-11, 1e-10, 1e-8, 1e-6, 1e-4, 1e-2, 1] as const;

export interface FeasiblePointOptions {
  lpTolerance: number;
  /** grid for a first, rounded attempt (null: no rounded attempt) */
  grid: bigint | null;
  /** exact q to keep where defined (repair keeps the contract's own q where it does not move) */
  keep?: readonly (Rat | undefined)[];
}

export interface FeasiblePoint extends ExactPoint {
  /** the eps of INTERIOR_STEPS that succeeded */
  eps: number;
}

export function interiorAllocation(market: Market<number>): number[] {
  const { a, qMax } = market;
  return itemInfos(market).map((item) => {
    const q = (qMax * (item.type + 1)) / (market.theta.length + 1);
    return a * q * q;
  });
}

export function exactlyFeasiblePoint(
  highs: Highs,
  float: Market<number>,
  exact: RatMarket,
  point: { x: readonly number[]; reward: readonly number[] },
  options: FeasiblePointOptions,
): FeasiblePoint | null {
  const items = itemInfos(float);
  const interior = interiorAllocation(float);
  // Zero-weight items start from reward 0: the closure then gives them the least feasible reward,
  // which also keeps the rents that deter period-1 misreports as low as possible.
  const start: Rat[] = point.reward.map((r, v) =>
    items[v]!.weight > 0 ? qFromNumber(Math.max(0, r)) : RAT_ZERO,
  );
  // A construction is taken when it keeps the point's utility up to 1e-6 (relative); otherwise
  // the ladder goes on and the best construction seen is the fallback. Next to a degenerate
  // boundary (an allocation that only barely-implementable continuation rents support, as a
  // repair's nearest point can be) the exact point can be feasible yet need rents of thousands;
  // a slightly more interior point is implementable with the point's own modest rewards.
  const target = utilityPerES(
    float,
    point.x.map((xv) => Math.sqrt(Math.max(0, xv) / float.a)),
    point.reward.map((r) => Math.max(0, r)),
  );
  const enough = target - 1e-6 * Math.max(1, Math.abs(target));
  let best: FeasiblePoint | null = null;
  let bestUtility = Number.NEGATIVE_INFINITY;
  for (const eps of INTERIOR_STEPS) {
    const x = point.x.map((xv, v) => (1 - eps) * Math.max(0, xv) + eps * interior[v]!);
    const q = x.map((xv) => Math.sqrt(xv / float.a));
    let made: ExactPoint | null;
    if (eps === 1) {
      const qExact = exactContributions(q, exact.qMax, options.grid, false);
      made = closedPoint(
        exact,
        qExact,
        qExact.map(() => RAT_ZERO),
        null,
      );
    } else {
      const keep = eps === 0 ? options.keep : undefined;
      made =
        attempt(highs, float, exact, q, start, true, keep, options) ??
        attempt(highs, float, exact, q, start, false, keep, options);
    }
    if (made === null) continue;
    const utility = exactUtility(float, made);
    if (utility > bestUtility) {
      best = { ...made, eps };
      bestUtility = utility;
    }
    if (utility >= enough) break;
  }
  return best;
}

/** U / N (float) for contributions and rewards per item in the flat order of items.ts. */
function utilityPerES(float: Market<number>, q: readonly number[], reward: readonly number[]): number {
  const items = q.map((qv, v) => ({ q: qv, reward: reward[v]! }));
  return cloudUtility(float, unflattenContract(float.theta.length, items)) / float.esCount;
}

function exactUtility(float: Market<number>, p: ExactPoint): number {
  return utilityPerES(float, p.q.map(ratToNumber), p.reward.map(ratToNumber));
}

function attempt(
  highs: Highs,
  float: Market<number>,
  exact: RatMarket,
  q: number[],
  start: Rat[],
  snap: boolean,
  keep: readonly (Rat | undefined)[] | undefined,
  options: FeasiblePointOptions,
): ExactPoint | null {
  const qExact = exactContributions(q, exact.qMax, options.grid, snap, keep);
  // Every construction that succeeds is a candidate and the cloud-best one wins (the grid one on
  // near-ties, for its short numbers). Taking the first success was not enough: a closure can end
  // feasible but far up a near-zero-gain cycle of two-way binding constraints (rewards of
  // thousands where the LP's are near 1), which made repaired contracts worth -100s of U*.
  const candidates: ExactPoint[] = [];
  if (options.grid !== null) {
    const onGrid = closedPoint(exact, qExact, start, options.grid, false);
    if (onGrid !== null) candidates.push(onGrid);
  }
  const xExact = exactAllocation(exact, qExact);
  const lp = solveRewardLp(highs, float, xExact.map(ratToNumber), options.lpTolerance);
  if (lp !== null) {
    const vertex = exactVertex(exact, xExact, lp);
    if (vertex !== null) candidates.push({ q: qExact, reward: vertex, onGrid: false });
    else {
      const fromLp = closedPoint(exact, qExact, lp.reward.map(qFromNumber), null);
      if (fromLp !== null) candidates.push(fromLp);
    }
  }
  if (candidates.length === 0) {
    const fromStart = closedPoint(exact, qExact, start, null);
    if (fromStart !== null) candidates.push(fromStart);
  }
  return cloudBest(float, candidates);
}

/** The candidate with the highest cloud utility; an earlier one wins ties within 1e-9 relative. */
function cloudBest(float: Market<number>, candidates: ExactPoint[]): ExactPoint | null {
  const scores = candidates.map((p) => exactUtility(float, p));
  const top = Math.max(...scores);
  const index = scores.findIndex((u) => u >= top - 1e-9 * Math.max(1, Math.abs(top)));
  return index < 0 ? null : candidates[index]!;
}
