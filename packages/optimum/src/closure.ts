import { period2Item } from './items.js';
import { ceilToGrid, RAT_ZERO, Rat, type RatMarket } from './rational.js';

/**
 * Exact reward construction for a fixed allocation (model.md section 4, sigma = identity).
 *
 * With the contributions q fixed, x = a q^2 is an exact rational and every constraint is linear in
 * the rewards. Period-2 constraints of one history i (IR2, IC2) are difference constraints
 * R2[i][j] >= R2[i][j'] + (x[i][j] - x[i][j']) / theta_j with lower bounds x[i][j] / theta_j; once
 * the period-2 rewards are fixed, IIC and IR1 are difference constraints on the period-1 rewards:
 * R1[i] >= R1[i'] + (x1[i] - x1[i']) / theta_i + cont[i][i'] - cont[i][i], where
 * cont[i][i'] = delta sum_j P[i][j] (R2[i'][j] - x2[i'][j] / theta_j). Each family is closed by a
 * Bellman-Ford longest-path pass in exact arithmetic that only ever raises rewards, so the result is
 * the least feasible point above the starting rewards; a positive cycle (the allocation, or the
 * period-2 rents chosen for it, cannot be implemented) makes the closure return null.
 */

/** Exact x = a q^2 for each item. */
export function exactAllocation(market: RatMarket, q: readonly Rat[]): Rat[] {
  return q.map((v) => market.a.mul(v).mul(v));
}

/**
 * The least rewards >= `start` (item order of items.ts) that make allocation x exactly feasible,
 * or null when the closure finds a positive cycle. With a grid, every raise is rounded up to a
 * multiple of 1/grid, which keeps feasibility (the constraints only need "at least") but can turn
 * a zero-weight cycle into a positive one, so callers fall back to grid = null.
 */
export function closeRewards(
  market: RatMarket,
  x: readonly Rat[],
  start: readonly Rat[],
  grid: bigint | null,
): Rat[] | null {
  const { K, cost } = market;
  const up = (r: Rat) => (grid === null ? r : ceilToGrid(r, grid));
  const rewards = start.map((r) => (r.sign() < 0 ? RAT_ZERO : up(r)));
  const raise = (v: number, floor: Rat) => {
    if (rewards[v]!.cmp(floor) < 0) rewards[v] = up(floor);
  };

  for (let i = 0; i < K; i++) {
    const v = (j: number) => period2Item(K, i, j);
    for (let j = 0; j < K; j++) raise(v(j), cost[j]!.mul(x[v(j)]!));
    // weights[j][j'] = (x[i][j] - x[i][j']) / theta_j: type j's extra cost of item j over item j'
    const weights = Array.from({ length: K }, (_, j) =>
      Array.from({ length: K }, (_, jp) => cost[j]!.mul(x[v(j)]!.sub(x[v(jp)]!))),
    );
    const ok = relax(
      K,
      (j) => rewards[v(j)]!,
      (j, r) => (rewards[v(j)] = up(r)),
      weights,
    );
    if (!ok) return null;
  }

  const rents = Array.from({ length: K }, (_, i) =>
    Array.from({ length: K }, (_, j) => {
      const v = period2Item(K, i, j);
      return rewards[v]!.sub(cost[j]!.mul(x[v]!));
    }),
  );
  const cont = (i: number, ip: number) => {
    let sum = RAT_ZERO;
    for (let j = 0; j < K; j++) {
      const p = market.transition[i]![j]!;
      if (!p.isZero()) sum = sum.add(p.mul(rents[ip]![j]!));
    }
    return market.delta.mul(sum);
  };
  const weights = Array.from({ length: K }, (_, i) => {
    const own = cont(i, i);
    return Array.from({ length: K }, (_, ip) =>
      ip === i ? RAT_ZERO : cost[i]!.mul(x[i]!.sub(x[ip]!)).add(cont(i, ip)).sub(own),
    );
  });
  for (let i = 0; i < K; i++) raise(i, cost[i]!.mul(x[i]!));
  const ok = relax(
    K,
    (i) => rewards[i]!,
    (i, r) => (rewards[i] = up(r)),
    weights,
  );
  return ok ? rewards : null;
}

/** Bellman-Ford raising of value[n] >= value[m] + weights[n][m]; false on a positive cycle. */
function relax(
  K: number,
  get: (n: number) => Rat,
  set: (n: number, r: Rat) => void,
  weights: Rat[][],
): boolean {
  // Longest paths have at most K edges, so K + 1 passes without a positive cycle end quiet.
  for (let pass = 0; pass <= K + 1; pass++) {
    let changed = false;
    for (let n = 0; n < K; n++) {
      for (let m = 0; m < K; m++) {
        if (m === n) continue;
        const need = get(m).add(weights[n]![m]!);
        if (need.cmp(get(n)) > 0) {
          set(n, need);
          changed = true;
        }
      }
    }
    if (!changed) return true;
  }
  return false;
}

/**
 * Exact feasibility of a flat (x, reward) contract under model.md section 4 (IIC with sigma = id,
 * valid together with IC2). The package's own fast check; tests confirm its verdicts with env's
 * independent isFeasibleExact.
 */
export function feasibleExact(market: RatMarket, x: readonly Rat[], reward: readonly Rat[]): boolean {
  const { K, cost } = market;
  const u = (type: number, v: number) => reward[v]!.sub(cost[type]!.mul(x[v]!));
  const truthful2: Rat[][] = [];
  for (let i = 0; i < K; i++) {
    const row: Rat[] = [];
    for (let j = 0; j < K; j++) {
      const own = u(j, period2Item(K, i, j));
      if (own.sign() < 0) return false;
      for (let jp = 0; jp < K; jp++) {
        if (jp !== j && own.cmp(u(j, period2Item(K, i, jp))) < 0) return false;
      }
      row.push(own);
    }
    truthful2.push(row);
  }
  for (let i = 0; i < K; i++) {
    const cont = (ip: number) => {
      let sum = RAT_ZERO;
      for (let j = 0; j < K; j++) {
        const p = market.transition[i]![j]!;
        if (!p.isZero()) sum = sum.add(p.mul(truthful2[ip]![j]!));
      }
      return market.delta.mul(sum);
    };
    const lhs = u(i, i).add(cont(i));
    if (u(i, i).sign() < 0) return false;
    for (let ip = 0; ip < K; ip++) {
      if (ip !== i && lhs.cmp(u(i, ip).add(cont(ip))) < 0) return false;
    }
  }
  return true;
}

export { Rat };
