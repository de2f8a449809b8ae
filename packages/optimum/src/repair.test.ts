import {
  type ExactContract,
  exactFromNumber,
  isFeasibleExact,
  ModelError,
  parseExactNumber,
  sampleMarkets,
  toDecimalContract,
  toDecimalMarket,
  toExactMarket,
  validateContract,
} from '@diffcontract/env';
import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { repairContract } from './repair.js';
import { solveOptimum } from './solve.js';

/** A sampled market (K = 2..4) and an arbitrary contract on it with exact q and rewards. */
const marketAndContract = fc
  .record({ seed: fc.integer({ min: 1, max: 1_000_000 }), K: fc.integer({ min: 2, max: 4 }) })
  .chain(({ seed, K }) => {
    const market = toExactMarket(sampleMarkets(seed, 1, { K })[0]!);
    const qMax = market.qMax.valueOf();
    const rewardMax = market.beta.valueOf() * Math.log1p(qMax);
    // q: binary64 values, short decimals, exact pools (repeated values), 0 and qMax
    const q = fc.oneof(
      fc.double({ min: 0, max: qMax, noNaN: true }).map(exactFromNumber),
      fc.integer({ min: 0, max: 1000 }).map((k) => new Fraction(k, 100).mul(market.qMax).div(10)),
      fc.constantFrom(new Fraction(0), market.qMax, new Fraction(1)),
    );
    const reward = fc.oneof(
      fc.double({ min: 0, max: rewardMax, noNaN: true }).map(exactFromNumber),
      fc.integer({ min: 0, max: 10_000 }).map((k) => new Fraction(k, 1000)),
    );
    const item = fc.record({ q, reward });
    const contract = fc.record({
      period1: fc.array(item, { minLength: K, maxLength: K }),
      period2: fc.array(fc.array(item, { minLength: K, maxLength: K }), { minLength: K, maxLength: K }),
    });
    return contract.map((c) => ({ market, contract: c as ExactContract }));
  });

function sameQ(a: ExactContract, b: ExactContract): boolean {
  const flat = (c: ExactContract) => [...c.period1, ...c.period2.flat()].map((it) => it.q);
  const qa = flat(a);
  const qb = flat(b);
  return qa.every((q, k) => q.equals(qb[k]!));
}

