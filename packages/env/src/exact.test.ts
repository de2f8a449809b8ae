import fc from 'fast-check';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import {
  binary64Parts,
  decimalOf,
  ExactNumberError,
  exactFromNumber,
  formatExact,
  parseExactNumber,
  toDecimalContract,
  toDecimalMarket,
  toExactContract,
  toExactMarket,
  toFloatContract,
  toFloatMarket,
} from './exact.js';
import { exactField, rationalToNumber, ratioToNumber } from './field.js';
import { sampleMarkets } from './sampler.js';

describe('parseExactNumber', () => {
  const accepted: [string, string][] = [
    ['0', '0'],
    ['-0', '0'],
    ['7', '7'],
    ['0.1', '1/10'],
    ['-2.50', '-5/2'],
    ['1e3', '1000'],
    ['1E-3', '1/1000'],
    ['1.5e+2', '150'],
    ['-12.5e-1', '-5/4'],
    ['1/3', '1/3'],
    ['-4/6', '-2/3'],
    ['0/5', '0'],
    ['007', '7'],
    ['123456789012345678901234567890', '123456789012345678901234567890'],
  ];
  it.each(accepted)('accepts %j as %s', (text, fraction) => {
    expect(parseExactNumber(text).toFraction()).toBe(fraction);
  });

  const rejected = [
    '',
    ' 1',
    '1 ',
    '+1',
    '0x10',
    'Infinity',
    '-Infinity',
    'NaN',
    '1/0',
    '1/-0',
    '1/-2',
    '.5',
    '1.',
    '1e',
    '1.5/2',
    '1/2/3',
    '--1',
    '1,5',
    '1e99999',
    '1_000',
  ];
  it.each(rejected)('rejects %j with the text in the error', (text) => {
    let error: unknown;
    try {
      parseExactNumber(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ExactNumberError);
    expect((error as ExactNumberError).text).toBe(text);
    expect((error as Error).message).toContain(JSON.stringify(text));
  });
});

describe('exact binary64 values', () => {
  it('0.1 is its binary64 value, not 1/10', () => {
    expect(exactFromNumber(0.1).toFraction()).toBe('3602879701896397/36028797018963968');
    expect(exactFromNumber(-0.5).toFraction()).toBe('-1/2');
    expect(exactFromNumber(2 ** 60).toFraction()).toBe((2n ** 60n).toString());
    expect(exactFromNumber(Number.MIN_VALUE).d).toBe(2n ** 1074n);
    expect(() => exactFromNumber(Number.NaN)).toThrow(RangeError);
  });

  it('round-trips every finite double through a rational', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        expect(rationalToNumber(exactFromNumber(x))).toBe(x === 0 ? 0 : x);
      }),
      { numRuns: 2000 },
    );
  });

  it('rationalToNumber rounds to nearest', () => {
    expect(rationalToNumber(new Fraction(1n, 3n))).toBe(1 / 3);
    expect(rationalToNumber(new Fraction(2n ** 80n + 1n, 3n * 2n ** 80n))).toBe(1 / 3);
    expect(rationalToNumber(new Fraction(10n ** 400n, 1n))).toBe(Number.POSITIVE_INFINITY);
    expect(rationalToNumber(new Fraction(-1n, 10n ** 400n))).toBe(-0);
    // 1 + 2^-53 is a tie between 1 and 1 + 2^-52: half to even gives 1, anything above goes up.
    expect(rationalToNumber(new Fraction(2n ** 53n + 1n, 2n ** 53n))).toBe(1);
    expect(rationalToNumber(new Fraction(2n ** 80n + 2n ** 27n + 1n, 2n ** 80n))).toBe(1 + 2 ** -52);
  });

  it('binary64Parts: mantissa 2^exponent is the exact value, sign on the mantissa', () => {
    expect(binary64Parts(-0.75)).toEqual({ mantissa: -(3n << 51n), exponent: -53 });
    expect(binary64Parts(Number.MIN_VALUE)).toEqual({ mantissa: 1n, exponent: -1074 });
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const { mantissa, exponent } = binary64Parts(x);
        const value =
          exponent >= 0
            ? new Fraction(mantissa << BigInt(exponent), 1n)
            : new Fraction(mantissa, 1n << BigInt(-exponent));
        expect(value.equals(exactFromNumber(x))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('ratioToNumber of an unreduced pair is rationalToNumber of the reduced one', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }),
        fc.bigInt({ min: 1n, max: 10n ** 40n }),
        fc.bigInt({ min: 1n, max: 2n ** 200n }),
        (n, d, k) => {
          expect(ratioToNumber(n * k, d * k)).toBe(rationalToNumber(new Fraction(n, d)));
        },
      ),
      { numRuns: 500 },
    );
    // the sticky bit: a quotient just above a tie rounds up, where a truncated quotient would tie
    expect(ratioToNumber(2n ** 80n + 2n ** 27n + 1n, 2n ** 80n)).toBe(1 + 2 ** -52);
  });

  it('markets and contracts convert both ways losslessly', () => {
    const m = sampleMarkets(3, 1)[0]!;
    expect(toFloatMarket(toExactMarket(m))).toEqual(m);
    const c = {
      period1: [{ q: 0.1, reward: 1 / 3 }],
      period2: [[{ q: 9.99, reward: 2e-300 }]],
    };
    expect(toFloatContract(toExactContract(c))).toEqual(c);
  });
});

