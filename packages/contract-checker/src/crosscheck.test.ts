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
import { checkContract, shutdownZ3 } from './index.js';
import { caseArb } from './test-arbitraries.js';

afterAll(shutdownZ3);

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
