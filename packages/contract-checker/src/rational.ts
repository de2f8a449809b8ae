/** Exact numbers at the z3 boundary (numerals in, decimal renderings out); text is env's (`exactValue`). */
import type { Rational } from '@diffcontract/env';
import Fraction from 'fraction.js';

/** z3 numeral input: exact numerator/denominator as bigints, never through a float. */
export function toCoercible(r: Rational): { numerator: bigint; denominator: bigint } {
  return { numerator: r.s < 0n ? -r.n : r.n, denominator: r.d };
}

export function fromBigints(numerator: bigint, denominator: bigint): Rational {
  return new Fraction(numerator, denominator);
}

/** Parses z3's decimal rendering of a value ("1.25", "-0.3333?" with its '?' approximation mark). */
export function fromDecimalString(text: string): Rational {
  const clean = text.replace(/\?$/, '');
  const m = /^(-?)(\d+)(?:\.(\d*))?$/.exec(clean);
  if (!m) throw new Error(`unexpected z3 decimal "${text}"`);
  const frac = m[3] ?? '';
  const num = BigInt(m[2]! + frac) * (m[1] === '-' ? -1n : 1n);
  return new Fraction(num, 10n ** BigInt(frac.length));
}

export const ZERO: Rational = new Fraction(0n, 1n);
export const ONE: Rational = new Fraction(1n, 1n);