describe('shortest-decimal values', () => {
  it('takes a double as the decimal a JSON writer prints, not its binary64 value', () => {
    expect(decimalOf(0.1).equals(new Fraction(1, 10))).toBe(true);
    expect(decimalOf(0.1).equals(exactFromNumber(0.1))).toBe(false);
    expect(decimalOf(1e-7).equals(new Fraction(1, 10_000_000))).toBe(true);
  });
  it('maps every number of a market and a contract, leaving esCount as it is', () => {
    const market = sampleMarkets(3, 1)[0]!;
    const exact = toDecimalMarket(market);
    expect(exact.theta.map((t) => t.toString())).toEqual(
      market.theta.map((t) => parseExactNumber(String(t)).toString()),
    );
    expect(exact.transition[2]![1]!.equals(parseExactNumber(String(market.transition[2]![1]!)))).toBe(true);
    expect(exact.esCount).toBe(market.esCount);
    const c = toDecimalContract({ period1: [{ q: 0.3, reward: 2.5 }], period2: [[{ q: 0.7, reward: 0.1 }]] });
    expect(c.period1[0]!.q.equals(new Fraction(3, 10))).toBe(true);
    expect(c.period2[0]![0]!.reward.equals(new Fraction(1, 10))).toBe(true);
  });
});

describe('formatExact', () => {
  const cases: [string, string][] = [
    ['0', '0'],
    ['5', '5'],
    ['-5/2', '-2.5'],
    ['1/8', '0.125'],
    ['1/3', '1/3'],
    ['-7/6', '-7/6'],
    ['3/1000', '0.003'],
    ['123/20', '6.15'],
  ];
  it.each(cases)('%s -> %s', (fraction, text) => {
    expect(formatExact(new Fraction(fraction))).toBe(text);
  });

  it('writes every binary64 value exactly as a decimal that parses back', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (x) => {
        const r = exactFromNumber(x);
        const text = formatExact(r);
        expect(text).not.toContain('/');
        expect(parseExactNumber(text).equals(r)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('round-trips arbitrary rationals', () => {
    fc.assert(
      fc.property(fc.bigInt(), fc.bigInt({ min: 1n, max: 10n ** 30n }), (n, d) => {
        const r = new Fraction(n, d);
        expect(parseExactNumber(formatExact(r)).equals(r)).toBe(true);
      }),
    );
  });
});

describe('exactField', () => {
  it('is exact where floats are not', () => {
    const f = exactField;
    const tenth = parseExactNumber('0.1');
    const sum = f.add(f.add(tenth, tenth), tenth);
    expect(f.cmp(sum, parseExactNumber('0.3'))).toBe(0);
    expect(f.isZero(f.sub(f.div(f.one, f.fromInt(3)), parseExactNumber('1/3')))).toBe(true);
    expect(f.max(tenth, f.neg(f.one)).equals(tenth)).toBe(true);
    expect(f.lt(f.zero, tenth) && f.le(tenth, tenth) && f.gt(tenth, f.zero)).toBe(true);
  });
});
