/**
 * Delivery: the exactly feasible contract that a policy's float contract becomes (model.md
 * section 6), the one definition shared by evaluation, the probe and the baselines.
 */
import {
  type ActionFormulation,
  allocationOf,
  type Contract,
  cloudUtility,
  type ExactContract,
  type ExactMarket,
  type Market,
  toDecimalContract,
  toFloatContract,
} from '@diffcontract/env';
import { priceAllocationExact, repairContract } from '@diffcontract/optimum';

export interface Delivered {
  /** exactly feasible for the exact market */
  contract: ExactContract;
  /** U (N included) of the delivered contract, evaluated on the float market */
  utility: number;
  /** true when the policy's allocation was not kept */
  changedAllocation: boolean;
}

/**
 * In the allocation formulation the contract's allocation with the exact cheapest rewards (optimum's
 * priceAllocationExact; the nearest implementable allocation when it is not implementable), in the
 * contract formulation the exact repair.
 */
export async function deliver(
  market: Market<number>,
  exact: ExactMarket,
  contract: Contract<number>,
  formulation: ActionFormulation,
): Promise<Delivered> {
  const decimal = toDecimalContract(contract);
  if (formulation === 'allocation') {
    const priced = await priceAllocationExact(exact, allocationOf(decimal));
    const utility = cloudUtility(market, toFloatContract(priced.contract));
    return { contract: priced.contract, utility, changedAllocation: !priced.implementable };
  }
  const repair = await repairContract(exact, decimal);
  const utility = cloudUtility(market, toFloatContract(repair.contract));
  return { contract: repair.contract, utility, changedAllocation: repair.changedAllocation };
}
