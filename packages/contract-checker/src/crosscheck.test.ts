import {
  type ConstraintFamily,
  constraintInstances,
  type ExactContract,
  type ExactMarket,
  exactField,
  type Rational,
  stageUtility,
} from '@diffcontract/env';
import fc from 'fast-check';
import Fraction from 'fraction.js';
import { afterAll, expect, it } from 'vitest';
import { checkContract, type IicMethod, shutdownZ3 } from './index.js';

afterAll(shutdownZ3);

const rat = (n: number, d: number): Rational => new Fraction(BigInt(n), BigInt(d));
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

const caseArb = fc
  .constantFrom(2, 3)
  .chain((K) => marketArb(K))
  .chain((market) =>
    fc
      .record({ contract: contractArb(market), iicMethod: fc.constantFrom<IicMethod>('identity', 'all') })
      .map((r) => ({ market, ...r })),
  );

/** The largest gain of any (i, i', sigma) IIC deviation, by enumerating all K^K strategies. */
function worstIicGain(m: ExactMarket, c: ExactContract): Rational {
  const K = m.theta.length;
  const u = (k: number, it: { q: Rational; reward: Rational }) =>
    stageUtility(exactField, m.theta[k]!, m.a, it);
  let worst: Rational | undefined;
  for (let code = 0; code < K ** K; code++) {
    const sigma = [...Array(K).keys()].map((j) => Math.floor(code / K ** j) % K);
    for (let i = 0; i < K; i++) {
      for (let iPrime = 0; iPrime < K; iPrime++) {
        let gain = u(i, c.period1[iPrime]!).sub(u(i, c.period1[i]!));
        for (let j = 0; j < K; j++) {
          const w = m.delta.mul(m.transition[i]![j]!);
          gain = gain.add(w.mul(u(j, c.period2[iPrime]![sigma[j]!]!).sub(u(j, c.period2[i]![j]!))));
        }
        if (worst === undefined || gain.compare(worst) > 0) worst = gain;
      }
    }
  }
  return worst!;
}

it('agrees with exact rational evaluation of every constraint instance on 200 random contracts', async () => {
  const samples = fc.sample(caseArb, { numRuns: 200, seed: 20240601 });
  let feasible = 0;
  const violatedFamilies = new Map<ConstraintFamily, number>();
  for (const { market, contract, iicMethod } of samples) {
    const instances = constraintInstances(market, contract, exactField);
    const expected = new Map<ConstraintFamily, Rational | null>();
    for (const family of ['IR1', 'IR2', 'IC2'] as const) {
      // worst gain rhs - lhs = -slack over the family, null when no instance is violated
      const gains = instances.filter((c) => c.family === family).map((c) => c.slack.neg());
      const worst = gains.reduce((w, g) => (g.compare(w) > 0 ? g : w));
      expected.set(family, worst.compare(0) > 0 ? worst : null);
    }
    const iic = worstIicGain(market, contract);
    expected.set('IIC', iic.compare(0) > 0 ? iic : null);
    if (expected.get('IC2') === null) {
      // with IC2 holding, the sigma = identity instances of env decide IIC on their own
      const identity = instances.filter((c) => c.family === 'IIC').some((c) => c.slack.compare(0) < 0);
      expect(identity).toBe(expected.get('IIC') !== null);
    }

    const cert = await checkContract(market, contract, { iicMethod });
    const context = () =>
      JSON.stringify({ market, contract, iicMethod, cert }, (_k, v) =>
        v instanceof Fraction ? v.toFraction() : v,
      );
    for (const [family, gain] of expected) {
      const result = cert.families[family];
      if (gain === null) {
        expect(result.status, context()).toBe('proved');
      } else {
        violatedFamilies.set(family, (violatedFamilies.get(family) ?? 0) + 1);
        expect(result.status, context()).toBe('violated');
        expect(result.counterexample!.worst, context()).toBe(true);
        expect(result.counterexample!.gain.fraction, context()).toBe(gain.toFraction());
      }
    }
    const anyViolated = [...expected.values()].some((g) => g !== null);
    expect(cert.verdict).toBe(anyViolated ? 'violated' : 'certified');
    if (!anyViolated) feasible++;
  }
  // the sample really mixes feasible and infeasible contracts and exercises every family
  expect(feasible).toBeGreaterThanOrEqual(40);
  expect(200 - feasible).toBeGreaterThanOrEqual(40);
  for (const family of ['IR1', 'IR2', 'IC2', 'IIC'] as const) {
    expect(violatedFamilies.get(family) ?? 0).toBeGreaterThanOrEqual(10);
  }
});
