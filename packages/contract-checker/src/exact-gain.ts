import type { ConstraintFamily, ContractItem, ExactContract, ExactMarket, Rational } from '@diffcontract/env';
import { ZERO } from './rational.js';

/**
 * Market parameters a counterexample is evaluated at: the market as written, or the perturbed
 * theta' and a' z3 found in robust mode.
 */
export interface Point {
  theta: Rational[];
  a: Rational;
}

export interface DeviationIndex {
  family: ConstraintFamily;
  i: number;
  j?: number;
  jPrime?: number;
  iPrime?: number;
  /** period-2 reports of an IIC deviator: sigma[j] is reported as true type j */
  sigma?: number[];
}

/** u(theta; q, R) = R - a q^2 / theta, in exact rationals. */
function utility(point: Point, k: number, item: ContractItem<Rational>): Rational {
  return item.reward.sub(point.a.mul(item.q).mul(item.q).div(point.theta[k]!));
}

/**
 * lhs (the constrained, truthful side) and rhs (the deviation) of one constraint instance,
 * recomputed in rational arithmetic independently of z3, so a reported gain rhs - lhs is checked
 * rather than trusted.
 */
export function evaluateDeviation(
  market: ExactMarket,
  contract: ExactContract,
  point: Point,
  d: DeviationIndex,
): { lhs: Rational; rhs: Rational } {
  const { period1, period2 } = contract;
  switch (d.family) {
    case 'IR1':
      return { lhs: utility(point, d.i, period1[d.i]!), rhs: ZERO };
    case 'IR2':
      return { lhs: utility(point, d.j!, period2[d.i]![d.j!]!), rhs: ZERO };
    case 'IC2':
      return {
        lhs: utility(point, d.j!, period2[d.i]![d.j!]!),
        rhs: utility(point, d.j!, period2[d.i]![d.jPrime!]!),
      };
    case 'IIC': {
      const K = market.theta.length;
      const sigma = d.sigma ?? [...Array(K).keys()];
      let lhs = utility(point, d.i, period1[d.i]!);
      let rhs = utility(point, d.i, period1[d.iPrime!]!);
      for (let j = 0; j < K; j++) {
        const w = market.delta.mul(market.transition[d.i]![j]!);
        lhs = lhs.add(w.mul(utility(point, j, period2[d.i]![j]!)));
        rhs = rhs.add(w.mul(utility(point, j, period2[d.iPrime!]![sigma[j]!]!)));
      }
      return { lhs, rhs };
    }
  }
}

/** The deviator's best period-2 reports after period-1 report iPrime (first best on ties). */
export function bestResponse(contract: ExactContract, point: Point, iPrime: number): number[] {
  const row = contract.period2[iPrime]!;
  return point.theta.map((_, j) => {
    let best = 0;
    let bestU = utility(point, j, row[0]!);
    for (let m = 1; m < row.length; m++) {
      const u = utility(point, j, row[m]!);
      if (u.compare(bestU) > 0) {
        best = m;
        bestU = u;
      }
    }
    return best;
  });
}

/** Whether a point lies in the robust box of relative radius eps with theta' strictly increasing. */
export function inBox(market: ExactMarket, eps: Rational, point: Point): boolean {
  const within = (x: Rational, nominal: Rational) => x.sub(nominal).abs().compare(nominal.mul(eps)) <= 0;
  if (!within(point.a, market.a)) return false;
  for (let k = 0; k < market.theta.length; k++) {
    if (!within(point.theta[k]!, market.theta[k]!)) return false;
    if (k > 0 && point.theta[k]!.compare(point.theta[k - 1]!) <= 0) return false;
  }
  return true;
}
