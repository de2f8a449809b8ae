import type { Market } from '@diffcontract/env';
import type { Highs, Model } from 'highs';
import { createModel, type LinearProgram, type LinearRow, runModel } from './highs.js';
import { type ConstraintRow, constraintRows, type ItemInfo, itemInfos, slopeOfX, valueOfX } from './items.js';

/**
 * Outer approximation of the convex program of model.md section 5 in (x, R), x = a q^2:
 * maximise sum_v w_v (g(x_v) - R_v) subject to the linear constraints of section 4, with each
 * concave g(x) = beta ln(1 + sqrt(x / a)) of a positive-weight item replaced by a variable t_v
 * bounded by tangent cuts t_v <= g(p) + g'(p) (x_v - p). Every step is an LP (HiGHS): its value is
 * an upper bound on U* per ES (tangents overestimate a concave function), and the true utility of its
 * point is a lower bound once the rewards are made exactly feasible (closure.ts). New cuts go where
 * the model overestimates g at the LP point, which shrinks the bracket around each x_v.
 */
export interface OuterState {
  /** x_v of every item (flat order of items.ts) */
  x: number[];
  /** R_v of every item */
  reward: number[];
  /** t_v of positive-weight items (NaN elsewhere): the LP's model of g(x_v) */
  t: number[];
  /** LP value: an upper bound on U* per ES up to LP tolerances */
  upper: number;
  /** sum_v w_v (g(x_v) - R_v) at the LP point: its per-ES utility */
  lower: number;
}

export class OuterApproximation {
  readonly items: ItemInfo[];
  readonly xMax: number;
  readonly rows: ConstraintRow[];
  private readonly model: Model;
  private readonly tCol: number[];
  private readonly n: number;
  iterations = 0;

  constructor(
    private readonly highs: Highs,
    private readonly market: Market<number>,
    tolerance: number,
  ) {
    this.items = itemInfos(market);
    const n = this.items.length;
    this.n = n;
    this.xMax = market.a * market.qMax * market.qMax;
    const lp: LinearProgram = { colCost: [], colLower: [], colUpper: [], rows: [] };
    for (let v = 0; v < n; v++) this.addCol(lp, 0, 0, this.xMax);
    for (const item of this.items) this.addCol(lp, -item.weight, 0, Number.POSITIVE_INFINITY);
    this.tCol = this.items.map((item) =>
      item.weight > 0 ? this.addCol(lp, item.weight, Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY) : -1,
    );
    this.rows = constraintRows(market);
    for (const row of this.rows) {
      const indices: number[] = [];
      const values: number[] = [];
      for (const term of row.terms) {
        indices.push(term.item, n + term.item);
        values.push(term.coefX, term.coefR);
      }
      lp.rows.push(mergeDuplicates({ lower: 0, upper: Number.POSITIVE_INFINITY, indices, values }));
    }
    // Tangents at q = qMax 4^-k bound every t_v from the start (the one at x = xMax caps it by
    // g(xMax)) and keep the first LPs near the steep part of g close to x = 0.
    for (let v = 0; v < n; v++) {
      if (this.tCol[v]! < 0) continue;
      for (let k = 0; k <= 8; k++) {
        const q = market.qMax / 4 ** k;
        lp.rows.push(this.cutRow(v, market.a * q * q));
      }
    }
    this.model = createModel(highs, lp, tolerance);
  }

  dispose(): void {
    this.model.dispose();
  }

  private addCol(lp: LinearProgram, cost: number, lower: number, upper: number): number {
    lp.colCost.push(cost);
    lp.colLower.push(lower);
    lp.colUpper.push(upper);
    return lp.colCost.length - 1;
  }

  /** t_v - g'(p) x_v <= g(p) - g'(p) p */
  private cutRow(v: number, p: number): LinearRow {
    const slope = slopeOfX(this.market, p);
    return {
      lower: Number.NEGATIVE_INFINITY,
      upper: valueOfX(this.market, p) - slope * p,
      indices: [this.tCol[v]!, v],
      values: [1, -slope],
    };
  }

  /** Solves the current LP. */
  solve(): OuterState {
    const outcome = runModel(this.highs, this.model);
    this.iterations++;
    if (outcome !== 'optimal') {
      throw new Error(
        `optimum: outer-approximation LP ended with HiGHS status ${this.model.getModelStatus()}`,
      );
    }
    const col = this.model.getSolution().colValue;
    const x = Array.from({ length: this.n }, (_, v) => Math.min(this.xMax, Math.max(0, col[v]!)));
    const reward = Array.from({ length: this.n }, (_, v) => Math.max(0, col[this.n + v]!));
    let lower = 0;
    for (let v = 0; v < this.n; v++) {
      const w = this.items[v]!.weight;
      if (w > 0) lower += w * (valueOfX(this.market, x[v]!) - reward[v]!);
    }
    const t = this.tCol.map((c) => (c < 0 ? Number.NaN : col[c]!));
    return { x, reward, t, upper: this.model.getObjectiveValue(), lower };
  }

  /** Adds tangent cuts at the given x_v of every positive-weight item (x_v > 0). */
  addCuts(x: readonly number[]): void {
    for (let v = 0; v < this.n; v++) {
      if (this.tCol[v]! < 0 || !(x[v]! > 0)) continue;
      const row = this.cutRow(v, x[v]!);
      this.model.addRow(-this.highs.infinity, row.upper, { indices: row.indices, values: row.values });
    }
  }

  /**
   * Adds a tangent cut for every item whose t_v overestimates g(x_v) by more than `threshold`;
   * returns how many. At x_v = 0 (g' infinite) the cut goes at the largest p = a (t/beta)^2 4^-k
   * whose tangent passes below t_v at x_v.
   */
  refine(state: OuterState, threshold: number): number {
    const rows: LinearRow[] = [];
    for (let v = 0; v < this.n; v++) {
      const tc = this.tCol[v]!;
      if (tc < 0) continue;
      const t = state.t[v]!;
      const x = state.x[v]!;
      if (t - valueOfX(this.market, x) <= threshold) continue;
      let p = x;
      if (!(p > 0)) {
        const { a, beta } = this.market;
        p = a * (t / beta) ** 2;
        while (p > 0 && valueOfX(this.market, p) - slopeOfX(this.market, p) * (p - x) >= t) p /= 4;
        if (!(p > 0)) continue;
      }
      rows.push(this.cutRow(v, p));
    }
    for (const row of rows) {
      this.model.addRow(
        row.lower === Number.NEGATIVE_INFINITY ? -this.highs.infinity : row.lower,
        row.upper,
        {
          indices: row.indices,
          values: row.values,
        },
      );
    }
    return rows.length;
  }
}

/** HiGHS rejects a row naming one column twice; sum such entries (defensive: rows here have none). */
function mergeDuplicates(row: LinearRow): LinearRow {
  const acc = new Map<number, number>();
  for (let k = 0; k < row.indices.length; k++) {
    const c = row.indices[k]!;
    acc.set(c, (acc.get(c) ?? 0) + row.values[k]!);
  }
  const indices: number[] = [];
  const values: number[] = [];
  for (const [c, value] of acc) {
    if (value === 0) continue;
    indices.push(c);
    values.push(value);
  }
  return { ...row, indices, values };
}
