/**
 * The pricing layer of model.md section 6.1: for a market and an allocation x = a q^2, the elastic
 * LP
 *     L(x) = min over R >= 0, s >= 0 of  cost(R) + lambda sum(s)
 *            subject to  G R + s >= h(x)   (IR1, IR2, IC2, IIC with sigma = id; one row each)
 * with cost(R) = sum_i pi_i (R1[i] + delta sum_j P[i][j] R2[i][j]) and h linear in x. Its value,
 * optimal rewards and duals y give the reward r = (sum_v w_v v(q_v) - L(x)) / scale and its exact
 * gradient dL/dx = dh/dx^T y (x enters only the right-hand side, so L is convex in x).
 *
 * A dense primal simplex rather than a general LP solver: the LP is tiny (K = 3: 12 rewards, 36
 * rows) and the elastic form always has the starting basis R = 0, s = max(h, 0), so there is no
 * phase 1; a generic wasm solver spends ~2 ms per solve on setup alone, this one ~0.1 ms.
 * Degenerate pivots (equal allocations make many h_k = 0) switch to Bland's rule, which cannot cycle.
 */

import { constraintCount, constraintIndices, itemCount, period2Item } from './constraints.js';
import { DEFAULT_PENALTY } from './encoding.js';
import { type Field, floatField } from './field.js';

/** One market's data, as the pricing layer reads it (all floats). */
export interface PricingMarket {
  theta: ArrayLike<number>;
  prior: ArrayLike<number>;
  /** row-major K x K */
  transition: ArrayLike<number>;
  delta: number;
}

export interface PricingResult {
  /** L(x): cost of the cheapest rewards plus lambda times the total slack */
  value: number;
  /** cost(R) of the optimal rewards */
  cost: number;
  /** sum of the slacks: viol(C) of the priced contract; 0 when the allocation is implementable */
  slack: number;
  /** the optimal rewards, flat item order (view into the pricer, overwritten by the next solve) */
  reward: Float64Array;
  /** dL/dx per item, flat order (view, overwritten by the next solve) */
  gradient: Float64Array;
  /** simplex pivots taken */
  pivots: number;
}

/** The LP's data in one number system: G and H row-major (rows x items), cost per item. */
export interface PricingData<N> {
  g: N[];
  h: N[];
  cost: N[];
}

/**
 * The LP's coefficients for a market, in any field: one definition for the float solver and the
 * exact re-solve. Row k reads  sum_v G[k][v] R_v >= sum_v H[k][v] x_v , the stage utility of type
 * t for item v being R_v - x_v / theta_t (model.md section 4). Every (row, item) pair is written
 * once, so the float values are the plain expressions below, bit for bit.
 */
export function pricingData<N>(
  field: Field<N>,
  K: number,
  market: { theta: ArrayLike<N>; prior: ArrayLike<N>; transition: ArrayLike<N>; delta: N },
): PricingData<N> {
  const n = itemCount(K);
  const m = constraintCount(K);
  const { theta, prior, transition, delta } = market;
  const g: N[] = new Array(m * n).fill(field.zero);
  const h: N[] = new Array(m * n).fill(field.zero);
  const item2 = (i: number, j: number) => period2Item(K, i, j);
  const put = (row: number, v: number, coefR: N, coefX: N) => {
    g[row * n + v] = field.add(g[row * n + v]!, coefR);
    h[row * n + v] = field.sub(h[row * n + v]!, coefX);
  };
  const one = field.one;
  const minusOne = field.neg(one);
  const inv = (t: N) => field.div(one, t);
  const minusInv = (t: N) => field.div(minusOne, t);
  constraintIndices(K).forEach((c, k) => {
    switch (c.family) {
      case 'IR1':
        put(k, c.i, one, minusInv(theta[c.i]!));
        break;
      case 'IR2':
        put(k, item2(c.i, c.j), one, minusInv(theta[c.j]!));
        break;
      case 'IC2':
        put(k, item2(c.i, c.j), one, minusInv(theta[c.j]!));
        put(k, item2(c.i, c.jPrime), minusOne, inv(theta[c.j]!));
        break;
      case 'IIC':
        put(k, c.i, one, minusInv(theta[c.i]!));
        put(k, c.iPrime, minusOne, inv(theta[c.i]!));
        for (let j = 0; j < K; j++) {
          const p = field.mul(delta, transition[c.i * K + j]!);
          put(k, item2(c.i, j), p, field.div(field.neg(p), theta[j]!));
          put(k, item2(c.iPrime, j), field.neg(p), field.div(p, theta[j]!));
        }
        break;
    }
  });
  const cost: N[] = new Array(n).fill(field.zero);
  for (let i = 0; i < K; i++) {
    cost[i] = prior[i]!;
    for (let j = 0; j < K; j++)
      cost[item2(i, j)] = field.mul(field.mul(prior[i]!, delta), transition[i * K + j]!);
  }
  return { g, h, cost };
}

