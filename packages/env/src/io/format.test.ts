import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { exactFromNumber, toExactContract, toExactMarket } from '../exact.js';
import type { ExactContract, ExactMarket, Rational } from '../types.js';
import { formatContractFile, formatJson, formatMarketFile, formatNumberLiteral } from './format.js';
import { parseModelText } from './read.js';

const examples = new URL('../../../../examples/', import.meta.url);

const same = (a: Rational, b: Rational) => a.equals(b);

function expectSameMarket(a: ExactMarket, b: ExactMarket): void {
  const flat = (m: ExactMarket) => [
    ...m.theta,
    ...m.prior,
    ...m.transition.flat(),
    m.a,
    m.beta,
    m.delta,
    m.qMax,
  ];
  const fa = flat(a);
  const fb = flat(b);
  expect(fb.length).toBe(fa.length);
  fa.forEach((x, i) => {
    expect(same(x, fb[i]!), `market number ${i}: ${x.toFraction()} vs ${fb[i]!.toFraction()}`).toBe(true);
  });
  expect(b.esCount).toBe(a.esCount);
}

function expectSameContract(a: ExactContract, b: ExactContract): void {
  const flat = (c: ExactContract) => [...c.period1, ...c.period2.flat()].flatMap((it) => [it.q, it.reward]);
  const fa = flat(a);
  const fb = flat(b);
  expect(fb.length).toBe(fa.length);
  fa.forEach((x, i) => {
    expect(same(x, fb[i]!), `contract number ${i}`).toBe(true);
  });
}

