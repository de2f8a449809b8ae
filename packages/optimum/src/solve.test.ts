import {
  cloudUtility,
  type ExactMarket,
  isFeasibleExact,
  type Market,
  ModelError,
  parseExactNumber,
  sampleMarkets,
  toExactContract,
  toExactMarket,
  toFloatMarket,
  validateContract,
  violation,
} from '@diffcontract/env';
import { describe, expect, it } from 'vitest';
import { repairContract } from './repair.js';
import { solveOptimum } from './solve.js';
import { compositionLowerBound } from './static.js';

const sampled = [...sampleMarkets(77, 6), ...sampleMarkets(78, 2, { K: 5 })];

describe('solveOptimum', () => {
  it('returns an exactly feasible contract whose utility is within the gap of the LP bound', async () => {
    for (const market of sampled) {
      const result = await solveOptimum(market);
      const exactMarket = toExactMarket(market);
      expect(isFeasibleExact(exactMarket, result.exactContract)).toBe(true);
      validateContract(exactMarket, result.exactContract);
      // the reported utility is the contract's (env's independent evaluation)
      expect(result.cloudUtility).toBe(cloudUtility(market, result.contract));
      expect(result.perES).toBeCloseTo(result.cloudUtility / market.esCount, 12);
      expect(result.gap).toBeLessThanOrEqual(1e-9);
      expect(result.gap).toBeGreaterThanOrEqual(0);
      expect(result.cloudUtility).toBeLessThanOrEqual(result.upperBound * (1 + 1e-12));
      expect(result.upperBound - result.cloudUtility).toBeLessThanOrEqual(1e-9 * Math.abs(result.upperBound));
      if (result.onGrid) {
        // on the dyadic grid the float contract is the exact one, so it is feasible as floats too
        expect(isFeasibleExact(exactMarket, toExactContract(result.contract))).toBe(true);
      }
    }
  });

  it('is feasible for an exact market as written (decimals that are not binary64 numbers)', async () => {
    const r = parseExactNumber;
    const market: ExactMarket = {
      theta: [r('0.3'), r('0.55'), r('0.9')],
      prior: [r('0.2'), r('0.5'), r('0.3')],
      transition: [
        [r('0.7'), r('0.2'), r('0.1')],
        [r('0.1'), r('0.8'), r('0.1')],
        [r('1/3'), r('1/3'), r('1/3')],
      ],
      a: r('1.1'),
      beta: r('9.7'),
      delta: r('0.85'),
      qMax: r('10'),
      esCount: 10,
    };
    const result = await solveOptimum(market);
    expect(isFeasibleExact(market, result.exactContract)).toBe(true);
    expect(result.gap).toBeLessThanOrEqual(1e-9);
  });

  it('scales U with N and nothing else', async () => {
    const [market] = sampleMarkets(91, 1);
    const one = await solveOptimum({ ...market!, esCount: 1 });
    const seven = await solveOptimum({ ...market!, esCount: 7 });
    expect(Math.abs(seven.cloudUtility - 7 * one.cloudUtility)).toBeLessThan(1e-12 * seven.cloudUtility);
    expect(Math.abs(seven.upperBound - 7 * one.upperBound)).toBeLessThan(1e-12 * seven.upperBound);
    expect(seven.perES).toBeCloseTo(one.perES, 12);
    expect(seven.exactContract).toEqual(one.exactContract);
  });

  it('is at least the composition lower bound on sampled markets', async () => {
    for (const market of sampled) {
      const result = await solveOptimum(market);
      const bound = compositionLowerBound(market);
      // the closed-form contract is feasible up to float rounding of its binding constraints...
      expect(violation(market, bound.contract)).toBeLessThan(1e-12);
      // ...and its allocation is exactly implementable: repair keeps it and loses nothing
      const repaired = await repairContract(toExactMarket(market), toExactContract(bound.contract));
      expect(repaired.changedAllocation).toBe(false);
      expect(repaired.cloudUtility).toBeGreaterThanOrEqual(bound.cloudUtility - 1e-12 * bound.cloudUtility);
      expect(result.cloudUtility).toBeGreaterThanOrEqual(bound.cloudUtility * (1 - 1e-12));
    }
  });

  it('beats the composition bound strictly with independent types (history-dependent menus help)', async () => {
    // Every row of P equals the prior: period-2 types do not depend on period-1 types, yet making
    // period-2 menus depend on the period-1 report relaxes period-1 incentive constraints.
    const prior = [0.3, 0.4, 0.3];
    const market: Market<number> = {
      theta: [0.3, 0.6, 1.0],
      prior,
      transition: [prior, prior, prior],
      a: 1,
      beta: 10,
      delta: 0.9,
      qMax: 10,
      esCount: 10,
    };
    const result = await solveOptimum(market);
    const bound = compositionLowerBound(market);
    expect(result.cloudUtility - bound.cloudUtility).toBeGreaterThan(0.01 * result.cloudUtility);
    // the optimum's period-2 menus differ across histories
    const rows = result.contract.period2.map((row) => row.map((item) => item.q));
    expect(rows[0]![0]).not.toBeCloseTo(rows[2]![0]!, 3);
  });

  it('handles zero-weight items (P[i][j] = 0 and delta = 0) and full persistence', async () => {
    const base: Market<number> = {
      theta: [0.25, 0.5, 0.8],
      prior: [0.3, 0.3, 0.4],
      transition: [
        [1, 0, 0],
        [0.5, 0, 0.5],
        [0, 0, 1],
      ],
      a: 1.3,
      beta: 8,
      delta: 1,
      qMax: 10,
      esCount: 5,
    };
    for (const market of [base, { ...base, delta: 0 }]) {
      const result = await solveOptimum(market);
      expect(isFeasibleExact(toExactMarket(market), result.exactContract)).toBe(true);
      expect(result.gap).toBeLessThanOrEqual(1e-9);
    }
  });

  it('rejects an invalid market with a ModelError naming the field', async () => {
    const [market] = sampleMarkets(5, 1);
    const bad = { ...market!, theta: [0.5, 0.4, 0.9] };
    await expect(solveOptimum(bad)).rejects.toThrow(ModelError);
    await expect(solveOptimum(bad)).rejects.toThrow(/market\.theta\[1\]/);
    await expect(solveOptimum(market!, { gapTolerance: 0 })).rejects.toThrow(/options\.gapTolerance/);
  });

  it('accepts the exact view of a float market and gives the same result', async () => {
    const [market] = sampleMarkets(8, 1);
    const fromFloat = await solveOptimum(market!);
    const fromExact = await solveOptimum(toExactMarket(market!));
    expect(fromExact.exactContract).toEqual(fromFloat.exactContract);
    expect(toFloatMarket(toExactMarket(market!))).toEqual(market);
  });
});
