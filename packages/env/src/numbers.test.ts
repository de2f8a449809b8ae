import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, test } from 'vitest';
import { rationalToNumber, ratioToNumber } from './field.js';
import { exactContractOf, exactMarketOf, exactNumberOf } from './numbers.js';
import { InputError } from './validate.js';

const market = {
  theta: [0.5, '1'],
  prior: ['1/2', new Fraction(1, 2)],
  transition: [
    [0.5, 0.5],
    ['0.25', '3/4'],
  ],
  a: 1,
  beta: '10',
  delta: 0,
  qMax: 10,
  esCount: 4,
};

describe('exactNumberOf', () => {
  test('a float is its exact binary64 value, a string the decimal as written', () => {
    expect(exactNumberOf(0.1, 'x').equals(new Fraction(3602879701896397n, 36028797018963968n))).toBe(true);
    expect(exactNumberOf('0.1', 'x').equals(new Fraction(1, 10))).toBe(true);
    expect(exactNumberOf('-1/3', 'x').equals(new Fraction(-1, 3))).toBe(true);
  });

  test('a fraction.js rational is kept; one from another copy of the library is converted', () => {
    const r = new Fraction(2, 7);
    expect(exactNumberOf(r, 'x')).toBe(r);
    const foreign = { s: -1n, n: 3n, d: 4n, valueOf: () => -0.75 };
    expect(exactNumberOf(foreign, 'x').equals(new Fraction(-3, 4))).toBe(true);
  });

  test('the shortest decimal of any finite double reads back to that double', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(rationalToNumber(exactNumberOf(String(x), 'x'))).toBe(x === 0 ? 0 : x);
        expect(rationalToNumber(exactNumberOf(x, 'x'))).toBe(x === 0 ? 0 : x);
      }),
    );
  });

  test('subnormals round once, at their own ulp (ties to even)', () => {
    const tiny = 2n ** 1074n; // Number.MIN_VALUE = 1 / tiny
    expect(ratioToNumber(1n, 2n * tiny)).toBe(0); // half the smallest subnormal: tie, to even (0)
    expect(ratioToNumber(3n, 2n * tiny)).toBe(2 * Number.MIN_VALUE); // 1.5: tie, to even (2)
    expect(ratioToNumber(-5n, 4n * tiny)).toBe(-Number.MIN_VALUE); // 1.25 rounds down
    expect(ratioToNumber(7n, 4n * tiny)).toBe(2 * Number.MIN_VALUE); // 1.75 rounds up
    // found by the property above: 53-bit rounding then subnormal rounding was off by one ulp
    const x = -9.72010112222078e-309;
    expect(rationalToNumber(exactNumberOf(String(x), 'x'))).toBe(x);
    fc.assert(
      fc.property(fc.double({ min: -(2 ** -1021), max: 2 ** -1021, noNaN: true }), (y) => {
        expect(rationalToNumber(exactNumberOf(y, 'y'))).toBe(y === 0 ? 0 : y);
      }),
      { numRuns: 2000 },
    );
  });

  test.each([
    [true, 'true'],
    [null, 'null'],
    [Number.NaN, 'NaN'],
    [Number.POSITIVE_INFINITY, 'Infinity'],
    ['0x10', '"0x10"'],
    [10n, '10'],
  ])('refuses %s with one line naming the path and the value', (value, shown) => {
    expect(() => exactNumberOf(value, 'market.a')).toThrow(InputError);
    expect(() => exactNumberOf(value, 'market.a')).toThrow(
      `market.a: must be a finite number, a fraction.js rational or an exact number string ("0.1", "1/3") (${shown})`,
    );
  });
});

describe('exactMarketOf / exactContractOf', () => {
  test('a mixed market becomes exact field by field', () => {
    const m = exactMarketOf(market);
    expect(m.theta.map((x) => x.toFraction())).toEqual(['1/2', '1']);
    expect(m.prior.map((x) => x.toFraction())).toEqual(['1/2', '1/2']);
    expect(m.transition[1]!.map((x) => x.toFraction())).toEqual(['1/4', '3/4']);
    expect(m.beta.equals(10)).toBe(true);
    expect(m.esCount).toBe(4);
  });

  test('errors name the exact field', () => {
    expect(() => exactMarketOf({ ...market, theta: 3 } as never)).toThrow(
      'market.theta: must be an array (3)',
    );
    expect(() =>
      exactMarketOf({
        ...market,
        transition: [
          [0.5, 0.5],
          [0.5, {}],
        ],
      } as never),
    ).toThrow(/^market\.transition\[1\]\[1\]: must be a finite number/);
    const item = { q: 1, reward: 2 };
    expect(() => exactContractOf({ period1: [item, null], period2: [] } as never)).toThrow(
      'contract.period1[1]: must be an object (null)',
    );
    expect(() => exactContractOf({ period1: [item], period2: [[{ q: '1', reward: 'x' }]] } as never)).toThrow(
      /^contract\.period2\[0\]\[0\]\.reward: must be/,
    );
    expect(() => exactMarketOf(undefined as never)).toThrow(/^market: must be an object$/);
  });

  test('a contract keeps its shape and values', () => {
    const c = exactContractOf({ period1: [{ q: 0.25, reward: '1/3' }], period2: [[{ q: 0, reward: 1 }]] });
    expect(c.period1[0]!.q.toFraction()).toBe('1/4');
    expect(c.period1[0]!.reward.toFraction()).toBe('1/3');
    expect(c.period2[0]![0]!.reward.equals(1)).toBe(true);
  });
});
