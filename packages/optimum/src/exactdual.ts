import { linearEquation, solveExact } from './linsolve.js';
import { RAT_ZERO, type Rat } from './rational.js';

/** One inequality sum coef[v] u[v] >= rhs of an LP in inequality form. */
export interface ExactRow {
  coef: Map<number, Rat>;
  rhs: Rat;
}

/**
 * min cost . u subject to G u >= h (rows), in exact arithmetic, by the dual simplex method in
 * active-set form, started from the active set of a float solver's basis.
 *
 * A vertex is n linearly independent active rows S: G_S u = h_S. When u violates some row r, r
 * enters; writing g_r = G_S^T lambda, the leaving row k minimises y_k / lambda_k over lambda_k > 0,
 * where G_S^T y = cost are the vertex's multipliers (y >= 0 is dual feasibility, which the float
 * basis gives up to rounding; a slightly negative y_k is treated as 0). No lambda_k > 0 proves
 * the system infeasible. Bland's rule (smallest index) on ties guards against cycling, and the
 * pivot budget bounds the work: this only repairs what rounding broke, typically zero to two
 * pivots. Returns u, or null (infeasible, singular start, or budget exhausted).
 */
export function exactDualSimplex(
  n: number,
  rows: readonly ExactRow[],
  cost: readonly Rat[],
  start: readonly number[],
  maxPivots = 4 * n,
): Rat[] | null {
  const active = [...start];
  if (active.length !== n) return null;
  for (let pivot = 0; pivot <= maxPivots; pivot++) {
    const u = solveExact(
      n,
      active.map((r) => linearEquation([...rows[r]!.coef], rows[r]!.rhs)),
    );
    if (u === null) return null;
    const inActive = new Set(active);
    let entering = -1;
    for (let r = 0; r < rows.length; r++) {
      if (inActive.has(r)) continue;
      if (value(rows[r]!, u).cmp(rows[r]!.rhs) < 0) {
        entering = r;
        break;
      }
    }
    if (entering < 0) return u;
    if (pivot === maxPivots) return null;
    const y = transposedSolve(n, rows, active, cost);
    const lambda = transposedSolve(
      n,
      rows,
      active,
      Array.from({ length: n }, (_, v) => rows[entering]!.coef.get(v) ?? RAT_ZERO),
    );
    if (y === null || lambda === null) return null;
    let leaving = -1;
    let best: Rat | undefined;
    for (let k = 0; k < n; k++) {
      if (lambda[k]!.sign() <= 0) continue;
      const yk = y[k]!.sign() < 0 ? RAT_ZERO : y[k]!;
      const ratio = yk.div(lambda[k]!);
      if (
        best === undefined ||
        ratio.cmp(best) < 0 ||
        (ratio.cmp(best) === 0 && active[k]! < active[leaving]!)
      ) {
        best = ratio;
        leaving = k;
      }
    }
    if (leaving < 0) return null;
    active[leaving] = entering;
  }
  return null;
}

function value(row: ExactRow, u: readonly Rat[]): Rat {
  let s: Rat | undefined;
  for (const [v, c] of row.coef) {
    const term = c.mul(u[v]!);
    s = s === undefined ? term : s.add(term);
  }
  return s ?? RAT_ZERO;
}

/** Solves G_S^T z = target: one equation per variable v, unknown z_k per active row k. */
function transposedSolve(
  n: number,
  rows: readonly ExactRow[],
  active: readonly number[],
  target: readonly Rat[],
) {
  const equations = Array.from({ length: n }, (_, v) =>
    linearEquation(
      active.flatMap((r, k) => {
        const c = rows[r]!.coef.get(v);
        return c === undefined ? [] : [[k, c] as [number, Rat]];
      }),
      target[v]!,
    ),
  );
  return solveExact(n, equations);
}
