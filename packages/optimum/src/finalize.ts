import { binary64Parts, type ContractItem, type ExactContract, type Rational } from '@diffcontract/env';
import { closeRewards, exactAllocation, feasibleExact } from './closure.js';
import { unflattenContract } from './items.js';
import { Rat, type RatMarket, ratToNumber, roundToGrid } from './rational.js';

/** Relative distance under which two contributions are treated as one pooled value. */
export const POOL_TOLERANCE = 1e-9;

/** The exact value of a finite binary64 as a Rat (env's exactFromNumber without the normalising gcd). */
export function qFromNumber(x: number): Rat {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number (${x})`);
  if (Number.isSafeInteger(x)) return Rat.int(BigInt(x));
  const { mantissa, exponent } = binary64Parts(x);
  return exponent >= 0 ? Rat.int(mantissa << BigInt(exponent)) : new Rat(mantissa, 1n << BigInt(-exponent));
}

/**
 * Exact q for float contributions: values within POOL_TOLERANCE of each other (pooled types, which
 * the LP reproduces only up to its tolerance) get one common value when `snap`, values at the cap
 * get qMax exactly, and the rest are rounded to the dyadic grid (null: their exact binary64 value).
 * Entries of `keep` that are defined are exact values that stay as they are; a float pooled with
 * one of them takes that value.
 */
export function exactContributions(
  q: readonly number[],
  qMax: Rat,
  grid: bigint | null,
  snap: boolean,
  keep: readonly (Rat | undefined)[] = [],
): Rat[] {
  const qMaxFloat = ratToNumber(qMax);
  const order = q.map((_, v) => v).sort((u, v) => q[u]! - q[v]!);
  const out: Rat[] = new Array(q.length);
  const toExact = (value: number): Rat => {
    if (value >= qMaxFloat * (1 - POOL_TOLERANCE)) return qMax;
    const exact = qFromNumber(Math.max(0, value));
    const rounded = grid === null ? exact : roundToGrid(exact, grid);
    return rounded.cmp(qMax) > 0 ? qMax : rounded;
  };
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    if (snap) {
      while (end < order.length) {
        const prev = q[order[end - 1]!]!;
        const next = q[order[end]!]!;
        if (next - prev > POOL_TOLERANCE * Math.max(1, Math.abs(next))) break;
        end++;
      }
    }
    const cluster = order.slice(start, end);
    const anchor = cluster.map((v) => keep[v]).find((k) => k !== undefined);
    let mean = 0;
    for (const v of cluster) mean += q[v]!;
    const common = anchor ?? toExact(mean / cluster.length);
    for (const v of cluster) out[v] = keep[v] ?? common;
    start = end;
  }
  return out;
}

/** An exactly feasible flat contract in Rat. */
export interface ExactPoint {
  q: Rat[];
  reward: Rat[];
  /** whether q and rewards were built on the dyadic grid */
  onGrid: boolean;
}

/**
 * Exactly feasible rewards for exact contributions q by closure from `start`: on the grid first
 * (unless `grid` is null), then exactly when `fallBackToExact`. Null when no closure succeeds.
 */
export function closedPoint(
  market: RatMarket,
  q: readonly Rat[],
  start: readonly Rat[],
  grid: bigint | null,
  fallBackToExact = true,
): ExactPoint | null {
  const x = exactAllocation(market, q);
  const grids = grid === null || !fallBackToExact ? [grid] : [grid, null];
  for (const g of grids) {
    const reward = closeRewards(market, x, start, g);
    // Feasible by construction; the check guards the construction itself.
    if (reward !== null && feasibleExact(market, x, reward)) return { q: [...q], reward, onGrid: g !== null };
  }
  return null;
}

/** The flat exact point as an env ExactContract (fraction.js values, normalised). */
export function toExactContract(
  K: number,
  point: { q: readonly Rat[]; reward: readonly Rat[] },
): ExactContract {
  const items: ContractItem<Rational>[] = point.q.map((q, v) => ({
    q: q.toFraction(),
    reward: point.reward[v]!.toFraction(),
  }));
  return unflattenContract(K, items);
}

export function gridOf(bits: number): bigint {
  return 1n << BigInt(bits);
}