describe('formatNumberLiteral', () => {
  it('writes finite decimals as JSON numbers with every digit', () => {
    expect(formatNumberLiteral(new Fraction(1, 10))).toBe('0.1');
    expect(formatNumberLiteral(new Fraction(-7, 8))).toBe('-0.875');
    expect(formatNumberLiteral(new Fraction(10))).toBe('10');
    expect(formatNumberLiteral(new Fraction(0))).toBe('0');
    expect(formatNumberLiteral(exactFromNumber(0.1))).toBe(
      '0.1000000000000000055511151231257827021181583404541015625',
    );
  });

  it('writes other rationals as "p/q" strings', () => {
    expect(formatNumberLiteral(new Fraction(1, 3))).toBe('"1/3"');
    expect(formatNumberLiteral(new Fraction(-30, 7))).toBe('"-30/7"');
  });

  it('writes binary64 values as JavaScript prints them and refuses non-finite ones', () => {
    expect(formatNumberLiteral(0.1 + 0.2)).toBe('0.30000000000000004');
    expect(formatNumberLiteral(1e-7)).toBe('1e-7');
    expect(formatNumberLiteral(-0)).toBe('0');
    expect(() => formatNumberLiteral(Number.NaN)).toThrow(RangeError);
    expect(() => formatNumberLiteral(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

// Positive rationals whose denominators are sometimes decimal-friendly (2^a 5^b), sometimes not.
const positive = fc
  .tuple(
    fc.bigInt({ min: 1n, max: 10n ** 30n }),
    fc.oneof(
      fc.tuple(fc.nat(60), fc.nat(40)).map(([a, b]) => 2n ** BigInt(a) * 5n ** BigInt(b)),
      fc.bigInt({ min: 1n, max: 10n ** 20n }),
    ),
  )
  .map(([n, d]) => new Fraction(n, d));

const normalised = (weights: Rational[]) => {
  const sum = weights.reduce((s, w) => s.add(w), new Fraction(0));
  return weights.map((w) => w.div(sum));
};

const marketAndContract = fc.integer({ min: 1, max: 4 }).chain((K) =>
  fc
    .record({
      gaps: fc.array(positive, { minLength: K, maxLength: K }),
      prior: fc.array(positive, { minLength: K, maxLength: K }),
      transition: fc.array(fc.array(positive, { minLength: K, maxLength: K }), {
        minLength: K,
        maxLength: K,
      }),
      a: positive,
      beta: positive,
      delta: positive.map((x) => new Fraction(1).div(x.add(1))),
      qMax: positive,
      esCount: fc.integer({ min: 1, max: 1_000_000 }),
      shares: fc.array(fc.tuple(positive, positive), { minLength: K + K * K, maxLength: K + K * K }),
      rewards: fc.array(positive, { minLength: K + K * K, maxLength: K + K * K }),
    })
    .map(({ gaps, prior, transition, a, beta, delta, qMax, esCount, shares, rewards }) => {
      const theta: Rational[] = [];
      gaps.reduce((acc, g) => {
        const next = acc.add(g);
        theta.push(next);
        return next;
      }, new Fraction(0));
      const market: ExactMarket = {
        theta,
        prior: normalised(prior),
        transition: transition.map(normalised),
        a,
        beta,
        delta,
        qMax,
        esCount,
      };
      // q = qMax * s / (s + t) stays within [0, qMax]
      const items = shares.map(([s, t], k) => ({ q: qMax.mul(s).div(s.add(t)), reward: rewards[k]! }));
      const contract: ExactContract = {
        period1: items.slice(0, K),
        period2: Array.from({ length: K }, (_, i) => items.slice(K + i * K, K + (i + 1) * K)),
      };
      return { market, contract };
    }),
);

describe('contract files round-trip exactly', () => {
  it('re-reads random exact markets and contracts to the identical rationals', () => {
    fc.assert(
      fc.property(marketAndContract, ({ market, contract }) => {
        const text = formatContractFile({ market, contract });
        JSON.parse(text); // plain JSON, readable by any tool
        const back = parseModelText(text, 'round.json');
        expect(back.kind).toBe('contract');
        expectSameMarket(market, back.market);
        expectSameContract(contract, back.contract!);
      }),
      { numRuns: 150, seed: 20240611 },
    );
  });

  it('re-reads the exact values of binary64 numbers (toExactMarket/toExactContract)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 10, noNaN: true }), { minLength: 8, maxLength: 8 }),
        (qs) => {
          const market = toExactMarket({
            theta: [0.1, 0.30000000000000004],
            prior: [0.5, 0.5],
            transition: [
              [0.25, 0.75],
              [1, 0],
            ],
            a: 1.1,
            beta: 1e-7,
            delta: 0.9,
            qMax: 10,
            esCount: 3,
          });
          const items = qs.map((q, k) => ({ q, reward: qs[(k + 1) % 8]! * 1e-300 }));
          const contract = toExactContract({
            period1: items.slice(0, 2),
            period2: [items.slice(2, 4), items.slice(4, 6)],
          });
          const back = parseModelText(formatContractFile({ market, contract }), 'binary.json');
          expectSameMarket(market, back.market);
          expectSameContract(contract, back.contract!);
        },
      ),
      { numRuns: 50, seed: 7 },
    );
  });

  it('writes float contracts as their shortest decimals, which round back to the same floats', () => {
    const market = {
      ...toExactMarket({
        theta: [1],
        prior: [1],
        transition: [[1]],
        a: 1,
        beta: 1,
        delta: 1,
        qMax: 10,
        esCount: 1,
      }),
    };
    const contract = { period1: [{ q: 0.1 + 0.2, reward: 1 / 3 }], period2: [[{ q: 2 / 3, reward: 1e-7 }]] };
    const back = parseModelText(formatContractFile({ market, contract }), 'float.json').contract!;
    expect(back.period1[0]!.q.equals(new Fraction('0.30000000000000004'))).toBe(true);
    expect(back.period1[0]!.reward.valueOf()).toBe(1 / 3);
    expect(back.period2[0]![0]!.q.valueOf()).toBe(2 / 3);
    expect(back.period2[0]![0]!.reward.equals(new Fraction(1, 10_000_000))).toBe(true);
  });

  it('rewrites the example contract to text that reads back identically', () => {
    const original = parseModelText(readFileSync(new URL('contract-k3.json', examples), 'utf8'), 'ex.json');
    const text = formatContractFile({ market: original.market, contract: original.contract! });
    const back = parseModelText(text, 'ex2.json');
    expectSameMarket(original.market, back.market);
    expectSameContract(original.contract!, back.contract!);
    // Short containers stay on one line, so the file reads like the example of model.md section 8.
    expect(text).toContain('"theta": [0.4, 0.7, 1],');
    expect(text).toContain('"transition": [[0.6, 0.3, 0.1], [0.2, 0.6, 0.2], [0.1, 0.3, 0.6]],');
    expect(text).toContain('{"q": 1.5, "reward": "30/7"}');
    expect(text.startsWith('{\n  "version": 1,\n  "market": {\n')).toBe(true);
    expect(formatContractFile({ market: back.market, contract: back.contract! })).toBe(text);
  });
});

describe('meta, certificate and market files', () => {
  it('writes meta and certificate after the contract, exact numbers included', () => {
    const { market, contract } = parseModelText(
      readFileSync(new URL('contract-k3.json', examples), 'utf8'),
      'ex.json',
    );
    const text = formatContractFile({
      market,
      contract: contract!,
      meta: { source: 'test', cloudUtility: 123.25, gap: new Fraction(1, 3), changedAllocation: false },
      certificate: {
        verdict: 'certified',
        gain: new Fraction(-1, 7),
        families: [{ family: 'IR1', result: 'proved' }],
      },
    });
    const parsed = JSON.parse(text);
    expect(Object.keys(parsed)).toEqual(['version', 'market', 'contract', 'meta', 'certificate']);
    expect(parsed.meta).toEqual({
      source: 'test',
      cloudUtility: 123.25,
      gap: '1/3',
      changedAllocation: false,
    });
    expect(parsed.certificate.gain).toBe('-1/7');
    const back = parseModelText(text, 'meta.json');
    expect(back.meta).toEqual({ source: 'test', cloudUtility: 123.25, gap: '1/3', changedAllocation: false });
  });

  it('refuses a meta number that is not finite', () => {
    const market = toExactMarket({
      theta: [1],
      prior: [1],
      transition: [[1]],
      a: 1,
      beta: 1,
      delta: 1,
      qMax: 1,
      esCount: 1,
    });
    const contract = { period1: [{ q: 0, reward: 0 }], period2: [[{ q: 0, reward: 0 }]] };
    expect(() => formatContractFile({ market, contract, meta: { gap: Number.NaN } })).toThrow(/non-finite/);
  });

  it('writes market files that read back as markets', () => {
    const market = parseModelText(readFileSync(new URL('market-k3.json', examples), 'utf8'), 'm.json').market;
    const back = parseModelText(formatMarketFile(market), 'm2.json');
    expect(back.kind).toBe('market');
    expectSameMarket(market, back.market);
  });

  it('breaks long containers over lines', () => {
    const long = Array.from({ length: 30 }, (_, i) => i + 0.5);
    const text = formatJson({ values: long, short: [1, 2] });
    expect(text).toBe(
      `{\n  "values": [\n${long.map((x) => `    ${x}`).join(',\n')}\n  ],\n  "short": [1, 2]\n}\n`,
    );
  });
});
