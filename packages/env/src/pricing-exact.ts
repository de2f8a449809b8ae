/**
 * The exact half of the pricing layer (model.md section 6.1): the same LP (pricingData, now over
 * rationals) at the float simplex's final basis, re-solved in exact arithmetic and checked there.
 * The float solver finds which constraints bind; exact arithmetic decides: the basis's vertex must
 * be exactly feasible with no slack (the allocation is implementable and these are rewards that
 * implement it) and dual feasible (no cheaper rewards exist). Either check failing returns null,
 * and the caller falls back to a full exact solve (optimum's repair).
 */
import { pricingMarketOf } from './allocation.js';
import { constraintCount, itemCount } from './constraints.js';
import { DEFAULT_PENALTY } from './encoding.js';
import { exactFromNumber, toFloatMarket } from './exact.js';
import { exactField, rationalToNumber } from './field.js';
import { isFeasibleExact } from './model.js';
import { AllocationPricer, pricingData } from './pricing.js';
import type { ExactContract, ExactMarket, Market, Rational } from './types.js';

const F = exactField;

export interface ExactPricingResult {
  /** the allocation with its cheapest rewards, exactly feasible */
  contract: ExactContract;
  /** cost(R) per ES, exact */
  cost: Rational;
}

/** x solving A x = b exactly (A square, row-major), or null when A is singular. */
function solveExact(A: Rational[], b: Rational[], m: number): Rational[] | null {
  const a = A.slice();
  const rhs = b.slice();
  for (let col = 0; col < m; col++) {
    let pivot = -1;
    for (let r = col; r < m; r++) {
      if (!F.isZero(a[r * m + col]!)) {
        pivot = r;
        break;
      }
    }
    if (pivot < 0) return null;
    if (pivot !== col) {
      for (let j = 0; j < m; j++) {
        const t = a[col * m + j]!;
        a[col * m + j] = a[pivot * m + j]!;
        a[pivot * m + j] = t;
      }
      const t = rhs[col]!;
      rhs[col] = rhs[pivot]!;
      rhs[pivot] = t;
    }
    const p = a[col * m + col]!;
    for (let r = 0; r < m; r++) {
      if (r === col) continue;
      const f = a[r * m + col]!;
      if (F.isZero(f)) continue;
      const ratio = F.div(f, p);
      for (let j = col; j < m; j++) a[r * m + j] = F.sub(a[r * m + j]!, F.mul(ratio, a[col * m + j]!));
      rhs[r] = F.sub(rhs[r]!, F.mul(ratio, rhs[col]!));
    }
  }
  return rhs.map((v, r) => F.div(v, a[r * m + r]!));
}

/**
 * The cheapest rewards for the allocation q (flat item order) in exact rationals, or null when the
 * float basis does not verify them exactly (not implementable, or degenerate to the last bit).
 * `penalty` is lambda, the price of slack (default 5).
 */
export function priceAllocationExactly(
  market: ExactMarket,
  q: readonly Rational[],
  options: { penalty?: number; float?: Market<number> } = {},
): ExactPricingResult | null {
  const K = market.theta.length;
  const n = itemCount(K);
  const m = constraintCount(K);
  if (q.length !== n) throw new RangeError(`priceAllocationExactly: q must have ${n} entries (${q.length})`);
  const penalty = options.penalty ?? DEFAULT_PENALTY;
  const float = options.float ?? toFloatMarket(market);
  const pricer = new AllocationPricer(K, { penalty });
  pricer.setMarket(pricingMarketOf(float));
  const qFloat = q.map(rationalToNumber);
  if (pricer.solve(qFloat.map((v) => float.a * v * v)).slack > 0) return null;
  const basis = pricer.lastBasis();

  const data = pricingData(F, K, {
    theta: market.theta,
    prior: market.prior,
    transition: market.transition.flat(),
    delta: market.delta,
  });
  const x = q.map((v) => F.mul(market.a, F.mul(v, v)));
  const h = Array.from({ length: m }, (_, k) => {
    let sum = F.zero;
    for (let v = 0; v < n; v++) sum = F.add(sum, F.mul(data.h[k * n + v]!, x[v]!));
    return sum;
  });
  // Column of basic variable b in row k: G[k][b] for a reward, +1 / -1 on its own row for s / e.
  const entry = (k: number, b: number): Rational =>
    b < n
      ? data.g[k * n + b]!
      : (b < n + m ? b - n : b - n - m) === k
        ? b < n + m
          ? F.one
          : F.neg(F.one)
        : F.zero;
  const B = new Array<Rational>(m * m);
  for (let k = 0; k < m; k++) for (let r = 0; r < m; r++) B[k * m + r] = entry(k, basis[r]!);
  const z = solveExact(B, h, m);
  if (z === null) return null;
  const reward = new Array<Rational>(n).fill(F.zero);
  for (let r = 0; r < m; r++) {
    const b = basis[r]!;
    if (F.lt(z[r]!, F.zero)) return null; // the basis is not exactly primal feasible
    if (b < n) reward[b] = z[r]!;
    else if (b < n + m && !F.isZero(z[r]!)) return null; // slack: not implementable at this basis
  }

  // Dual feasibility: B^T y = c_B, then every reduced cost >= 0 (cheapest among all rewards).
  const Bt = new Array<Rational>(m * m);
  for (let r = 0; r < m; r++) for (let k = 0; k < m; k++) Bt[r * m + k] = B[k * m + r]!;
  const lambda = exactFromNumber(penalty);
  const cB = Array.from(basis, (b) => (b < n ? data.cost[b]! : b < n + m ? lambda : F.zero));
  const y = solveExact(Bt, cB, m);
  if (y === null) return null;
  const basic = new Set(basis);
  for (let v = 0; v < n; v++) {
    if (basic.has(v)) continue;
    let reduced = data.cost[v]!;
    for (let k = 0; k < m; k++) reduced = F.sub(reduced, F.mul(y[k]!, data.g[k * n + v]!));
    if (F.lt(reduced, F.zero)) return null;
  }
  for (let k = 0; k < m; k++) {
    if (!basic.has(n + k) && F.lt(F.sub(lambda, y[k]!), F.zero)) return null;
    if (!basic.has(n + m + k) && F.lt(y[k]!, F.zero)) return null;
  }

  const item = (v: number) => ({ q: q[v]!, reward: reward[v]! });
  const contract: ExactContract = {
    period1: Array.from({ length: K }, (_, i) => item(i)),
    period2: Array.from({ length: K }, (_, i) => Array.from({ length: K }, (_, j) => item(K + i * K + j))),
  };
  if (!isFeasibleExact(market, contract)) return null;
  let cost = F.zero;
  for (let v = 0; v < n; v++) cost = F.add(cost, F.mul(data.cost[v]!, reward[v]!));
  return { contract, cost };
}
