import { checkContract } from '@diffcontract/contract-checker';
import {
  allocationOf,
  cloudUtility,
  evaluationSet,
  isFeasibleExact,
  priceAllocation,
  toDecimalMarket,
} from '@diffcontract/env';
import { describe, expect, it } from 'vitest';
import { priceAllocationExact } from './price.js';
import { solveOptimum } from './solve.js';

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

  it('rejects an allocation of the wrong length', async () => {
    await expect(priceAllocationExact(evaluationSet()[0]!, [1, 2])).rejects.toThrow(/K \+ K\^2 = 12/);
  });
});
