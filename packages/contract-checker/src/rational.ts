import type { Rational } from '@diffcontract/env';
import Fraction from 'fraction.js';

/** An exact value as the certificate states it. */
export interface ExactValue {
  /** reduced fraction "p/q", or "p" when the denominator is 1 */
  fraction: string;
  /** positional decimal: exact when it terminates within the digit limit, else rounded (decimalExact false) */
  decimal: string;
  decimalExact: boolean;
}

/** Reduced "p/q" (or "p"); fraction.js keeps values reduced, zero is "0" never "-0". */
export function fractionText(r: Rational): string {
  if (r.n === 0n) return '0';
  const sign = r.s < 0n ? '-' : '';
  return r.d === 1n ? `${sign}${r.n}` : `${sign}${r.n}/${r.d}`;
}

function stripFactor(d: bigint, p: bigint): [bigint, number] {
  let count = 0;
  while (d % p === 0n) {
    d /= p;
    count++;
  }
  return [d, count];
}

function positional(sign: string, scaled: bigint, places: number): string {
  if (places === 0) return `${sign}${scaled}`;
  const digits = scaled.toString().padStart(places + 1, '0');
  const body = `${digits.slice(0, -places)}.${digits.slice(-places)}`.replace(/\.?0+$/, '');
  return `${sign}${body}`;
}

/**
 * Decimal text of r: exact when r's denominator is 2^a 5^b and the expansion has at most
 * `significant` significant digits; otherwise rounded half-up to `significant` significant digits.
 * Never scientific notation, so 1e-12 reads 0.000000000001.
 */
export function decimalText(r: Rational, significant = 30): { text: string; exact: boolean } {
  const sign = r.s < 0n && r.n !== 0n ? '-' : '';
  const [rest2, twos] = stripFactor(r.d, 2n);
  const [rest, fives] = stripFactor(rest2, 5n);
  if (rest === 1n) {
    const places = Math.max(twos, fives);
    const text = positional(sign, (r.n * 10n ** BigInt(places)) / r.d, places);
    // binary64-exact inputs terminate after dozens of digits; past `significant` the rounded
    // form is the readable one (the fraction stays exact)
    if (text.replace(/[-.]/g, '').replace(/^0+/, '').length <= significant) return { text, exact: true };
  }
  // places after the point so that `significant` digits survive: integer digits of n/d decide.
  const intDigits = r.n >= r.d ? (r.n / r.d).toString().length : 0;
  let places = significant - intDigits;
  if (intDigits === 0) {
    // leading zeros after the point do not count as significant
    let probe = r.n * 10n;
    while (probe < r.d) {
      probe *= 10n;
      places++;
    }
  }
  places = Math.max(places, 0);
  const scale = 10n ** BigInt(places);
  const scaled = (2n * r.n * scale + r.d) / (2n * r.d);
  return { text: positional(sign, scaled, places), exact: false };
}

export function exactValue(r: Rational, significant = 30): ExactValue {
  const { text, exact } = decimalText(r, significant);
  return { fraction: fractionText(r), decimal: text, decimalExact: exact };
}

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
