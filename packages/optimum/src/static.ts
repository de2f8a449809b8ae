import { type Contract, type ContractItem, cloudUtility, type Market } from '@diffcontract/env';
import { type AnyMarket, marketPair } from './market.js';

/**
 * Closed forms of model.md section 5 (float): the static (delta = 0) optimal menu for a type
 * distribution, with ironing, and the composition lower bound built from two such menus.
 */
export interface StaticMenu {
  /** contributions q_k, nondecreasing in k */
  q: number[];
  /** rewards from IR binding for the lowest type served and downward adjacent IC binding */
  reward: number[];
  /** virtual costs psi_k (Infinity for a type of mass 0 with mass above it) */
  psi: number[];
  /** blocks of pooled (ironed) types, as [first, last] index pairs */
  pools: [number, number][];
}

/**
 * The optimal static menu for types theta with probabilities `mass` (entries may be 0).
 *
 * With rents eliminated (IR binding for theta_1, downward adjacent IC binding) the cloud maximises
 * sum_k [m_k v(q_k) - C_k a q_k^2] with C_k = m_k psi_k = m_k / theta_k + (1/theta_k - 1/theta_{k+1})
 * sum_{l>k} m_l, subject to q nondecreasing (implementability). Each block of pooled types solves
 * max M v(q) - C a q^2 with M, C its sums: 2 a C q^2 + 2 a C q - M beta = 0, i.e.
 * q = (-1 + sqrt(1 + 2 beta M / (a C))) / 2, which for one type is the formula of model.md.
 * Adjacent blocks whose q decrease are merged (pool adjacent violators; optimal for separable
 * concave objectives under a chain order), and q is capped at qMax last (the cap is monotone, and
 * each block's objective is concave, so capping the unconstrained block optimum is optimal).
 */
export function staticMenu(
  theta: readonly number[],
  mass: readonly number[],
  a: number,
  beta: number,
  qMax: number,
): StaticMenu {
  const K = theta.length;
  const cost = theta.map((t) => 1 / t);
  const above = new Array<number>(K).fill(0);
  for (let k = K - 2; k >= 0; k--) above[k] = above[k + 1]! + mass[k + 1]!;
  const C = cost.map((c, k) => mass[k]! * c + (k + 1 < K ? (c - cost[k + 1]!) * above[k]! : 0));
  const psi = C.map((c, k) => (mass[k]! > 0 ? c / mass[k]! : c > 0 ? Number.POSITIVE_INFINITY : cost[k]!));
  const blockQ = (M: number, c: number) => (M > 0 ? (-1 + Math.sqrt(1 + (2 * beta * M) / (a * c))) / 2 : 0);
  const blocks: { first: number; last: number; M: number; C: number; q: number }[] = [];
  for (let k = 0; k < K; k++) {
    blocks.push({ first: k, last: k, M: mass[k]!, C: C[k]!, q: blockQ(mass[k]!, C[k]!) });
    while (blocks.length > 1 && blocks.at(-2)!.q > blocks.at(-1)!.q) {
      const top = blocks.pop()!;
      const prev = blocks.pop()!;
      const M = prev.M + top.M;
      const c = prev.C + top.C;
      blocks.push({ first: prev.first, last: top.last, M, C: c, q: blockQ(M, c) });
    }
  }
  const q = new Array<number>(K);
  for (const b of blocks) for (let k = b.first; k <= b.last; k++) q[k] = Math.min(qMax, b.q);
  const reward = new Array<number>(K);
  for (let k = 0; k < K; k++) {
    const x = a * q[k]! * q[k]!;
    const xPrev = k > 0 ? a * q[k - 1]! * q[k - 1]! : 0;
    reward[k] = (k > 0 ? reward[k - 1]! : 0) + cost[k]! * (x - xPrev);
  }
  return { q, reward, psi, pools: blocks.filter((b) => b.last > b.first).map((b) => [b.first, b.last]) };
}

function items(menu: StaticMenu): ContractItem<number>[] {
  return menu.q.map((q, k) => ({ q, reward: menu.reward[k]! }));
}

export interface StaticOptimum {
  /** the static optimal menu for the prior, offered in period 1 */
  menu: StaticMenu;
  /** period 1 = the menu; period 2 = the same menu in every history (feasible; irrelevant when delta = 0) */
  contract: Contract<number>;
  /** U of the contract; the optimum U* when delta = 0 */
  cloudUtility: number;
}

/**
 * The closed-form optimum of model.md section 5 for delta = 0: the static menu for the prior in
 * period 1. The period-2 part repeats it in every history, which keeps the contract feasible for
 * any delta (the period-2 part of U is weighted by delta, so for delta = 0 this is U*).
 */
export function staticOptimum(market: AnyMarket): StaticOptimum {
  const m = marketPair(market).float;
  const menu = staticMenu(m.theta, m.prior, m.a, m.beta, m.qMax);
  const K = m.theta.length;
  const contract: Contract<number> = {
    period1: items(menu),
    period2: Array.from({ length: K }, () => items(menu)),
  };
  return { menu, contract, cloudUtility: cloudUtility(m, contract) };
}

export interface CompositionBound {
  /** static menu for the prior (period 1) */
  period1: StaticMenu;
  /** static menu for the period-2 marginal sum_i pi_i P[i][j], offered in every history */
  period2: StaticMenu;
  contract: Contract<number>;
  /** U of the composed contract: a lower bound on U* */
  cloudUtility: number;
}

/**
 * Lower bound by composition (model.md section 5): the static optimum in period 1 plus one
 * history-independent static menu in period 2, optimal for the period-2 marginal distribution.
 * Identical period-2 menus give every period-1 report the same continuation value, so IIC reduces
 * to static IC and the contract is feasible for every P.
 */
export function compositionLowerBound(market: AnyMarket): CompositionBound {
  const m: Market<number> = marketPair(market).float;
  const K = m.theta.length;
  const marginal = Array.from({ length: K }, (_, j) => {
    let s = 0;
    for (let i = 0; i < K; i++) s += m.prior[i]! * m.transition[i]![j]!;
    return s;
  });
  const period1 = staticMenu(m.theta, m.prior, m.a, m.beta, m.qMax);
  const period2 = staticMenu(m.theta, marginal, m.a, m.beta, m.qMax);
  const contract: Contract<number> = {
    period1: items(period1),
    period2: Array.from({ length: K }, () => items(period2)),
  };
  return { period1, period2, contract, cloudUtility: cloudUtility(m, contract) };
}
