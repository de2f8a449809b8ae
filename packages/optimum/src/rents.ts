import { constraintIndices, type Field, floatField, type Market, period2Item } from '@diffcontract/env';
import { type Rat, type RatMarket, ratField } from './rational.js';

/**
 * The constraints of model.md section 4 in rent form. With x = a q^2 fixed, write each reward as
 * R_v = U_v + x_v / theta_{type(v)}, where U_v is the truthful taker's rent. IR1 and IR2 become
 * the bounds U_v >= 0 and the rest read
 *   IC2 (i, j, j'):  U2[i][j] - U2[i][j'] >= (1/theta_j' - 1/theta_j) x2[i][j']
 *   IIC (i, i'):     U1[i] - U1[i'] + delta sum_j P[i][j] (U2[i][j] - U2[i'][j])
 *                      >= (1/theta_i' - 1/theta_i) x1[i'].
 * The matrix does not depend on x (entries +-1 and +-delta P), only the right-hand side does, so a
 * basis found by a float LP can be re-solved exactly for an exact allocation.
 */
export interface RentRow<N> {
  family: 'IC2' | 'IIC';
  /** sum of coef U_item ... */
  terms: { item: number; coef: N }[];
  /** ... >= rhsCoef x_rhsItem */
  rhsItem: number;
  rhsCoef: N;
}

function build<N>(K: number, cost: N[], delta: N, transition: N[][], ops: Field<N>): RentRow<N>[] {
  const rows: RentRow<N>[] = [];
  const minusOne = ops.neg(ops.one);
  for (const c of constraintIndices(K)) {
    // IR1 and IR2 are the bounds U_v >= 0 of the LP's variables, not rows.
    if (c.family === 'IC2') {
      rows.push({
        family: 'IC2',
        terms: [
          { item: period2Item(K, c.i, c.j), coef: ops.one },
          { item: period2Item(K, c.i, c.jPrime), coef: minusOne },
        ],
        rhsItem: period2Item(K, c.i, c.jPrime),
        rhsCoef: ops.sub(cost[c.jPrime]!, cost[c.j]!),
      });
    } else if (c.family === 'IIC') {
      const terms = [
        { item: c.i, coef: ops.one },
        { item: c.iPrime, coef: minusOne },
      ];
      for (let j = 0; j < K; j++) {
        const p = ops.mul(delta, transition[c.i]![j]!);
        if (ops.isZero(p)) continue;
        terms.push({ item: period2Item(K, c.i, j), coef: p });
        terms.push({ item: period2Item(K, c.iPrime, j), coef: ops.neg(p) });
      }
      rows.push({ family: 'IIC', terms, rhsItem: c.iPrime, rhsCoef: ops.sub(cost[c.iPrime]!, cost[c.i]!) });
    }
  }
  return rows;
}

export function floatRentRows(market: Market<number>): RentRow<number>[] {
  const cost = market.theta.map((t) => 1 / t);
  return build(market.theta.length, cost, market.delta, market.transition, floatField);
}

/** Same rows, same order, exact: a float basis indexes both. */
export function rentRows(market: RatMarket): RentRow<Rat>[] {
  return build(market.K, market.cost, market.delta, market.transition, ratField);
}