describe('repairContract', () => {
  it('always returns an exactly feasible, valid contract (property)', async () => {
    await fc.assert(
      fc.asyncProperty(marketAndContract, async ({ market, contract }) => {
        const result = await repairContract(market, contract);
        expect(isFeasibleExact(market, result.contract)).toBe(true);
        validateContract(market, result.contract);
        expect(result.changedAllocation).toBe(!sameQ(result.contract, contract));
        // repairing a feasible contract keeps its allocation and never lowers its utility
        const again = await repairContract(market, result.contract);
        expect(again.changedAllocation).toBe(false);
        expect(sameQ(again.contract, result.contract)).toBe(true);
        expect(again.cloudUtility).toBeGreaterThanOrEqual(result.cloudUtility);
        // ... and the first repair already paid the cloud-best rewards for the allocation it chose,
        // also when it had to move it (the nearest-allocation LP alone prices no rewards)
        expect(again.cloudUtility - result.cloudUtility).toBeLessThanOrEqual(
          1e-7 * Math.max(1, Math.abs(again.cloudUtility)),
        );
      }),
      { numRuns: 25, seed: 20240601 },
    );
  });

  it('keeps an optimal contract and its utility', async () => {
    for (const m of sampleMarkets(314, 4)) {
      const optimum = await solveOptimum(m);
      const market = toExactMarket(m);
      const result = await repairContract(market, optimum.exactContract);
      expect(result.changedAllocation).toBe(false);
      expect(sameQ(result.contract, optimum.exactContract)).toBe(true);
      expect(result.cloudUtility).toBeGreaterThanOrEqual(optimum.cloudUtility);
      expect(result.cloudUtility).toBeLessThanOrEqual(optimum.upperBound * (1 + 1e-12));
    }
  });

  it('keeps an implementable allocation and recomputes cloud-best rewards', async () => {
    for (const m of sampleMarkets(2718, 4)) {
      const optimum = await solveOptimum(m);
      const market = toExactMarket(m);
      // same q, rewards all zero: infeasible (IR fails) but the allocation is implementable
      const zeroed: ExactContract = {
        period1: optimum.exactContract.period1.map((it) => ({ q: it.q, reward: new Fraction(0) })),
        period2: optimum.exactContract.period2.map((row) =>
          row.map((it) => ({ q: it.q, reward: new Fraction(0) })),
        ),
      };
      expect(isFeasibleExact(market, zeroed)).toBe(false);
      const result = await repairContract(market, zeroed);
      expect(result.changedAllocation).toBe(false);
      expect(sameQ(result.contract, zeroed)).toBe(true);
      expect(isFeasibleExact(market, result.contract)).toBe(true);
      // the optimum's rewards are cloud-best for its allocation, so repair recovers U*
      expect(Math.abs(result.cloudUtility - optimum.cloudUtility)).toBeLessThan(1e-9 * optimum.cloudUtility);
    }
  });

  it('moves a non-implementable allocation and keeps the items it does not need to move', async () => {
    const m = sampleMarkets(99, 1)[0]!;
    const market = toExactMarket(m);
    const optimum = await solveOptimum(m);
    const broken = structuredClone(optimum.exactContract) as ExactContract;
    // swap two period-2 contributions of history 0: type 0 would produce more than type 2
    const row = optimum.exactContract.period2[0]!;
    broken.period2 = optimum.exactContract.period2.map((r) => r.map((it) => ({ ...it })));
    broken.period1 = optimum.exactContract.period1.map((it) => ({ ...it }));
    broken.period2[0]![0] = { q: row[2]!.q, reward: row[0]!.reward };
    broken.period2[0]![2] = { q: row[0]!.q, reward: row[2]!.reward };
    const result = await repairContract(market, broken);
    expect(result.changedAllocation).toBe(true);
    expect(isFeasibleExact(market, result.contract)).toBe(true);
    // other histories were implementable as they stood; the L1-nearest allocation leaves them
    for (const i of [1, 2]) {
      result.contract.period2[i]!.forEach((it, j) => {
        expect(it.q.equals(broken.period2[i]![j]!.q)).toBe(true);
      });
    }
    // the swapped pair is pooled back into order: q2[0][0] <= q2[0][1] <= q2[0][2]
    const qs = result.contract.period2[0]!.map((it) => it.q);
    expect(qs[0]!.lte(qs[1]!) && qs[1]!.lte(qs[2]!)).toBe(true);
  });

  it('pays cloud-best rewards after moving a non-implementable allocation', async () => {
    // tiny, non-monotone contributions with generous rewards: q cannot be kept, and the moved
    // allocation must not inherit the merely feasible rewards of the nearest-allocation LP
    const market = toExactMarket(sampleMarkets(7, 1, { K: 3 })[0]!);
    const item = (q: string, reward: string) => ({
      q: parseExactNumber(q),
      reward: parseExactNumber(reward),
    });
    const row = [item('0.05', '6'), item('0.01', '9'), item('0.03', '4')];
    const contract: ExactContract = { period1: row, period2: [row, row, row] };
    const result = await repairContract(market, contract);
    expect(result.changedAllocation).toBe(true);
    const again = await repairContract(market, result.contract);
    expect(again.changedAllocation).toBe(false);
    expect(again.cloudUtility - result.cloudUtility).toBeLessThanOrEqual(
      1e-7 * Math.max(1, Math.abs(again.cloudUtility)),
    );
  });

  it('does not pay runaway rents next to a degenerate boundary (regression)', async () => {
    // A raw policy output (seen in training): type 2 alone gets a period-1 contribution. The nearest
    // implementable allocation keeps that shape, which only period-2 rents can screen; before the
    // fix the exact construction sat on the boundary and paid rewards of ~7900 per item (U about
    // -2600 U*). Bound used here: no cloud-sensible reward exceeds R_max = beta ln(1 + qMax),
    // the valuation of the largest contribution (model.md section 6's reward range).
    const market = toDecimalMarket({
      theta: [0.3079225586346193, 0.41736802899658837, 0.5114076200444648],
      prior: [0.3630138106281873, 0.4182402591968989, 0.21874593017491373],
      transition: [
        [0.9020705928466209, 0.03561031903637045, 0.062319088117008606],
        [0.3443945690175371, 0.4845102255603082, 0.17109520542215464],
        [0.18739109422305025, 0.23893847586023081, 0.5736704299167189],
      ],
      a: 1.9282144383781832,
      beta: 8.024312296360737,
      delta: 0.652579056207053,
      qMax: 10,
      esCount: 10,
    });
    const item = (q: number, reward: number) => ({ q, reward });
    const contract = toDecimalContract({
      period1: [
        item(0, 0.1463471024808021),
        item(0.9019941091537476, 15.585173059675284),
        item(0, 0.07129066031180639),
      ],
      period2: [
        [
          item(0, 17.606316982190634),
          item(0, 17.533069170443074),
          item(0.5341160297393799, 19.24146052290125),
        ],
        [
          item(0, 1.460345202224872),
          item(0, 1.0086652725603775),
          item(0.06722122430801392, 1.7527876669344118),
        ],
        [
          item(0, 17.184484615441733),
          item(0, 17.598366233682956),
          item(0.49985647201538086, 19.04502915250406),
        ],
      ],
    });
    const repaired = await repairContract(market, contract);
    expect(repaired.changedAllocation).toBe(true);
    expect(isFeasibleExact(market, repaired.contract)).toBe(true);
    const rewardMax = market.beta.valueOf() * Math.log1p(10);
    const rewards = [...repaired.contract.period1, ...repaired.contract.period2.flat()].map((it) =>
      it.reward.valueOf(),
    );
    expect(Math.max(...rewards)).toBeLessThan(rewardMax);
    expect(repaired.cloudUtility).toBeGreaterThan(0);
  });

  it('rejects a malformed contract with a ModelError naming the field', async () => {
    const market = toExactMarket(sampleMarkets(3, 1)[0]!);
    const zero = { q: parseExactNumber('0'), reward: parseExactNumber('0') };
    const row = [zero, zero, zero];
    const bad = {
      period1: row,
      period2: [row, row, [zero, { q: parseExactNumber('11'), reward: zero.reward }, zero]],
    };
    await expect(repairContract(market, bad)).rejects.toThrow(ModelError);
    await expect(repairContract(market, bad)).rejects.toThrow(/contract\.period2\[2\]\[1\]\.q/);
  });
});
