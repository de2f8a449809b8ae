/**
 * The constraint instances of model.md section 4 and the menu items they speak about, enumerated
 * once. Every builder (the slacks of `constraintInstances`, the pricing LP's rows, the optimum's
 * (x, R) rows and rent rows, the z3 encoding) walks this list, so "constraint k" and "item v" mean
 * the same thing everywhere a float basis or a counterexample is handed from one to another.
 */

/**
 * Which constraint, by family and 0-based indices: IR1 of period-1 type i; IR2 of period-2 type j
 * after history i; IC2: type j after history i reporting jPrime; IIC: period-1 type i reporting
 * iPrime (sigma = identity, which suffices given IC2).
 */
export type ConstraintIndex =
  | { family: 'IR1'; i: number }
  | { family: 'IR2'; i: number; j: number }
  | { family: 'IC2'; i: number; j: number; jPrime: number }
  | { family: 'IIC'; i: number; iPrime: number };

/** Number of constraint instances for K types: K + K^2 + K^2 (K-1) + K (K-1). */
export function constraintCount(K: number): number {
  return K + K * K + K * K * (K - 1) + K * (K - 1);
}

const cache = new Map<number, readonly ConstraintIndex[]>();

/**
 * Every constraint instance for K types in the fixed order: IR1 (i), IR2 (i, j), IC2 (i, j,
 * jPrime != j), IIC (i, iPrime != i), each family in lexicographic index order. The list is frozen
 * and shared per K.
 */
export function constraintIndices(K: number): readonly ConstraintIndex[] {
  const known = cache.get(K);
  if (known) return known;
  const out: ConstraintIndex[] = [];
  for (let i = 0; i < K; i++) out.push({ family: 'IR1', i });
  for (let i = 0; i < K; i++) for (let j = 0; j < K; j++) out.push({ family: 'IR2', i, j });
  for (let i = 0; i < K; i++)
    for (let j = 0; j < K; j++)
      for (let jPrime = 0; jPrime < K; jPrime++) if (jPrime !== j) out.push({ family: 'IC2', i, j, jPrime });
  for (let i = 0; i < K; i++)
    for (let iPrime = 0; iPrime < K; iPrime++) if (iPrime !== i) out.push({ family: 'IIC', i, iPrime });
  for (const c of out) Object.freeze(c);
  const frozen = Object.freeze(out);
  cache.set(K, frozen);
  return frozen;
}

/** The K + K^2 menu items in one flat order: period1[i] is item i, period2[i][j] is item K + i K + j. */
export function itemCount(K: number): number {
  return K + K * K;
}

/** Flat index of period2[i][j]. */
export function period2Item(K: number, i: number, j: number): number {
  return K + i * K + j;
}
