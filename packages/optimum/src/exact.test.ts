import {
  exactFromNumber,
  isFeasibleExact,
  type Rational,
  sampleMarkets,
  toExactContract,
  toExactMarket,
} from '@diffcontract/env';
import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { closeRewards, exactAllocation, feasibleExact } from './closure.js';
import { exactDualSimplex } from './exactdual.js';
import { qFromNumber } from './finalize.js';
import { flattenContract } from './items.js';
import { ceilToGrid, Rat, ratMarket, ratToNumber, roundToGrid } from './rational.js';

const rational = fc
  .tuple(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.bigInt({ min: 1n, max: 10n ** 30n }))
  .map(([n, d]) => new Fraction(n, d));

describe('Rat (lean rationals)', () => {
  it('agrees with fraction.js on + - * / and comparison (property)', () => {
    fc.assert(
      fc.property(rational, rational, (a, b) => {
        const qa = Rat.of(a);
        const qb = Rat.of(b);
        expect(qa.add(qb).toFraction().equals(a.add(b))).toBe(true);
        expect(qa.sub(qb).toFraction().equals(a.sub(b))).toBe(true);
        expect(qa.mul(qb).toFraction().equals(a.mul(b))).toBe(true);
        if (b.n !== 0n) expect(qa.div(qb).toFraction().equals(a.div(b))).toBe(true);
        expect(Math.sign(qa.cmp(qb))).toBe(Math.sign(a.compare(b)));
        expect(Math.abs(ratToNumber(qa) - a.valueOf())).toBeLessThanOrEqual(1e-14 * Math.abs(a.valueOf()));
      }),
      { numRuns: 300, seed: 7 },
    );
  });

  it('qFromNumber is the exact binary64 value, and ratToNumber takes it back', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const q = qFromNumber(x);
        expect(q.toFraction().equals(exactFromNumber(x))).toBe(true);
        expect(ratToNumber(q)).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 500, seed: 3 },
    );
  });

  it('rounds to the dyadic grid: ceil is the least grid point >= r, round the nearest', () => {
    fc.assert(
      fc.property(rational, (a) => {
        const grid = 1n << 20n;
        const step = new Fraction(1n, grid);
        const up = ceilToGrid(Rat.of(a), grid).toFraction();
        expect(up.gte(a) && up.sub(step).lt(a)).toBe(true);
        const near = roundToGrid(Rat.of(a), grid).toFraction();
        expect(near.sub(a).abs().lte(step.div(2))).toBe(true);
      }),
      { numRuns: 200, seed: 8 },
    );
  });
});

/** Two-type static market (delta = 0): the closure's answer can be written down by hand. */
describe('closeRewards', () => {
  const market = toExactMarket({
    theta: [0.5, 1],
    prior: [0.5, 0.5],
    transition: [
      [0.5, 0.5],
      [0.5, 0.5],
    ],
    a: 1,
    beta: 10,
    delta: 0,
    qMax: 10,
    esCount: 1,
  });
  const qm = ratMarket(market);
  const q = [1, 2, 1, 2, 1, 2].map((v) => Rat.int(BigInt(v)));
  const x = exactAllocation(qm, q);

  it('gives IR binding for the low type and downward IC binding for the high type', () => {
    const zero = q.map(() => Rat.int(0n));
    const reward = closeRewards(qm, x, zero, null)!;
    // R_1 = x_1 / theta_1 = 2; R_2 = R_1 + (x_2 - x_1) / theta_2 = 2 + 3 = 5, in both periods
    expect(reward.map((r) => r.toFraction().valueOf())).toEqual([2, 5, 2, 5, 2, 5]);
    expect(feasibleExact(qm, x, reward)).toBe(true);
  });

  it('only raises rewards, keeping a start that is already feasible', () => {
    const start = [3, 7, 2, 6, 2.5, 5.5].map((v) => Rat.of(exactFromNumber(v)));
    const reward = closeRewards(qm, x, start, null)!;
    expect(reward.map((r) => r.toFraction().valueOf())).toEqual([3, 7, 2, 6, 2.5, 5.5]);
  });

  it('finds no rewards for a decreasing allocation (positive cycle)', () => {
    const decreasing = [2, 1, 1, 2, 1, 2].map((v) => Rat.int(BigInt(v)));
    const zero = q.map(() => Rat.int(0n));
    expect(closeRewards(qm, exactAllocation(qm, decreasing), zero, null)).toBeNull();
  });
});

