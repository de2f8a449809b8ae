import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { describe, expect, test } from 'vitest';
import {
  AllocationEvaluator,
  allocationOfUnit,
  decodeAllocation,
  encodeAllocation,
  priceAllocation,
  unitOfAllocation,
} from './allocation.js';
import { constraintCount } from './constraints.js';
import { encodeState, stateDim } from './encoding.js';
import { violation } from './model.js';
import { AllocationPricer } from './pricing.js';
import { sampleMarkets } from './sampler.js';
import type { Market } from './types.js';

/** A seeded uniform stream for the property tests (the sampler's generator). */
function stream(seed: number): () => number {
  const rng = xoroshiro128plus(seed);
  return () => uniformFloat64(rng);
}

const markets = sampleMarkets(2024, 20);
const flatMarket = (m: Market<number>) => ({ ...m, transition: m.transition.flat() });

function randomAllocation(rand: () => number, m: Market<number>, qHigh = 2): number[] {
  return Array.from({ length: 12 }, () => qHigh * rand() ** 2 * (m.qMax / 10));
}

describe('AllocationPricer', () => {
  test('row count: IR1 + IR2 + IC2 + IIC', () => {
    expect(constraintCount(3)).toBe(3 + 9 + 18 + 6);
    expect(constraintCount(1)).toBe(2);
  });

  test('K = 1: the cheapest rewards pay each item its cost, L = pi x1/theta + delta P x2/theta', () => {
    const market = { theta: [0.5], prior: [1], transition: [1], delta: 0.8 };
    const pricer = new AllocationPricer(1, { penalty: 5 });
    pricer.setMarket(market);
    const r = pricer.solve([2, 3]);
    expect(r.slack).toBe(0);
    expect(r.reward[0]).toBeCloseTo(4, 12);
    expect(r.reward[1]).toBeCloseTo(6, 12);
    expect(r.value).toBeCloseTo(4 + 0.8 * 6, 12);
    // dL/dx = (pi / theta, delta P / theta)
    expect(r.gradient[0]).toBeCloseTo(2, 12);
    expect(r.gradient[1]).toBeCloseTo(1.6, 12);
  });

  test('not implementable (K = 2, delta = 0, q1 decreasing in type): slack x0 (1/theta1 - 1/theta2), hand-computed value', () => {
    const theta = [0.4, 0.8];
    const prior = [0.3, 0.7];
    const lambda = 5;
    const pricer = new AllocationPricer(2, { penalty: lambda });
    pricer.setMarket({ theta, prior, transition: [0.5, 0.5, 0.5, 0.5], delta: 0 });
    const x0 = 2;
    // items: period1 [x0, 0], period2 all 0
    const r = pricer.solve([x0, 0, 0, 0, 0, 0]);
    const slack = x0 * (1 / theta[0]! - 1 / theta[1]!);
    expect(r.slack).toBeCloseTo(slack, 12);
    expect(r.value).toBeCloseTo(prior[0]! * (x0 / theta[0]!) + lambda * slack, 12);
    // The same allocation the other way round (monotone) is implementable: no slack.
    const ok = pricer.solve([0, x0, 0, 0, 0, 0]);
    expect(ok.slack).toBe(0);
    // The low type contributes nothing, so no information rent is due: the high type is paid its cost.
    expect(ok.reward[1]).toBeCloseTo(x0 / theta[1]!, 12);
    expect(ok.value).toBeCloseTo(prior[1]! * (x0 / theta[1]!), 12);
  });

  test('two-type static screening: the high type earns the rent x_lo (1/theta1 - 1/theta2)', () => {
    const theta = [0.5, 1];
    const prior = [0.5, 0.5];
    const pricer = new AllocationPricer(2);
    pricer.setMarket({ theta, prior, transition: [1, 0, 0, 1], delta: 0 });
    const r = pricer.solve([1, 3, 0, 0, 0, 0]);
    // R_lo = x_lo / theta1 = 2; R_hi = x_hi / theta2 + x_lo (1/theta1 - 1/theta2) = 3 + 1 = 4
    expect(r.slack).toBe(0);
    expect(r.reward[0]).toBeCloseTo(2, 12);
    expect(r.reward[1]).toBeCloseTo(4, 12);
    expect(r.value).toBeCloseTo(0.5 * 2 + 0.5 * 4, 12);
  });

  test('priced contracts satisfy every constraint up to float error; slack equals viol(C)', () => {
    const rand = stream(7);
    for (const m of markets) {
      for (let t = 0; t < 5; t++) {
        const q = randomAllocation(rand, m);
        const p = priceAllocation(m, q);
        expect(violation(m, p.contract)).toBeCloseTo(p.slack, 8);
        expect(p.value).toBeCloseTo(p.cost + 5 * p.slack, 9);
        for (const y of p.duals) {
          expect(y).toBeGreaterThanOrEqual(0);
          expect(y).toBeLessThanOrEqual(5);
        }
      }
    }
  });

  test('monotone allocations without history dependence are implementable (slack 0)', () => {
    for (const m of markets) {
      const q1 = [0.3, 0.6, 1.1];
      const q2 = [0.2, 0.5, 0.9];
      const q = [...q1, ...q2, ...q2, ...q2];
      expect(priceAllocation(m, q).slack).toBeLessThan(1e-12);
    }
  });

  test('L is convex in x along random segments (so the reward is concave in x)', () => {
    const rand = stream(11);
    const pricer = new AllocationPricer(3);
    for (const m of markets) {
      pricer.setMarket(flatMarket(m));
      for (let t = 0; t < 10; t++) {
        const x = Array.from({ length: 12 }, () => 5 * rand());
        const y = Array.from({ length: 12 }, () => 5 * rand());
        const lx = pricer.solve(x).value;
        const ly = pricer.solve(y).value;
        for (const s of [0.25, 0.5, 0.75]) {
          const mid = pricer.solve(x.map((xv, v) => s * xv + (1 - s) * y[v]!)).value;
          expect(mid).toBeLessThanOrEqual(s * lx + (1 - s) * ly + 1e-9 * (1 + Math.abs(lx) + Math.abs(ly)));
        }
      }
    }
  });

  test('dL/dx from the duals matches central differences where L is smooth', () => {
    const rand = stream(3);
    const pricer = new AllocationPricer(3);
    let compared = 0;
    for (const m of markets) {
      pricer.setMarket(flatMarket(m));
      const x = Array.from({ length: 12 }, () => 0.2 + 3 * rand());
      const base = pricer.solve(x);
      const grad = Array.from(base.gradient);
      const h = 1e-6;
      for (let v = 0; v < 12; v++) {
        const up = pricer.solve(x.map((xv, k) => (k === v ? xv + h : xv))).value;
        const down = pricer.solve(x.map((xv, k) => (k === v ? xv - h : xv))).value;
        const one = (up - base.value) / h;
        const other = (base.value - down) / h;
        // At a kink the one-sided slopes differ; the dual's slope lies between them.
        if (Math.abs(one - other) > 1e-5) {
          expect(grad[v]!).toBeGreaterThanOrEqual(Math.min(one, other) - 1e-6);
          expect(grad[v]!).toBeLessThanOrEqual(Math.max(one, other) + 1e-6);
          continue;
        }
        expect(grad[v]!).toBeCloseTo((up - down) / (2 * h), 5);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(100);
  });
});

describe('AllocationEvaluator', () => {
  test('u <-> q map is the documented square map and round-trips', () => {
    expect(allocationOfUnit(-1, 10)).toBe(0);
    expect(allocationOfUnit(1, 10)).toBe(10);
    expect(allocationOfUnit(0, 10)).toBe(2.5);
    expect(allocationOfUnit(5, 10)).toBe(10);
    for (const q of [0, 0.1, 1.7, 10])
      expect(allocationOfUnit(unitOfAllocation(q, 10), 10)).toBeCloseTo(q, 12);
    const m = markets[0]!;
    const q = [0.5, 1, 1.5, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
    const back = decodeAllocation(m, encodeAllocation(m, q, new Float64Array(12)));
    back.forEach((v, k) => {
      expect(v).toBeCloseTo(q[k]!, 12);
    });
  });

  test('batched rewards equal the object path; dr/du matches central differences', () => {
    const rand = stream(5);
    const ev = new AllocationEvaluator(3);
    const S = stateDim(3);
    const n = markets.length;
    const states = new Float64Array(n * S);
    markets.forEach((m, b) => {
      encodeState(m, states, b * S);
    });
    const actions = new Float64Array(n * 12).map(() => 1.2 * rand() - 0.9);
    const result = ev.evaluate(states, actions);
    const reward = Array.from(result.reward);
    markets.forEach((m, b) => {
      const q = decodeAllocation(m, actions, b * 12);
      const p = priceAllocation(m, q);
      const value = q.reduce((sum, qv, v) => {
        const K = 3;
        const w =
          v < K
            ? m.prior[v]!
            : m.prior[Math.floor((v - K) / K)]! *
              m.delta *
              m.transition[Math.floor((v - K) / K)]![(v - K) % K]!;
        return sum + w * m.beta * Math.log1p(qv);
      }, 0);
      expect(reward[b]).toBeCloseTo((value - p.value) / m.beta, 10);
    });
    const grad = new Float64Array(n * 12);
    ev.gradient(states, actions, grad);
    let compared = 0;
    const h = 1e-6;
    for (let k = 0; k < n * 12; k += 7) {
      const b = Math.floor(k / 12);
      const bump = (d: number) => {
        const a = actions.slice();
        a[k] += d;
        return ev.evaluate(states, a).reward[b]!;
      };
      const up = bump(h);
      const down = bump(-h);
      const mid = reward[b]!;
      if (Math.abs((up - mid) / h - (mid - down) / h) > 1e-4) continue; // a kink
      expect(grad[k]).toBeCloseTo((up - down) / (2 * h), 4);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
  });
});
