import Fraction from 'fraction.js';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, it } from 'vitest';
import { priceAllocation } from './allocation.js';
import { exactFromNumber, toDecimalMarket } from './exact.js';
import { isFeasibleExact } from './model.js';
import { priceAllocationExactly } from './pricing-exact.js';
import { sampleMarkets } from './sampler.js';

const f = (x: string) => new Fraction(x);

describe('priceAllocationExactly', () => {
  it('two-type static screening: the hand-computed rewards and information rent, exactly', () => {
    // theta (1/2, 1), prior (1/2, 1/2), delta 0: IR of the low type and its IC bind
    const market = {
      theta: [f('1/2'), f('1')],
      prior: [f('1/2'), f('1/2')],
      transition: [
        [f('1'), f('0')],
        [f('0'), f('1')],
      ],
      a: f('1'),
      beta: f('10'),
      delta: f('0'),
      qMax: f('10'),
      esCount: 1,
    };
    // q_lo = 1, q_hi = 3/2: x = (1, 9/4); R_hi = 9/4 + x_lo (1/theta1 - 1/theta2) = 13/4
    const q = [f('1'), f('3/2'), f('0'), f('0'), f('0'), f('0')];
    const r = priceAllocationExactly(market, q)!;
    expect(r).not.toBeNull();
    expect(r.contract.period1.map((it) => it.reward.toFraction())).toEqual(['2', '13/4']);
    expect(r.cost.toFraction()).toBe('21/8');
    expect(isFeasibleExact(market, r.contract)).toBe(true);
  });

  it('an allocation that is not implementable (q1 decreasing in type) gives null', () => {
    const market = toDecimalMarket(sampleMarkets(5, 1)[0]!);
    const q = ['2', '1', '0.5', '0.4', '0.4', '0.4', '0.6', '0.6', '0.6', '0.8', '0.8', '0.8'].map(f);
    expect(priceAllocationExactly(market, q)).toBeNull();
  });

  it('implementable allocations: mostly verified from the float basis, exactly feasible, cost = the float LP value', () => {
    const rng = xoroshiro128plus(9);
    let implementable = 0;
    let verified = 0;
    for (const m of sampleMarkets(17, 40)) {
      // contributions increasing in the reported type (period 1 and each period-2 row), like a policy's
      const draw = () => 0.2 + 1.5 * uniformFloat64(rng);
      const sorted = (k: number) => Array.from({ length: k }, draw).sort((u, v) => u - v);
      const q = [...sorted(3), ...sorted(3), ...sorted(3), ...sorted(3)];
      const float = priceAllocation(m, q);
      if (float.slack > 0) continue;
      implementable++;
      const market = toDecimalMarket(m);
      const r = priceAllocationExactly(market, q.map(exactFromNumber));
      if (r === null) continue; // degenerate to the last bit: callers fall back to a full exact solve
      verified++;
      expect(isFeasibleExact(market, r.contract)).toBe(true);
      expect(Math.abs(r.cost.valueOf() - float.cost)).toBeLessThan(1e-12 * (1 + float.cost));
    }
    expect(implementable).toBeGreaterThan(30);
    // seen: 46 of 56 with another stream; the rest go to optimum's exact dual simplex
    expect(verified / implementable).toBeGreaterThan(0.7);
  });
});