describe('feasibleExact', () => {
  it("agrees with env's isFeasibleExact on random and near-feasible contracts (property)", () => {
    const markets = sampleMarkets(1234, 5);
    const arbitrary = fc
      .record({
        m: fc.integer({ min: 0, max: markets.length - 1 }),
        values: fc.array(fc.double({ min: 0, max: 3, noNaN: true }), { minLength: 24, maxLength: 24 }),
        closed: fc.boolean(),
        bump: fc.constantFrom(0, 1e-12, -1e-12),
        bumped: fc.integer({ min: 0, max: 11 }),
      })
      .map(({ m, values, closed, bump, bumped }) => {
        const market = toExactMarket(markets[m]!);
        const qm = ratMarket(market);
        // sorted q per block make the allocation implementable, so the closure gives a feasible
        // contract on which random reward bumps then land either side of the boundary
        const q = values.slice(0, 12).map((v) => Rat.of(exactFromNumber(v)));
        let reward = values.slice(12).map((v) => Rat.of(exactFromNumber(v)));
        if (closed) {
          // sorted period-1 q and one sorted period-2 row shared by all histories: implementable,
          // and the closure from zero rewards makes it exactly feasible; then one reward moves
          // by +-1e-12 (or not), landing either side of the boundary
          const first = q.slice(0, 3).sort((a, b) => a.cmp(b));
          const second = q.slice(3, 6).sort((a, b) => a.cmp(b));
          q.splice(0, 12, ...first, ...second, ...second, ...second);
          const zero = q.map(() => Rat.int(0n));
          reward = closeRewards(qm, exactAllocation(qm, q), zero, null)!;
          reward[bumped] = reward[bumped]!.add(Rat.of(exactFromNumber(bump)));
        }
        return { market, q, reward };
      });
    const verdicts = new Set<boolean>();
    fc.assert(
      fc.property(arbitrary, ({ market, q, reward }) => {
        const qm = ratMarket(market);
        const contract = {
          period1: [0, 1, 2].map((v) => ({ q: q[v]!.toFraction(), reward: reward[v]!.toFraction() })),
          period2: [0, 1, 2].map((i) =>
            [0, 1, 2].map((j) => ({
              q: q[3 + 3 * i + j]!.toFraction(),
              reward: reward[3 + 3 * i + j]!.toFraction(),
            })),
          ),
        };
        const verdict = isFeasibleExact(market, contract);
        verdicts.add(verdict);
        expect(feasibleExact(qm, exactAllocation(qm, q), reward)).toBe(verdict);
      }),
      { numRuns: 60, seed: 9 },
    );
    // both verdicts occur, so the agreement is not vacuous
    expect([...verdicts].sort()).toEqual([false, true]);
  });

  it('reads the flat item order of items.ts', () => {
    const market = sampleMarkets(5, 1)[0]!;
    const items = flattenContract(
      toExactContract({
        period1: [1, 2, 3].map((q) => ({ q, reward: q })),
        period2: [0, 1, 2].map((i) => [1, 2, 3].map((q) => ({ q: q + 10 * (i + 1), reward: 0 }))),
      }),
    );
    expect(items.map((it: { q: Rational }) => it.q.valueOf())).toEqual([
      1, 2, 3, 11, 12, 13, 21, 22, 23, 31, 32, 33,
    ]);
    expect(market.theta.length).toBe(3);
  });
});

describe('exactDualSimplex', () => {
  // min u0 + u1 s.t. u0 + u1 >= 1, u0 - u1 >= 0 (rows 0, 1), u >= 0 (rows 2, 3): optimum cost 1.
  const one = Rat.int(1n);
  const rows = [
    {
      coef: new Map([
        [0, one],
        [1, one],
      ]),
      rhs: one,
    },
    {
      coef: new Map([
        [0, one],
        [1, Rat.int(-1n)],
      ]),
      rhs: Rat.int(0n),
    },
    { coef: new Map([[0, one]]), rhs: Rat.int(0n) },
    { coef: new Map([[1, one]]), rhs: Rat.int(0n) },
  ];
  const cost = [Rat.int(1n), Rat.int(2n)];

  it('pivots from an infeasible dual-feasible start to the optimum', () => {
    // start at u = 0 (rows 2, 3 active): dual feasible, violates row 0
    const u = exactDualSimplex(2, rows, cost, [2, 3])!;
    expect(u.map((v) => v.toFraction().valueOf())).toEqual([1, 0]);
  });

  it('proves infeasibility', () => {
    const infeasible = [
      ...rows,
      { coef: new Map([[0, Rat.int(-1n)]]), rhs: Rat.int(-0n) },
      { coef: new Map([[1, Rat.int(-1n)]]), rhs: Rat.int(0n) },
    ];
    // u0 <= 0 and u1 <= 0 contradict u0 + u1 >= 1
    expect(exactDualSimplex(2, infeasible, cost, [2, 3])).toBeNull();
  });
});
