import type { Rat } from './rational.js';

/** One exact linear equation sum coef[k] u[k] = rhs (sparse). */
export interface ExactEquation {
  coef: Map<number, Rat>;
  rhs: Rat;
}

/** An equation from (unknown, coefficient) pairs, summing repeated unknowns. */
export function linearEquation(terms: [number, Rat][], rhs: Rat): ExactEquation {
  const coef = new Map<number, Rat>();
  for (const [k, c] of terms) {
    const prev = coef.get(k);
    coef.set(k, prev === undefined ? c : prev.add(c));
  }
  return { coef, rhs };
}

/**
 * Solves a sparse exact system by Gaussian elimination. Returns null when it is inconsistent or
 * leaves an unknown undetermined. Pivots take the shortest remaining equation and prefer unit
 * coefficients, which keeps the numbers small on the +-1 / delta P rows of rents.ts.
 */
export function solveExact(n: number, equations: ExactEquation[]): Rat[] | null {
  const remaining = new Set(
    equations.map((e) => {
      const coef = new Map<number, Rat>();
      for (const [k, c] of e.coef) if (!c.isZero()) coef.set(k, c);
      return { coef, rhs: e.rhs };
    }),
  );
  const pivots: { variable: number; eq: ExactEquation }[] = [];
  while (remaining.size > 0) {
    let e: ExactEquation | undefined;
    for (const candidate of remaining)
      if (e === undefined || candidate.coef.size < e.coef.size) e = candidate;
    remaining.delete(e!);
    if (e!.coef.size === 0) {
      if (!e!.rhs.isZero()) return null;
      continue;
    }
    let variable = -1;
    for (const [k, c] of e!.coef) {
      if (variable < 0 || (isUnit(c) && !isUnit(e!.coef.get(variable)!))) variable = k;
    }
    const pivot = e!.coef.get(variable)!;
    for (const other of remaining) {
      const c = other.coef.get(variable);
      if (c === undefined) continue;
      const factor = c.div(pivot);
      for (const [k, v] of e!.coef) {
        const prev = other.coef.get(k);
        const next = prev === undefined ? factor.mul(v).neg() : prev.sub(factor.mul(v));
        if (next.isZero()) other.coef.delete(k);
        else other.coef.set(k, next);
      }
      other.rhs = other.rhs.sub(factor.mul(e!.rhs));
    }
    pivots.push({ variable, eq: e! });
  }
  const solution: (Rat | undefined)[] = new Array(n).fill(undefined);
  for (let p = pivots.length - 1; p >= 0; p--) {
    const { variable, eq } = pivots[p]!;
    let acc = eq.rhs;
    for (const [k, c] of eq.coef) {
      if (k === variable) continue;
      const value = solution[k];
      if (value === undefined) return null;
      acc = acc.sub(c.mul(value));
    }
    solution[variable] = acc.div(eq.coef.get(variable)!);
  }
  if (solution.some((s) => s === undefined)) return null;
  return solution as Rat[];
}

function isUnit(c: Rat): boolean {
  return c.d === 1n && (c.n === 1n || c.n === -1n);
}
