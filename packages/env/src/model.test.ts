import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { constraintCount } from './constraints.js';
import { toExactContract, toExactMarket } from './exact.js';
import { exactField, floatField } from './field.js';
import {
  cloudUtility,
  constraintInstances,
  isFeasibleExact,
  stageUtility,
  violation,
  worstConstraint,
} from './model.js';
import { sampleMarkets } from './sampler.js';
import type { Contract, Market } from './types.js';

/*
 * Hand-computed K = 2 case. theta = (1/2, 1), a = 1, so u(theta; q, R) = R - q^2/theta:
 * type 0 pays 2 q^2, type 1 pays q^2.
 * period1: (q=1, R=2), (q=2, R=5); period2 row 0: (1, 2), (2, 4); row 1: (1, 3), (2, 5).
 *
 * IR1: u(t0; 1, 2) = 2 - 2 = 0; u(t1; 2, 5) = 5 - 4 = 1.
 * IR2 (truthful period-2 utilities t[i][j] = u(theta_j; period2[i][j])):
 *   t[0][0] = 2 - 2 = 0, t[0][1] = 4 - 4 = 0, t[1][0] = 3 - 2 = 1, t[1][1] = 5 - 4 = 1.
 * IC2: (i0, j0 -> j1): 0 vs u(t0; 2, 4) = 4 - 8 = -4      slack 4
 *      (i0, j1 -> j0): 0 vs u(t1; 1, 2) = 2 - 1 = 1        slack -1
 *      (i1, j0 -> j1): 1 vs u(t0; 2, 5) = 5 - 8 = -3       slack 4
 *      (i1, j1 -> j0): 1 vs u(t1; 1, 3) = 3 - 1 = 2        slack -1
 * IIC, delta = 1/2, P = [[3/4, 1/4], [1/4, 3/4]], cont(i, i') = delta sum_j P[i][j] t[i'][j]:
 *   cont(0,0) = 0, cont(0,1) = 1/2 (3/4 + 1/4) = 1/2, cont(1,1) = 1/2, cont(1,0) = 0.
 *   (0 -> 1): lhs 0 + 0 = 0,     rhs u(t0; 2, 5) + 1/2 = -3 + 1/2 = -5/2   slack 5/2
 *   (1 -> 0): lhs 1 + 1/2 = 3/2, rhs u(t1; 1, 2) + 0 = 1                   slack 1/2
 * viol = 1 + 1 = 2.
 * U with N = 2, pi = (1/2, 1/2), v(q) = 10 ln(1 + q), v1 = v(1), v2 = v(2):
 *   i0: v1 - 2 + 1/2 (3/4 (v1 - 2) + 1/4 (v2 - 4)) = 11/8 v1 + 1/8 v2 - 13/4
 *   i1: v2 - 5 + 1/2 (1/4 (v1 - 3) + 3/4 (v2 - 5)) = 1/8 v1 + 11/8 v2 - 29/4
 *   U = 2 * 1/2 * (sum) = 3/2 (v1 + v2) - 21/2 = 15 ln 6 - 10.5.
 */
const market: Market = {
  theta: [0.5, 1],
  prior: [0.5, 0.5],
  transition: [
    [0.75, 0.25],
    [0.25, 0.75],
  ],
  a: 1,
  beta: 10,
  delta: 0.5,
  qMax: 10,
  esCount: 2,
};
const contract: Contract = {
  period1: [
    { q: 1, reward: 2 },
    { q: 2, reward: 5 },
  ],
  period2: [
    [
      { q: 1, reward: 2 },
      { q: 2, reward: 4 },
    ],
    [
      { q: 1, reward: 3 },
      { q: 2, reward: 5 },
    ],
  ],
};

const expectedSlacks: [string, number][] = [
  ['IR1 i0', 0],
  ['IR1 i1', 1],
  ['IR2 i0 j0', 0],
  ['IR2 i0 j1', 0],
  ['IR2 i1 j0', 1],
  ['IR2 i1 j1', 1],
  ['IC2 i0 j0 j1', 4],
  ['IC2 i0 j1 j0', -1],
  ['IC2 i1 j0 j1', 4],
  ['IC2 i1 j1 j0', -1],
  ['IIC i0 i1', 2.5],
  ['IIC i1 i0', 0.5],
];

function label(c: { family: string; i: number; j?: number; jPrime?: number; iPrime?: number }): string {
  const parts = [c.family, `i${c.i}`];
  if (c.j !== undefined) parts.push(`j${c.j}`);
  if (c.jPrime !== undefined) parts.push(`j${c.jPrime}`);
  if (c.iPrime !== undefined) parts.push(`i${c.iPrime}`);
  return parts.join(' ');
}

