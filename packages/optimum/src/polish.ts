import type { Market } from '@diffcontract/env';
import { type ConstraintRow, type ItemInfo, slopeOfX, valueOfX } from './items.js';

/**
 * Newton polish of an outer-approximation point. Tangent cuts locate each x_v only to about the
 * square root of the LP's tolerance, because the LP cannot see model errors below it. The LP does
 * identify which constraints bind, though, and on that face the problem is smooth: maximise
 * sum_v w_v (g(x_v) - R_v) subject to the binding rows as equalities. Newton steps on its KKT
 * system (with a ratio test that keeps every other constraint satisfied) converge quadratically to
 * the optimum of that face. The result is only a better starting point: feasibility is made exact
 * afterwards and the caller keeps whichever point makes the higher exact utility.
 */
export interface PolishInput {
  market: Market<number>;
  items: ItemInfo[];
  rows: ConstraintRow[];
  xMax: number;
  x: number[];
  reward: number[];
}

/** Second derivative of g(x) = beta ln(1 + sqrt(x / a)): -beta (1 + 2q) / (4 a^2 q^3 (1 + q)^2). */
function curvature(market: Market<number>, x: number): number {
  const q = Math.sqrt(x / market.a);
  return (-market.beta * (1 + 2 * q)) / (4 * market.a * market.a * q ** 3 * (1 + q) ** 2);
}

const ACTIVE = 1e-9;

export function polish(input: PolishInput, maxSteps = 8): { x: number[]; reward: number[] } | null {
  const { market, items, rows, xMax } = input;
  const n = items.length;
  const dim = 2 * n;
  const z = [...input.x, ...input.reward];
  const rowValue = (row: ConstraintRow, point: readonly number[]) => {
    let s = 0;
    for (const t of row.terms) s += t.coefX * point[t.item]! + t.coefR * point[n + t.item]!;
    return s;
  };
  const scale = Math.max(1, ...z.map(Math.abs));
  // The face: binding rows and variables at a bound (weighted x near 0 are frozen too: g'' blows up).
  const equalities: number[][] = [];
  const inactive: ConstraintRow[] = [];
  for (const row of rows) {
    if (rowValue(row, z) <= ACTIVE * scale) {
      const e = new Array<number>(dim).fill(0);
      for (const t of row.terms) {
        e[t.item] += t.coefX;
        e[n + t.item] += t.coefR;
      }
      equalities.push(e);
    } else inactive.push(row);
  }
  const frozen = new Array<boolean>(dim).fill(false);
  for (let v = 0; v < n; v++) {
    const x = z[v]!;
    if (x <= ACTIVE * xMax || x >= xMax * (1 - ACTIVE)) frozen[v] = true;
    if (z[n + v]! <= ACTIVE * scale) frozen[n + v] = true;
  }
  for (let k = 0; k < dim; k++) {
    if (!frozen[k]) continue;
    const e = new Array<number>(dim).fill(0);
    e[k] = 1;
    equalities.push(e);
  }
  const basis = independentRows(equalities);

  for (let step = 0; step < maxSteps; step++) {
    const gradient = new Array<number>(dim).fill(0);
    const hessian = new Array<number>(dim).fill(0);
    for (let v = 0; v < n; v++) {
      const w = items[v]!.weight;
      // Zero-weight contributions only matter through the constraints; a tiny curvature keeps the
      // KKT matrix regular when the face leaves one of them free.
      if (w <= 0) {
        hessian[v] = -1e-12;
        continue;
      }
      gradient[n + v] = -w;
      if (frozen[v]) continue;
      gradient[v] = w * slopeOfX(market, z[v]!);
      hessian[v] = w * curvature(market, z[v]!);
    }
    // [H E^T; E 0] [d; nu] = [-grad; 0]
    const m = basis.length;
    const size = dim + m;
    const A: number[][] = Array.from({ length: size }, () => new Array<number>(size + 1).fill(0));
    for (let k = 0; k < dim; k++) {
      A[k]![k] = hessian[k]!;
      A[k]![size] = -gradient[k]!;
    }
    for (let r = 0; r < m; r++) {
      for (let k = 0; k < dim; k++) {
        A[k]![dim + r] = basis[r]![k]!;
        A[dim + r]![k] = basis[r]![k]!;
      }
    }
    const solved = gaussSolve(A, size);
    if (solved === null) return step === 0 ? null : split(z, n);
    // Frozen coordinates move by rounding noise only; at a bound that noise would block the step.
    const d = solved.slice(0, dim).map((dk, k) => (frozen[k] ? 0 : dk));
    let alpha = 1;
    for (const row of inactive) {
      const now = rowValue(row, z);
      const rate = rowValue(row, d);
      if (rate < 0) alpha = Math.min(alpha, now / -rate);
    }
    for (let k = 0; k < dim; k++) {
      const upper = k < n ? xMax : Number.POSITIVE_INFINITY;
      if (d[k]! < 0) alpha = Math.min(alpha, z[k]! / -d[k]!);
      if (d[k]! > 0) alpha = Math.min(alpha, (upper - z[k]!) / d[k]!);
    }
    alpha = Math.max(0, alpha);
    for (let k = 0; k < dim; k++) z[k] = z[k]! + alpha * d[k]!;
    if (alpha < 1 || Math.max(...d.map(Math.abs)) <= 1e-15 * scale) break;
  }
  return split(z, n);
}

