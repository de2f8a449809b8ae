import type Fraction from 'fraction.js';

/**
 * A market (model.md section 2). Generic in the number type so the same shape carries floats for
 * learning and exact rationals (as written in a file) for proofs and exact checks.
 */
export interface Market<N = number> {
  /** willingness to participate, strictly increasing, each > 0; K = theta.length */
  theta: N[];
  /** period-1 type probabilities pi, each > 0, summing to 1 */
  prior: N[];
  /** transition[i][j] = P(period-2 type j | period-1 type i), rows sum to 1 */
  transition: N[][];
  /** energy-cost coefficient: e(q) = a q^2 */
  a: N;
  /** cloud valuation coefficient: v(q) = beta ln(1 + q) */
  beta: N;
  /** discount of period 2, in [0, 1] */
  delta: N;
  /** largest contribution */
  qMax: N;
  /** number of edge servers N (always an integer) */
  esCount: number;
}

/** One menu item: contribution q (effort) for reward R. */
export interface ContractItem<N = number> {
  q: N;
  reward: N;
}

/**
 * A two-period dynamic contract (model.md section 3): period1[i] is offered to period-1 report i,
 * period2[i][j] to period-1 report i followed by period-2 report j.
 */
export interface Contract<N = number> {
  period1: ContractItem<N>[];
  period2: ContractItem<N>[][];
}

/** Exact rational, as the numbers in a file are taken exactly as written (model.md section 8). */
export type Rational = Fraction;
export type ExactMarket = Market<Rational>;
export type ExactContract = Contract<Rational>;

/** Constraint families of model.md section 4. */
export type ConstraintFamily = 'IR1' | 'IR2' | 'IC2' | 'IIC';

/**
 * One constraint instance lhs >= rhs with its slack lhs - rhs (negative when violated).
 * Indices: IR1 {i}; IR2 {i, j}; IC2 {i, j, jPrime}; IIC {i, iPrime} with sigma = identity.
 */
export interface ConstraintInstance<N = number> {
  family: ConstraintFamily;
  i: number;
  j?: number;
  jPrime?: number;
  iPrime?: number;
  lhs: N;
  rhs: N;
  slack: N;
}
