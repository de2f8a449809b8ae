import {
  type Contract,
  type ContractItem,
  constraintIndices,
  itemCount,
  type Market,
  period2Item,
} from '@diffcontract/env';

/**
 * The K + K^2 menu items in one flat order: period1[i] is item i, period2[i][j] is item K + i K + j.
 * `type` is the type that takes the item on the truthful path (i in period 1, j in period 2): its
 * cost coefficient 1/theta prices x = a q^2 in the item's participation constraint.
 */
export interface ItemInfo {
  period: 1 | 2;
  i: number;
  j: number;
  type: number;
  /** weight in U/N: pi_i (period 1) or pi_i delta P[i][j] (period 2); may be 0 */
  weight: number;
}

export { itemCount, period2Item };

export function itemInfos(market: Market<number>): ItemInfo[] {
  const K = market.theta.length;
  const out: ItemInfo[] = [];
  for (let i = 0; i < K; i++) out.push({ period: 1, i, j: -1, type: i, weight: market.prior[i]! });
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++) {
      const weight = market.prior[i]! * market.delta * market.transition[i]![j]!;
      out.push({ period: 2, i, j, type: j, weight });
    }
  }
  return out;
}

/** Items of a contract in the flat order. */
export function flattenContract<N>(contract: Contract<N>): ContractItem<N>[] {
  return [...contract.period1, ...contract.period2.flat()];
}

export function unflattenContract<N>(K: number, items: ContractItem<N>[]): Contract<N> {
  const period2: ContractItem<N>[][] = [];
  for (let i = 0; i < K; i++) period2.push(items.slice(K + i * K, K + (i + 1) * K));
  return { period1: items.slice(0, K), period2 };
}

/** One term coefX x_item + coefR R_item of a constraint row. */
export interface RowTerm {
  item: number;
  coefX: number;
  coefR: number;
}

/** A constraint of model.md section 4 written as sum of terms >= 0 (linear in x = a q^2 and R). */
export interface ConstraintRow {
  family: 'IR1' | 'IR2' | 'IC2' | 'IIC';
  terms: RowTerm[];
}

/**
 * Every constraint instance of model.md section 4 in (x, R) form, in env's order
 * (`constraintIndices`). Stage utility of type k for an item: R - x / theta_k.
 */
export function constraintRows(market: Market<number>): ConstraintRow[] {
  const K = market.theta.length;
  const cost = market.theta.map((t) => 1 / t);
  const { delta, transition } = market;
  // The truthful taker's stage utility of item v, and that of type `type` reporting its way to v.
  const own = (v: number, type: number): RowTerm => ({ item: v, coefX: -cost[type]!, coefR: 1 });
  const other = (v: number, type: number): RowTerm => ({ item: v, coefX: cost[type]!, coefR: -1 });
  return constraintIndices(K).map((c): ConstraintRow => {
    switch (c.family) {
      case 'IR1':
        return { family: 'IR1', terms: [own(c.i, c.i)] };
      case 'IR2':
        return { family: 'IR2', terms: [own(period2Item(K, c.i, c.j), c.j)] };
      case 'IC2':
        return {
          family: 'IC2',
          terms: [own(period2Item(K, c.i, c.j), c.j), other(period2Item(K, c.i, c.jPrime), c.j)],
        };
      default: {
        // IIC
        const terms = [own(c.i, c.i), other(c.iPrime, c.i)];
        for (let j = 0; j < K; j++) {
          const p = delta * transition[c.i]![j]!;
          if (p === 0) continue;
          terms.push({ item: period2Item(K, c.i, j), coefX: -p * cost[j]!, coefR: p });
          terms.push({ item: period2Item(K, c.iPrime, j), coefX: p * cost[j]!, coefR: -p });
        }
        return { family: 'IIC', terms };
      }
    }
  });
}

/** Cloud valuation as a function of x = a q^2: g(x) = beta ln(1 + sqrt(x / a)). */
export function valueOfX(market: Market<number>, x: number): number {
  return market.beta * Math.log1p(Math.sqrt(Math.max(0, x) / market.a));
}

/** g'(x) = beta / (2 a q (1 + q)) with q = sqrt(x / a); infinite at x = 0. */
export function slopeOfX(market: Market<number>, x: number): number {
  const q = Math.sqrt(x / market.a);
  return market.beta / (2 * market.a * q * (1 + q));
}

/** The type that takes item v on the truthful path. */
export function itemType(K: number, v: number): number {
  return v < K ? v : (v - K) % K;
}
