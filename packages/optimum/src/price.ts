/**
 * An allocation's cheapest rewards in exact rationals (model.md section 6.1), so a delivered
 * contract is exactly feasible whenever its allocation is implementable. First env's
 * priceAllocationExactly: the pricing LP's float basis re-solved and verified in rationals (the
 * same LP definition, pricingData, in both number systems). When that basis does not verify
 * (degenerate to the last bit, or not implementable), repair.ts: it keeps q with the exact
 * cloud-best rewards (the cheapest, for a fixed q) from its own exact dual simplex, or moves to the
 * nearest implementable allocation.
 */
import {
  cloudUtility,
  type ExactContract,
  exactFromNumber,
  priceAllocationExactly,
  type Rational,
  toFloatContract,
} from '@diffcontract/env';
import Fraction from 'fraction.js';
import type { OptimumOptions } from './config.js';
import { unflattenContract } from './items.js';
import { type AnyMarket, marketPair } from './market.js';
import { repairContract } from './repair.js';

export interface ExactPricing {
  /** exactly feasible: the allocation with its exact cheapest rewards, or the repaired one */
  contract: ExactContract;
  /** U of the contract (float evaluation, N included) */
  cloudUtility: number;
  /** true when the allocation was implementable and kept as given */
  implementable: boolean;
}

/**
 * Exact cheapest rewards for the allocation q (flat item order: q1 (K), then q2 row-major). Float q
 * are taken at their exact binary64 values.
 */
export async function priceAllocationExact(
  market: AnyMarket,
  q: readonly (number | Rational)[],
  options?: Partial<OptimumOptions>,
): Promise<ExactPricing> {
  const { exact, float } = marketPair(market);
  const K = exact.theta.length;
  if (q.length !== K + K * K) {
    throw new RangeError(`priceAllocationExact: q must have K + K^2 = ${K + K * K} entries (${q.length})`);
  }
  const qExact = q.map((v) => (typeof v === 'number' ? exactFromNumber(v) : v));
  const direct = priceAllocationExactly(exact, qExact, { float });
  if (direct !== null) {
    return {
      contract: direct.contract,
      cloudUtility: cloudUtility(float, toFloatContract(direct.contract)),
      implementable: true,
    };
  }
  const items = qExact.map((v) => ({ q: v, reward: new Fraction(0) }));
  const repaired = await repairContract(exact, unflattenContract(K, items), options);
  return {
    contract: repaired.contract,
    cloudUtility: repaired.cloudUtility,
    implementable: !repaired.changedAllocation,
  };
}
