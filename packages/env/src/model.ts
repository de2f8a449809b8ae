import { constraintIndices } from './constraints.js';
import { exactField, type Field, floatField } from './field.js';
import type {
  ConstraintInstance,
  Contract,
  ContractItem,
  ExactContract,
  ExactMarket,
  Market,
} from './types.js';

/** ES stage utility u(theta; q, R) = R - a q^2 / theta (model.md section 3). */
export function stageUtility<N>(field: Field<N>, theta: N, a: N, item: ContractItem<N>): N {
  return field.sub(item.reward, field.div(field.mul(a, field.mul(item.q, item.q)), theta));
}

/** Cloud valuation of one ES's modules, v(q) = beta ln(1 + q). */
export function valuation(beta: number, q: number): number {
  return beta * Math.log1p(q);
}

/**
 * U(C) = N sum_i pi_i [v(q1[i]) - R1[i] + delta sum_j P[i][j] (v(q2[i][j]) - R2[i][j])]
 * (model.md section 5). Float only: v is transcendental.
 */
export function cloudUtility(market: Market<number>, contract: Contract<number>): number {
  const { prior, transition, beta, delta } = market;
  let total = 0;
  for (let i = 0; i < prior.length; i++) {
    const first = contract.period1[i]!;
    let continuation = 0;
    const row = contract.period2[i]!;
    for (let j = 0; j < row.length; j++) {
      continuation += transition[i]![j]! * (valuation(beta, row[j]!.q) - row[j]!.reward);
    }
    total += prior[i]! * (valuation(beta, first.q) - first.reward + delta * continuation);
  }
  return market.esCount * total;
}

/**
 * Every constraint instance of model.md section 4, as lhs >= rhs with its slack, in the order of
 * `constraintIndices`. The same code runs on floats and rationals.
 */
export function constraintInstances<N>(
  market: Market<N>,
  contract: Contract<N>,
  field: Field<N>,
): ConstraintInstance<N>[] {
  const { theta, transition, a, delta } = market;
  const K = theta.length;
  const { period1, period2 } = contract;
  // u2[i][j][j'] = utility of a period-2 type j taking item period2[i][j']; the diagonal is truthful.
  const u2: N[][][] = [];
  for (let i = 0; i < K; i++) {
    const byType: N[][] = [];
    for (let j = 0; j < K; j++) {
      byType.push(period2[i]!.map((item) => stageUtility(field, theta[j]!, a, item)));
    }
    u2.push(byType);
  }
  // Expected truthful period-2 utility of a period-1 type i after report iPrime.
  const continuation = (i: number, iPrime: number): N => {
    let sum = field.zero;
    for (let j = 0; j < K; j++) sum = field.add(sum, field.mul(transition[i]![j]!, u2[iPrime]![j]![j]!));
    return field.mul(delta, sum);
  };
  // Both periods' utility of a period-1 type i reporting iPrime.
  const path = (i: number, iPrime: number): N =>
    field.add(stageUtility(field, theta[i]!, a, period1[iPrime]!), continuation(i, iPrime));
  const truthfulPath: N[] = [];
  return constraintIndices(K).map((c): ConstraintInstance<N> => {
    switch (c.family) {
      case 'IR1': {
        const lhs = stageUtility(field, theta[c.i]!, a, period1[c.i]!);
        return { ...c, lhs, rhs: field.zero, slack: lhs };
      }
      case 'IR2': {
        const lhs = u2[c.i]![c.j]![c.j]!;
        return { ...c, lhs, rhs: field.zero, slack: lhs };
      }
      case 'IC2': {
        const lhs = u2[c.i]![c.j]![c.j]!;
        const rhs = u2[c.i]![c.j]![c.jPrime]!;
        return { ...c, lhs, rhs, slack: field.sub(lhs, rhs) };
      }
      default: {
        // IIC
        truthfulPath[c.i] ??= path(c.i, c.i);
        const lhs = truthfulPath[c.i]!;
        const rhs = path(c.i, c.iPrime);
        return { ...c, lhs, rhs, slack: field.sub(lhs, rhs) };
      }
    }
  });
}

/** viol(C) = sum of max(0, rhs - lhs) over every instance, in utility units (float). */
export function violation(market: Market<number>, contract: Contract<number>): number {
  let total = 0;
  for (const c of constraintInstances(market, contract, floatField)) {
    if (c.slack < 0) total -= c.slack;
  }
  return total;
}

/** The instance with the smallest slack (first one on ties). */
export function worstConstraint<N>(
  market: Market<N>,
  contract: Contract<N>,
  field: Field<N>,
): ConstraintInstance<N> {
  let worst: ConstraintInstance<N> | undefined;
  for (const c of constraintInstances(market, contract, field)) {
    if (worst === undefined || field.lt(c.slack, worst.slack)) worst = c;
  }
  if (worst === undefined) throw new RangeError('worstConstraint: market has no types');
  return worst;
}

/**
 * Exact feasibility (model.md section 4): IR1, IR2, IC2 and IIC (sigma = id) hold with no tolerance.
 * Checking IIC only for sigma = id is sound because IC2 is checked in the same pass: a contract
 * failing IC2 is infeasible whatever IIC says. Bounds on q and R are shape rules (validateContract).
 */
export function isFeasibleExact(market: ExactMarket, contract: ExactContract): boolean {
  for (const c of constraintInstances(market, contract, exactField)) {
    if (c.slack.s < 0n && c.slack.n !== 0n) return false;
  }
  return true;
}