const PIVOT_EPS = 1e-11;
const COST_EPS = 1e-12;
/** consecutive degenerate pivots after which the entering rule becomes Bland's */
const DEGENERATE_LIMIT = 12;

/**
 * Solves the elastic pricing LP for one K. Reuses its buffers across calls (not re-entrant); one
 * pricer per thread of work.
 */
export class AllocationPricer {
  readonly K: number;
  readonly items: number;
  readonly rows: number;
  readonly penalty: number;
  /** G (rows x items): coefficient of R_v in row k */
  private readonly g: Float64Array;
  /** H (rows x items): h_k(x) = sum_v H[k][v] x_v */
  private readonly h: Float64Array;
  private readonly cost: Float64Array;
  private readonly width: number;
  private readonly tableau: Float64Array;
  private readonly reduced: Float64Array;
  private readonly basis: Int32Array;
  private readonly reward: Float64Array;
  private readonly gradient: Float64Array;
  private readonly duals: Float64Array;

  constructor(K: number, options: { penalty?: number } = {}) {
    if (!Number.isSafeInteger(K) || K < 1) throw new RangeError(`AllocationPricer: K must be >= 1 (${K})`);
    const penalty = options.penalty ?? DEFAULT_PENALTY;
    if (!(Number.isFinite(penalty) && penalty > 0)) {
      throw new RangeError(`AllocationPricer: penalty must be a finite number > 0 (${penalty})`);
    }
    this.K = K;
    this.penalty = penalty;
    this.items = itemCount(K);
    this.rows = constraintCount(K);
    const n = this.items;
    const m = this.rows;
    this.g = new Float64Array(m * n);
    this.h = new Float64Array(m * n);
    this.cost = new Float64Array(n);
    // Columns: R (n), s (m), then the right-hand side (surpluses e are implicit, see solve).
    this.width = n + m + 1;
    this.tableau = new Float64Array(m * this.width);
    this.reduced = new Float64Array(this.width);
    this.basis = new Int32Array(m);
    this.reward = new Float64Array(n);
    this.gradient = new Float64Array(n);
    this.duals = new Float64Array(m);
  }

  /** Loads a market's coefficients (pricingData with float arithmetic). */
  setMarket(market: PricingMarket): void {
    const data = pricingData(floatField, this.K, market);
    this.g.set(data.g);
    this.h.set(data.h);
    this.cost.set(data.cost);
  }

  /** Item weights in cost(R) (pi_i, pi_i delta P[i][j]): also the weights of v(q) in U/N. */
  weights(): Float64Array {
    return this.cost;
  }

