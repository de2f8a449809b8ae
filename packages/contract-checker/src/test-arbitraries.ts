/**
 * Random K = 2, 3 markets and contracts of several kinds (feasible, nudged, arbitrary), shared by the
 * rational cross-check and the concurrency test.
 */
import type { ExactContract, ExactMarket, Rational } from '@diffcontract/env';
import fc from 'fast-check';
import Fraction from 'fraction.js';
import type { IicMethod } from './index.js';

export const rat = (n: number, d: number): Rational => new Fraction(BigInt(n), BigInt(d));
/** small rationals n/d in [0, max] with d in {1, 2, 3, 4, 5, 8, 10} */
const smallRational = (max: number) =>
  fc
    .tuple(fc.constantFrom(1, 2, 3, 4, 5, 8, 10), fc.double({ min: 0, max: 1, noNaN: true }))
    .map(([d, u]) => rat(Math.round(u * max * d), d));
/** K nonnegative weights normalised exactly; zero entries appear often (zero-probability histories) */
const distribution = (K: number, allowZero: boolean) =>
  fc.array(fc.integer({ min: allowZero ? 0 : 1, max: 4 }), { minLength: K, maxLength: K }).map((w) => {
    const weights = w.some((v) => v > 0) ? w : w.map((_, k) => (k === 0 ? 1 : 0));
    const sum = weights.reduce((s, v) => s + v, 0);
    return weights.map((v) => rat(v, sum));
  });

const marketArb = (K: number): fc.Arbitrary<ExactMarket> =>
  fc
    .record({
      gaps: fc.array(
        smallRational(1).filter((r) => r.n > 0n),
        { minLength: K, maxLength: K },
      ),
      prior: distribution(K, false),
      transition: fc.array(distribution(K, true), { minLength: K, maxLength: K }),
      a: fc.constantFrom(rat(1, 2), rat(1, 1), rat(3, 2), rat(2, 1)),
      delta: fc.constantFrom(rat(0, 1), rat(1, 2), rat(9, 10), rat(1, 1)),
    })
    .map(({ gaps, prior, transition, a, delta }) => {
      const theta: Rational[] = [];
      gaps.reduce(
        (acc, g) => {
          const next = acc.add(g);
          theta.push(next);
          return next;
        },
        rat(0, 1),
      );
      return { theta, prior, transition, a, beta: rat(10, 1), delta, qMax: rat(10, 1), esCount: 10 };
    });

/** the binding static menu (IR of type 0 and downward adjacent IC bind) for sorted q */
function bindingMenu(m: ExactMarket, q: Rational[]) {
  let reward = rat(0, 1);
  return q.map((qk, k) => {
    const previous = k === 0 ? rat(0, 1) : q[k - 1]!;
    reward = reward.add(m.a.mul(qk.mul(qk).sub(previous.mul(previous))).div(m.theta[k]!));
    return { q: qk, reward };
  });
}

const sortedQ = (K: number) =>
  fc.array(smallRational(4), { minLength: K, maxLength: K }).map((q) => [...q].sort((x, y) => x.compare(y)));

/**
 * Contracts of several kinds so that feasible and infeasible ones, and every family's failures,
 * all occur: history-independent binding menus (feasible), history-dependent binding menus (IC2
 * holds, IIC may fail), those with one number nudged, and arbitrary items.
 */
const contractArb = (m: ExactMarket): fc.Arbitrary<ExactContract> => {
  const K = m.theta.length;
  const composition = fc.tuple(sortedQ(K), sortedQ(K)).map(([q1, q2]) => {
    const second = bindingMenu(m, q2);
    return { period1: bindingMenu(m, q1), period2: m.theta.map(() => second.map((it) => ({ ...it }))) };
  });
  const historyDependent = fc
    .tuple(sortedQ(K), fc.array(sortedQ(K), { minLength: K, maxLength: K }))
    .map(([q1, rows]) => ({ period1: bindingMenu(m, q1), period2: rows.map((q) => bindingMenu(m, q)) }));
  const item = fc.record({ q: smallRational(3), reward: smallRational(6) });
  const arbitrary = fc.record({
    period1: fc.array(item, { minLength: K, maxLength: K }),
    period2: fc.array(fc.array(item, { minLength: K, maxLength: K }), { minLength: K, maxLength: K }),
  });
  const nudged = fc
    .tuple(fc.oneof(composition, historyDependent), fc.nat(), fc.constantFrom(rat(1, 1000), rat(-1, 1000)))
    .map(([c, where, by]) => {
      const items = [...c.period1, ...c.period2.flat()];
      const target = items[where % items.length]!;
      const raised = target.reward.add(by);
      target.reward = raised.s < 0n && raised.n !== 0n ? rat(0, 1) : raised;
      return c;
    });
  return fc.oneof(
    { arbitrary: composition, weight: 1 },
    { arbitrary: historyDependent, weight: 1 },
    { arbitrary: nudged, weight: 2 },
    { arbitrary, weight: 2 },
  );
};

export const caseArb = fc
  .constantFrom(2, 3)
  .chain((K) => marketArb(K))
  .chain((market) =>
    fc
      .record({ contract: contractArb(market), iicMethod: fc.constantFrom<IicMethod>('identity', 'all') })
      .map((r) => ({ market, ...r })),
  );
