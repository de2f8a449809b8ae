/**
 * Exact numbers as text: the one home of decimal and fraction rendering, shared by the file writer
 * (`formatExact`), certificates and counterexamples (the checker's `exactValue`).
 */
import type { Rational } from './types.js';

/**
 * Digits after the point of the terminating decimal expansion of p/d (d > 0, reduced), or null
 * when it does not terminate (d has a prime factor other than 2 and 5).
 */
export function terminatingPlaces(d: bigint): number | null {
  let twos = 0;
  let fives = 0;
  while (d % 2n === 0n) {
    d /= 2n;
    twos++;
  }
  while (d % 5n === 0n) {
    d /= 5n;
    fives++;
  }
  return d === 1n ? Math.max(twos, fives) : null;
}

/** An exact value as a certificate states it. */
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
  const terminating = terminatingPlaces(r.d);
  if (terminating !== null) {
    const text = positional(sign, (r.n * 10n ** BigInt(terminating)) / r.d, terminating);
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