  /**
   * Solves the LP at x (flat item order) for the market of the last setMarket.
   *
   * Tableau columns are R (n) and s (m) only: the surplus e_k of row k (G R + s - e = h) has the
   * column -s_k in every basis, so it is read from s_k's column with the sign flipped, and its
   * reduced cost is lambda - d(s_k). That keeps the tableau at 36 x 49 for K = 3 instead of 36 x 85.
   */
  solve(x: ArrayLike<number>): PricingResult {
    const { items: n, rows: m, width: w, g, h, cost, tableau: t, reduced: d, basis, penalty } = this;
    const col = w - 1;
    const eBase = n + m;
    // Starting basis: s_k where h_k >= 0, else e_k (row negated so the basic column is +1).
    for (let k = 0; k < m; k++) {
      let hk = 0;
      for (let v = 0; v < n; v++) hk += h[k * n + v]! * x[v]!;
      const sign = hk >= 0 ? 1 : -1;
      const row = k * w;
      t.fill(0, row, row + w);
      for (let v = 0; v < n; v++) t[row + v] = sign * g[k * n + v]!;
      t[row + n + k] = sign;
      t[row + col] = sign * hk;
      basis[k] = hk >= 0 ? n + k : eBase + k;
    }
    // Reduced costs d_j = c_j - c_B^T T_j over the R and s columns (and -objective at col).
    for (let j = 0; j < col; j++) d[j] = j < n ? cost[j]! : penalty;
    d[col] = 0;
    for (let k = 0; k < m; k++) {
      if (basis[k]! >= eBase) continue; // c(e) = 0
      const row = k * w;
      for (let j = 0; j <= col; j++) d[j] -= penalty * t[row + j]!;
    }

    let pivots = 0;
    let degenerate = 0;
    const limit = 50 * (n + m);
    for (;;) {
      const bland = degenerate >= DEGENERATE_LIMIT;
      // Entering variable: R_v, s_k (reduced cost d) or e_k (reduced cost lambda - d(s_k)).
      let enter = -1;
      let best = -COST_EPS;
      for (let j = 0; j < col && !(bland && enter >= 0); j++) {
        if (d[j]! < best) {
          enter = j;
          if (!bland) best = d[j]!;
        }
      }
      if (!(bland && enter >= 0)) {
        for (let k = 0; k < m; k++) {
          const de = penalty - d[n + k]!;
          if (de < best) {
            enter = eBase + k;
            if (bland) break;
            best = de;
          }
        }
      }
      if (enter < 0) break;
      const column = enter < eBase ? enter : enter - m;
      const sign = enter < eBase ? 1 : -1;
      let leave = -1;
      let ratio = Number.POSITIVE_INFINITY;
      for (let k = 0; k < m; k++) {
        const a = sign * t[k * w + column]!;
        if (a <= PIVOT_EPS) continue;
        const r = t[k * w + col]! / a;
        if (r < ratio || (r === ratio && basis[k]! < basis[leave]!)) {
          ratio = r;
          leave = k;
        }
      }
      // Unbounded cannot happen (the objective is >= 0 on the feasible set); numerically, stop.
      if (leave < 0) break;
      degenerate = ratio <= 0 ? degenerate + 1 : 0;
      this.pivot(leave, column, sign, enter < eBase ? d[column]! : penalty - d[column]!);
      basis[leave] = enter;
      if (++pivots > limit) throw new Error(`AllocationPricer: no optimum after ${limit} pivots`);
    }

    // Read off the primal (R, slack) and the duals y_k = d(e_k) = lambda - d(s_k), in [0, lambda].
    const reward = this.reward;
    reward.fill(0);
    let slack = 0;
    for (let k = 0; k < m; k++) {
      const b = basis[k]!;
      const value = Math.max(0, t[k * w + col]!);
      if (b < n) reward[b] = value;
      else if (b < eBase) slack += value;
    }
    let costR = 0;
    for (let v = 0; v < n; v++) costR += cost[v]! * reward[v]!;
    const gradient = this.gradient;
    gradient.fill(0);
    for (let k = 0; k < m; k++) {
      const y = Math.min(penalty, Math.max(0, penalty - d[n + k]!));
      this.duals[k] = y;
      if (y === 0) continue;
      for (let v = 0; v < n; v++) gradient[v] += y * h[k * n + v]!;
    }
    return { value: costR + penalty * slack, cost: costR, slack, reward, gradient, pivots };
  }

  /**
   * The final basis of the last solve, one variable per row: an item v < n is R_v, n + k the slack
   * s_k of row k, n + m + k its surplus e_k (copy).
   */
  lastBasis(): Int32Array {
    return this.basis.slice();
  }

  /** The duals of the last solve (one per row, view). */
  lastDuals(): Float64Array {
    return this.duals;
  }

  /**
   * Pivot on row r for the entering column `sign * T[:, c]` (sign -1: a surplus e_k, read from
   * s_k's column) whose reduced cost is `dEnter`.
   */
  private pivot(r: number, c: number, sign: number, dEnter: number): void {
    const { tableau: t, reduced: d, width: w, rows: m } = this;
    const row = r * w;
    const p = sign * t[row + c]!;
    for (let j = 0; j < w; j++) t[row + j] /= p;
    for (let k = 0; k < m; k++) {
      if (k === r) continue;
      const f = sign * t[k * w + c]!;
      if (f === 0) continue;
      const other = k * w;
      for (let j = 0; j < w; j++) t[other + j] -= f * t[row + j]!;
    }
    if (dEnter !== 0) for (let j = 0; j < w; j++) d[j] -= dEnter * t[row + j]!;
  }
}
