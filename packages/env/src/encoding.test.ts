import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  actionDim,
  contractReward,
  decodeAction,
  decodeState,
  encodeAction,
  encodeState,
  rewardMax,
  stateDim,
} from './encoding.js';
import { cloudUtility, violation } from './model.js';
import { sampleMarkets } from './sampler.js';
import type { Market } from './types.js';

const K2: Market = {
  theta: [0.5, 1],
  prior: [0.25, 0.75],
  transition: [
    [0.75, 0.25],
    [0.5, 0.5],
  ],
  a: 1.5,
  beta: 8,
  delta: 0.5,
  qMax: 4,
  esCount: 3,
};

describe('dimensions and layout (model.md section 6)', () => {
  it('state and action dimensions', () => {
    expect([1, 2, 3, 4].map(stateDim)).toEqual([6, 11, 18, 27]);
    expect([1, 2, 3, 4].map(actionDim)).toEqual([4, 12, 24, 40]);
  });

  it('state order: theta, prior, transition row-major, a, beta, delta', () => {
    expect(Array.from(encodeState(K2, new Float64Array(11)))).toEqual([
      0.5, 1, 0.25, 0.75, 0.75, 0.25, 0.5, 0.5, 1.5, 8, 0.5,
    ]);
  });

  it('action order and maps: q = qMax (u+1)/2, R = beta ln(1+qMax) (u+1)/2', () => {
    const rMax = 8 * Math.log(5);
    expect(rewardMax(K2)).toBeCloseTo(rMax, 14);
    // q1 = (-1, 1), R1 = (0, 1), q2 = (0, 0.5, -0.5, 1), R2 = (-1, -1, 0.5, 2 -> clipped to 1)
    const action = [-1, 1, 0, 1, 0, 0.5, -0.5, 1, -1, -1, 0.5, 2];
    const c = decodeAction(K2, action);
    expect(c.period1).toEqual([
      { q: 0, reward: rMax / 2 },
      { q: 4, reward: rMax },
    ]);
    expect(c.period2[0]).toEqual([
      { q: 2, reward: 0 },
      { q: 3, reward: 0 },
    ]);
    expect(c.period2[1]![0]!.q).toBe(1);
    expect(c.period2[1]![0]!.reward).toBeCloseTo(0.75 * rMax, 12);
    expect(c.period2[1]![1]).toEqual({ q: 4, reward: rMax });
  });

  it('offsets read and write inside larger buffers', () => {
    const buffer = new Float32Array(3 + 2 * stateDim(2)).fill(-7);
    encodeState(K2, buffer, 3 + stateDim(2));
    expect(buffer[3 + stateDim(2) - 1]).toBe(-7);
    expect(decodeState(buffer, 2, 3 + stateDim(2), { qMax: 4, esCount: 3 })).toEqual(K2);
  });
});

const markets = sampleMarkets(5, 20);
describe('round-trips', () => {
  it('decodeState(encodeState(m)) = m in float64', () => {
    for (const m of markets) {
      expect(decodeState(encodeState(m, new Float64Array(stateDim(3))), 3)).toEqual(m);
    }
  });

  it('decodeAction(encodeAction(c)) = c for contracts within bounds', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...markets),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (m, unit) => {
          const rMax = rewardMax(m);
          let t = 0;
          const item = () => ({ q: m.qMax * unit[t++]!, reward: rMax * unit[t++]! });
          const c = {
            period1: [item(), item(), item()],
            period2: [0, 1, 2].map(() => [item(), item(), item()]),
          };
          const back = decodeAction(m, encodeAction(m, c, new Float64Array(actionDim(3))));
          const flat = (x: typeof c) => x.period1.concat(x.period2.flat()).flatMap((i) => [i.q, i.reward]);
          flat(back).forEach((v, k) => {
            expect(v).toBeCloseTo(flat(c)[k]!, 10);
          });
        },
      ),
    );
  });

  it('encodeAction(decodeAction(u)) = u for u in [-1, 1]', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...markets),
        fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 24, maxLength: 24 }),
        (m, u) => {
          const back = encodeAction(m, decodeAction(m, u), new Float64Array(24));
          Array.from(back).forEach((v, k) => {
            expect(v).toBeCloseTo(u[k]!, 12);
          });
        },
      ),
    );
  });
});

describe('contractReward', () => {
  it('is (U/N - lambda viol) / scale with defaults lambda = 5, scale = beta', () => {
    const m = markets[0]!;
    const c = decodeAction(
      m,
      Array.from({ length: 24 }, (_, k) => Math.sin(k + 1)),
    );
    const perEs = cloudUtility(m, c) / m.esCount;
    const viol = violation(m, c);
    expect(viol).toBeGreaterThan(0);
    expect(contractReward(m, c)).toBeCloseTo((perEs - 5 * viol) / m.beta, 12);
    expect(contractReward(m, c, { penalty: 1, scale: 2 })).toBeCloseTo((perEs - viol) / 2, 12);
    expect(contractReward({ ...m, esCount: 1000 }, c)).toBeCloseTo(contractReward(m, c), 12);
  });
});