function split(z: number[], n: number) {
  return { x: z.slice(0, n), reward: z.slice(n) };
}

/** A maximal linearly independent subset (modified Gram-Schmidt with a relative threshold). */
function independentRows(rows: number[][]): number[][] {
  const ortho: number[][] = [];
  const kept: number[][] = [];
  for (const row of rows) {
    const r = [...row];
    const norm0 = Math.hypot(...r);
    if (norm0 === 0) continue;
    for (const o of ortho) {
      let dot = 0;
      for (let k = 0; k < r.length; k++) dot += r[k]! * o[k]!;
      for (let k = 0; k < r.length; k++) r[k] = r[k]! - dot * o[k]!;
    }
    const norm = Math.hypot(...r);
    if (norm <= 1e-9 * norm0) continue;
    ortho.push(r.map((v) => v / norm));
    kept.push(row);
  }
  return kept;
}

/** Gaussian elimination with partial pivoting on an augmented matrix; null if (near) singular. */
function gaussSolve(A: number[][], size: number): number[] | null {
  let maxAbs = 0;
  for (const row of A) for (let k = 0; k < size; k++) maxAbs = Math.max(maxAbs, Math.abs(row[k]!));
  for (let col = 0; col < size; col++) {
    let pivot = col;
    for (let r = col + 1; r < size; r++) if (Math.abs(A[r]![col]!) > Math.abs(A[pivot]![col]!)) pivot = r;
    if (Math.abs(A[pivot]![col]!) <= 1e-13 * maxAbs) return null;
    [A[col], A[pivot]] = [A[pivot]!, A[col]!];
    const p = A[col]!;
    for (let r = col + 1; r < size; r++) {
      const row = A[r]!;
      const f = row[col]! / p[col]!;
      if (f === 0) continue;
      for (let k = col; k <= size; k++) row[k] = row[k]! - f * p[k]!;
    }
  }
  const out = new Array<number>(size).fill(0);
  for (let r = size - 1; r >= 0; r--) {
    let s = A[r]![size]!;
    for (let k = r + 1; k < size; k++) s -= A[r]![k]! * out[k]!;
    out[r] = s / A[r]![r]!;
  }
  return out;
}

/** Per-ES utility sum_v w_v (g(x_v) - R_v) of a float point. */
export function pointUtility(
  market: Market<number>,
  items: ItemInfo[],
  x: number[],
  reward: number[],
): number {
  let u = 0;
  for (let v = 0; v < items.length; v++) {
    const w = items[v]!.weight;
    if (w > 0) u += w * (valueOfX(market, x[v]!) - reward[v]!);
  }
  return u;
}