describe('hand-computed K = 2 contract', () => {
  it('stage utility is R - a q^2 / theta', () => {
    expect(stageUtility(floatField, 0.5, 1, { q: 2, reward: 5 })).toBe(-3);
    expect(stageUtility(floatField, 0.8, 2, { q: 1, reward: 3 })).toBeCloseTo(0.5, 15);
  });

  it('float instances, in the documented order, have the hand-computed slacks', () => {
    const got = constraintInstances(market, contract, floatField).map((c) => [label(c), c.slack]);
    expect(got).toEqual(expectedSlacks);
  });

  it('exact instances give the same slacks as rationals, with lhs - rhs = slack', () => {
    const exact = constraintInstances(toExactMarket(market), toExactContract(contract), exactField);
    expect(exact.map((c) => [label(c), c.slack.toFraction()])).toEqual(
      expectedSlacks.map(([l, s]) => [l, new Fraction(s).toFraction()]),
    );
    for (const c of exact) expect(c.lhs.sub(c.rhs).equals(c.slack)).toBe(true);
    const iic = exact.find((c) => c.family === 'IIC' && c.i === 1)!;
    expect(iic.lhs.toFraction()).toBe('3/2');
    expect(iic.rhs.toFraction()).toBe('1');
  });

  it('violation, worst constraint, feasibility and cloud utility', () => {
    expect(violation(market, contract)).toBe(2);
    const worst = worstConstraint(market, contract, floatField);
    expect(label(worst)).toBe('IC2 i0 j1 j0');
    expect(isFeasibleExact(toExactMarket(market), toExactContract(contract))).toBe(false);
    expect(cloudUtility(market, contract)).toBeCloseTo(15 * Math.log(6) - 10.5, 12);
  });

  it('raising the off-diagonal period-2 rewards removes exactly the IC2 violations', () => {
    // R2[i][1] + 1 for both rows makes type 1 indifferent in period 2 (IC2 slack 0). In IIC(i -> i')
    // both cont(i, i) and cont(i, i') rise by delta P[i][1] (t[0] = (0, 1), t[1] = (1, 2)):
    // (0 -> 1): lhs 0 + 1/8, rhs -3 + 5/8, slack 5/2; (1 -> 0): lhs 1 + 7/8, rhs 1 + 3/8, slack 1/2.
    // The j0 -> j1 deviations now pay one more too: slack 3 instead of 4.
    const fixed = structuredClone(contract);
    fixed.period2[0]![1]!.reward = 5;
    fixed.period2[1]![1]!.reward = 6;
    const exact = constraintInstances(toExactMarket(market), toExactContract(fixed), exactField);
    const iic = exact.filter((c) => c.family === 'IIC').map((c) => c.slack.toFraction());
    expect(iic).toEqual(['5/2', '1/2']);
    expect(exact.filter((c) => c.family === 'IC2').map((c) => c.slack.toFraction())).toEqual([
      '3',
      '0',
      '3',
      '0',
    ]);
    expect(isFeasibleExact(toExactMarket(market), toExactContract(fixed))).toBe(true);
    expect(violation(market, fixed)).toBe(0);
  });
});

function randomContract(m: Market, unit: number[]): Contract {
  const K = m.theta.length;
  let t = 0;
  const item = () => ({ q: m.qMax * unit[t++]!, reward: 3 * m.beta * unit[t++]! });
  return {
    period1: Array.from({ length: K }, item),
    period2: Array.from({ length: K }, () => Array.from({ length: K }, item)),
  };
}

const markets = sampleMarkets(11, 40);
const arbitraryCase = fc.record({
  market: fc.constantFrom(...markets),
  unit: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
});

describe('properties', () => {
  it('float and exact evaluation agree (float error only)', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ market: m, unit }) => {
        const c = randomContract(m, unit);
        const fl = constraintInstances(m, c, floatField);
        const ex = constraintInstances(toExactMarket(m), toExactContract(c), exactField);
        expect(fl.length).toBe(constraintCount(3));
        expect(ex.length).toBe(fl.length);
        fl.forEach((f, k) => {
          expect(label(ex[k]!)).toBe(label(f));
          expect(Math.abs(f.slack - exactField.toNumber(ex[k]!.slack))).toBeLessThan(1e-10 * (1 + m.beta));
        });
      }),
      { numRuns: 60 },
    );
  });

  it('U scales linearly with N and nothing else moves', () => {
    fc.assert(
      fc.property(arbitraryCase, fc.integer({ min: 1, max: 1000 }), ({ market: m, unit }, n) => {
        const c = randomContract(m, unit);
        const one = cloudUtility({ ...m, esCount: 1 }, c);
        expect(cloudUtility({ ...m, esCount: n }, c)).toBeCloseTo(n * one, 9);
        expect(violation({ ...m, esCount: n }, c)).toBe(violation({ ...m, esCount: 1 }, c));
      }),
      { numRuns: 40 },
    );
  });

  it('violation is the sum of negative slacks and zero iff exactly feasible (away from ties)', () => {
    fc.assert(
      fc.property(arbitraryCase, ({ market: m, unit }) => {
        const c = randomContract(m, unit);
        const slacks = constraintInstances(m, c, floatField).map((x) => x.slack);
        const expected = slacks.reduce((s, x) => s + Math.max(0, -x), 0);
        expect(violation(m, c)).toBeCloseTo(expected, 12);
        if (Math.min(...slacks.map(Math.abs)) > 1e-9) {
          expect(isFeasibleExact(toExactMarket(m), toExactContract(c))).toBe(violation(m, c) === 0);
        }
      }),
      { numRuns: 60 },
    );
  });

  it('the all-zero contract is feasible and worth nothing', () => {
    const zero = randomContract(markets[0]!, new Array(24).fill(0));
    expect(isFeasibleExact(toExactMarket(markets[0]!), toExactContract(zero))).toBe(true);
    expect(cloudUtility(markets[0]!, zero)).toBe(0);
  });
});
