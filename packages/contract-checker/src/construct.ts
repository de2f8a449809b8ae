import type { ContractItem, ExactContract, ExactMarket, Rational } from '@diffcontract/env';
import { ZERO } from './rational.js';

/**
 * The static screening menu with every local constraint binding: for non-decreasing q,
 * R_0 = a q_0^2 / theta_0 (IR of the lowest type binds) and
 * R_k = R_{k-1} + a (q_k^2 - q_{k-1}^2) / theta_k (downward adjacent IC binds).
 * Standard single-crossing arguments make it IR and IC for every type, exactly.
 */
export function bindingMenu(
  market: ExactMarket,
  q: Rational[],
  theta = market.theta,
): ContractItem<Rational>[] {
  const items: ContractItem<Rational>[] = [];
  let previousQ = ZERO;
  let reward = ZERO;
  q.forEach((qk, k) => {
    if (k > 0 && qk.compare(previousQ) < 0) throw new RangeError('bindingMenu: q must be non-decreasing');
    reward = reward.add(market.a.mul(qk.mul(qk).sub(previousQ.mul(previousQ))).div(theta[k]!));
    items.push({ q: qk, reward });
    previousQ = qk;
  });
  return items;
}

/**
 * A menu with every IR and IC strict where q differs: the binding construction run with
 * theta~_0 = theta_0 / 2 and theta~_k = (theta_{k-1} + theta_k) / 2, so each reward step lies
 * strictly between what types k - 1 and k would accept. Small perturbations of theta and a keep
 * it feasible (the robust check certifies it for a small enough EPS).
 */
export function slackMenu(market: ExactMarket, q: Rational[]): ContractItem<Rational>[] {
  const { theta } = market;
  const midpoints = theta.map((t, k) => (k === 0 ? t.div(2) : t.add(theta[k - 1]!).div(2)));
  return bindingMenu(market, q, midpoints);
}

/**
 * The composition contract of model.md section 5 (lower bound by composition): a binding static
 * menu in period 1 and one history-independent binding menu in period 2. Feasible for every P
 * and delta, with many constraints holding with equality: a demanding input for an exact checker.
 */
export function compositionContract(
  market: ExactMarket,
  q1: Rational[],
  q2: Rational[],
  menu: typeof bindingMenu = bindingMenu,
): ExactContract {
  const second = menu(market, q2);
  return {
    period1: menu(market, q1),
    period2: market.theta.map(() => second.map((it) => ({ ...it }))),
  };
}
