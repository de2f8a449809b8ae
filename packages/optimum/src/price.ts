/**
 * The exact half of the pricing layer (model.md section 6.1): an allocation's cheapest rewards in
 * exact rationals, so a delivered contract is exactly feasible whenever its allocation is
 * implementable. The float half (value, rewards, duals, gradient) is env's AllocationPricer; this is
 * the same LP re-solved exactly (repair.ts keeps q and returns the exact cloud-best rewards, which
 * for a fixed q are the cheapest ones), falling back to the nearest implementable allocation.
 */
import type { ExactContract, Rational } from '@diffcontract/env';
import { exactFromNumber } from '@diffcontract/env';
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
  const { exact } = marketPair(market);
  const K = exact.theta.length;
  if (q.length !== K + K * K) {
    throw new RangeError(`priceAllocationExact: q must have K + K^2 = ${K + K * K} entries (${q.length})`);
  }
  const items = q.map((v) => ({
    q: typeof v === 'number' ? exactFromNumber(v) : v,
    reward: new Fraction(0),
  }));
  const repaired = await repairContract(exact, unflattenContract(K, items), options);
  return {
    contract: repaired.contract,
    cloudUtility: repaired.cloudUtility,
    implementable: !repaired.changedAllocation,
  };
}
