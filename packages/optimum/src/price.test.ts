import { checkContract } from '@diffcontract/contract-checker';
import {
  allocationOf,
  cloudUtility,
  type ExactContract,
  type ExactMarket,
  evaluationSet,
  isFeasibleExact,
  priceAllocation,
  priceAllocationExactly,
  toDecimalMarket,
} from '@diffcontract/env';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { priceAllocationExact } from './price.js';
import { repairContract } from './repair.js';
import { solveOptimum } from './solve.js';

/** cost(R) = sum_i pi_i (R1[i] + delta sum_j P[i][j] R2[i][j]), exact. */
function exactCost(m: ExactMarket, c: ExactContract): Fraction {
  let cost = new Fraction(0);
  m.prior.forEach((p, i) => {
    let cont = new Fraction(0);
    m.transition[i]!.forEach((pij, j) => {
      cont = cont.add(pij.mul(c.period2[i]![j]!.reward));
    });
    cost = cost.add(p.mul(c.period1[i]!.reward.add(m.delta.mul(cont))));
  });
  return cost;
}

describe('pricing layer against the exact optimum', () => {
  it('the float LP at the optimal allocation reproduces U* to 1e-9 relative on the evaluation set', async () => {
    let worst = 0;
    for (const market of evaluationSet()) {
      const optimum = await solveOptimum(market);
      const priced = priceAllocation(market, allocationOf(optimum.contract));
      expect(priced.slack).toBeLessThan(1e-9);
      const u = cloudUtility(market, priced.contract);
      worst = Math.max(worst, Math.abs(u - optimum.cloudUtility) / Math.abs(optimum.cloudUtility));
    }
    expect(worst).toBeLessThan(1e-9);
  }, 120_000);

  it('exact pricing of the optimal allocation keeps it, is exactly feasible, certified by z3, at U*', async () => {
    for (const float of evaluationSet().slice(0, 8)) {
      const market = toDecimalMarket(float);
      const optimum = await solveOptimum(market);
      const priced = await priceAllocationExact(market, allocationOf(optimum.exactContract));
      expect(priced.implementable).toBe(true);
      expect(isFeasibleExact(market, priced.contract)).toBe(true);
      expect(Math.abs(priced.cloudUtility - optimum.cloudUtility) / optimum.cloudUtility).toBeLessThan(1e-9);
      const certificate = await checkContract(market, priced.contract);
      expect(certificate.verdict).toBe('certified');
    }
  }, 120_000);

  it('an allocation that is not implementable moves to an implementable one (reported), still certified', async () => {
    const market = toDecimalMarket(evaluationSet()[0]!);
    // Period-1 contributions decreasing in type: no rewards make this truthful.
    const q = [2, 1, 0.5, 0.4, 0.4, 0.4, 0.6, 0.6, 0.6, 0.8, 0.8, 0.8];
    expect(priceAllocation(evaluationSet()[0]!, q).slack).toBeGreaterThan(0);
    const priced = await priceAllocationExact(market, q);
    expect(priced.implementable).toBe(false);
    expect(isFeasibleExact(market, priced.contract)).toBe(true);
    expect((await checkContract(market, priced.contract)).verdict).toBe('certified');
  }, 60_000);

  it("env's verified basis is never dearer than repair's exact vertex, and agrees to 1e-12", async () => {
    let compared = 0;
    for (const float of evaluationSet().slice(0, 12)) {
      const market = toDecimalMarket(float);
      const optimum = await solveOptimum(market);
      // the optimal allocation, and the same allocation scaled down (another implementable one)
      for (const scale of [1, 0.8]) {
        const q = allocationOf(optimum.exactContract).map((v) => v.mul(scale));
        const direct = priceAllocationExactly(market, q);
        if (direct === null) continue;
        const repaired = await repairContract(market, {
          period1: direct.contract.period1.map((it) => ({ q: it.q, reward: new Fraction(0) })),
          period2: direct.contract.period2.map((row) =>
            row.map((it) => ({ q: it.q, reward: new Fraction(0) })),
          ),
        });
        expect(repaired.changedAllocation).toBe(false);
        // Both are exactly feasible; env's is also proven dual feasible (exactly cheapest), while
        // repair's vertex is only repaired to primal feasibility, so it may cost a few ulps more.
        const other = exactCost(market, repaired.contract);
        expect(direct.cost.compare(other)).toBeLessThanOrEqual(0);
        expect(other.sub(direct.cost).valueOf()).toBeLessThan(1e-12 * other.valueOf());
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(12);
  }, 120_000);

  it('rejects an allocation of the wrong length', async () => {
    await expect(priceAllocationExact(evaluationSet()[0]!, [1, 2])).rejects.toThrow(/K \+ K\^2 = 12/);
  });
});
