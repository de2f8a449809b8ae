import { createHash } from 'node:crypto';
import { decimalText, exactValue, fractionText } from '@diffcontract/env';
import Fraction from 'fraction.js';
import { describe, expect, it } from 'vitest';
import { canonicalText, contractHash } from './canonical.js';
import { contract, market, x } from './test-fixtures.js';

describe('exact value text', () => {
  it('writes reduced fractions and never -0', () => {
    expect(fractionText(new Fraction(6n, 4n))).toBe('3/2');
    expect(fractionText(new Fraction(-10n, 5n))).toBe('-2');
    expect(fractionText(new Fraction(0n, 7n).neg())).toBe('0');
  });

  it('writes terminating expansions exactly, without exponent notation', () => {
    expect(decimalText(new Fraction(1n, 10n ** 12n))).toEqual({ text: '0.000000000001', exact: true });
    expect(decimalText(new Fraction(-11n, 8n))).toEqual({ text: '-1.375', exact: true });
    expect(decimalText(new Fraction(1200n, 1n))).toEqual({ text: '1200', exact: true });
    // 2^-60 terminates after 60 places but has 42 significant digits: rounded past the limit
    expect(decimalText(new Fraction(1n, 2n ** 60n), 42).exact).toBe(true);
    expect(decimalText(new Fraction(1n, 2n ** 60n), 5)).toEqual({
      text: '0.00000000000000000086736',
      exact: false,
    });
  });

  it('rounds non-terminating expansions to the requested significant digits', () => {
    expect(decimalText(new Fraction(2n, 3n), 5)).toEqual({ text: '0.66667', exact: false });
    expect(decimalText(new Fraction(-1n, 30000n), 3)).toEqual({ text: '-0.0000333', exact: false });
    expect(decimalText(new Fraction(1000n, 3n), 4)).toEqual({ text: '333.3', exact: false });
    expect(exactValue(new Fraction(8n, 17n), 6)).toEqual({
      fraction: '8/17',
      decimal: '0.470588',
      decimalExact: false,
    });
  });
});

describe('canonical form', () => {
  const m = market({
    theta: ['0.5', 1],
    prior: ['1/2', '0.5'],
    transition: [
      [1, 0],
      ['0.25', '3/4'],
    ],
    a: 1,
    delta: '0',
  });
  const one = contract(
    [
      [1, '2.0'],
      ['0.50', 5],
    ],
    [
      [
        [0, 0],
        [1, 2],
      ],
      [
        [0, 0],
        [2, 5],
      ],
    ],
  );

  it('is sorted-key JSON of reduced fractions, written out by hand here', () => {
    const expected =
      '{"contract":{"period1":[{"q":"1","reward":"2"},{"q":"1/2","reward":"5"}],' +
      '"period2":[[{"q":"0","reward":"0"},{"q":"1","reward":"2"}],[{"q":"0","reward":"0"},{"q":"2","reward":"5"}]]},' +
      '"market":{"a":"1","beta":"10","delta":"0","esCount":10,"prior":["1/2","1/2"],"qMax":"10",' +
      '"theta":["1/2","1"],"transition":[["1","0"],["1/4","3/4"]]},"version":1}';
    expect(canonicalText(m, one)).toBe(expected);
    expect(contractHash(m, one)).toBe(createHash('sha256').update(expected).digest('hex'));
  });

  it('hashes equal values written differently the same, and different values differently', () => {
    const same = market({
      theta: ['1/2', '1.0'],
      prior: ['0.5', '2/4'],
      transition: [
        ['1', '0'],
        ['1/4', '0.75'],
      ],
      a: '10e-1',
      delta: 0,
    });
    const sameContract = contract(
      [
        ['1.00', 2],
        ['1/2', '5.0'],
      ],
      [
        [
          ['0/3', 0],
          [1, 2],
        ],
        [
          [0, 0],
          [2, '50e-1'],
        ],
      ],
    );
    expect(contractHash(same, sameContract)).toBe(contractHash(m, one));
    sameContract.period1[0]!.reward = x('2.000000000001');
    expect(contractHash(same, sameContract)).not.toBe(contractHash(m, one));
  });
});
