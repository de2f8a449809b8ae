import Fraction from 'fraction.js';
import { terminatingPlaces } from './decimal.js';
import { rationalToNumber } from './field.js';
import type { Contract, ExactContract, ExactMarket, Market, Rational } from './types.js';

/** Thrown by parseExactNumber; `text` is the rejected input, verbatim. */
export class ExactNumberError extends Error {
  readonly text: string;
  constructor(text: string, problem = 'not an exact number (decimal like -1.25e3 or fraction like 1/3)') {
    super(`${problem}: ${JSON.stringify(text)}`);
    this.name = 'ExactNumberError';
    this.text = text;
  }
}

const DECIMAL = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const FRACTION = /^(-?)(\d+)\/(\d+)$/;
/**
 * Largest accepted written exponent (the `e` part). Far beyond any meaningful market value, and it
 * keeps a hostile "1e999999999" from allocating a gigantic BigInt. Long digit strings are fine: their
 * cost is bounded by the text itself (the exact value of a tiny double has 1074 fraction digits).
 */
export const MAX_DECIMAL_EXPONENT = 10_000;

/**
 * Parses a number exactly as written (model.md section 8): `-?d+(.d+)?([eE][+-]?d+)?` or `-?d+/d+`
 * with a non-zero denominator. Nothing else: no whitespace, no leading '+', no hex, no Infinity/NaN.
 */
export function parseExactNumber(text: string): Rational {
  if (typeof text !== 'string') throw new ExactNumberError(String(text));
  const frac = FRACTION.exec(text);
  if (frac) {
    const den = BigInt(frac[3]!);
    if (den === 0n) throw new ExactNumberError(text, 'zero denominator');
    const num = BigInt(frac[2]!);
    return new Fraction(frac[1] === '-' ? -num : num, den);
  }
  const dec = DECIMAL.exec(text);
  if (!dec) throw new ExactNumberError(text);
  const fractionDigits = dec[3] ?? '';
  const written = Number(dec[4] ?? '0');
  if (!(Math.abs(written) <= MAX_DECIMAL_EXPONENT)) {
    throw new ExactNumberError(text, `exponent out of range (|e| <= ${MAX_DECIMAL_EXPONENT})`);
  }
  const exponent = written - fractionDigits.length;
  let num = BigInt(dec[2]! + fractionDigits);
  if (dec[1] === '-') num = -num;
  return exponent >= 0
    ? new Fraction(num * 10n ** BigInt(exponent), 1n)
    : new Fraction(num, 10n ** BigInt(-exponent));
}

const view = new DataView(new ArrayBuffer(8));

/**
 * A finite binary64 as mantissa * 2^exponent, both exact (the sign on the mantissa): the one
 * decoding of the format, shared by every exact number type (env's Rational, optimum's lean Rat).
 */
export function binary64Parts(x: number): { mantissa: bigint; exponent: number } {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number (${x})`);
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent = -1074;
  if (biased !== 0) {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  if (hi >>> 31 === 1) mantissa = -mantissa;
  return { mantissa, exponent };
}

/** The exact rational value of a finite binary64 (no rounding to a "nice" decimal, unlike new Fraction(0.1)). */
export function exactFromNumber(x: number): Rational {
  if (!Number.isFinite(x)) throw new RangeError(`not a finite number (${x})`);
  if (Number.isSafeInteger(x)) return new Fraction(BigInt(x), 1n);
  const { mantissa, exponent } = binary64Parts(x);
  return exponent >= 0
    ? new Fraction(mantissa << BigInt(exponent), 1n)
    : new Fraction(mantissa, 1n << BigInt(-exponent));
}

/**
 * Decimal text when the value has a finite decimal expansion (denominator 2^a 5^b), else "p/q".
 * The result always parses back with parseExactNumber to the same rational.
 */
export function formatExact(r: Rational): string {
  const sign = r.s < 0n && r.n !== 0n ? '-' : '';
  const places = terminatingPlaces(r.d);
  if (places === null) return `${sign}${r.n}/${r.d}`;
  if (places === 0) return `${sign}${r.n}`;
  const scaled = ((r.n * 10n ** BigInt(places)) / r.d).toString().padStart(places + 1, '0');
  return `${sign}${scaled.slice(0, -places)}.${scaled.slice(-places)}`;
}

/** About 7 significant digits in scientific notation, `~1.234567e89`: for values too long to print exactly. */
export function approximateText(r: Rational): string {
  if (r.n === 0n) return '0';
  const magnitude = r.n.toString().length - r.d.toString().length;
  const shift = 7 - magnitude;
  const scaled = shift >= 0 ? (r.n * 10n ** BigInt(shift)) / r.d : r.n / (r.d * 10n ** BigInt(-shift));
  let digits = scaled.toString();
  let exponent = magnitude - 1 + (digits.length - 7);
  if (digits.length < 7) exponent = magnitude - 1 - (7 - digits.length);
  digits = digits.slice(0, 7).replace(/0+$/, '') || '0';
  const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `~${r.s < 0n ? '-' : ''}${mantissa}e${exponent}`;
}

function mapMarket<A, B>(m: Market<A>, f: (x: A) => B): Market<B> {
  return {
    theta: m.theta.map(f),
    prior: m.prior.map(f),
    transition: m.transition.map((row) => row.map(f)),
    a: f(m.a),
    beta: f(m.beta),
    delta: f(m.delta),
    qMax: f(m.qMax),
    esCount: m.esCount,
  };
}

function mapContract<A, B>(c: Contract<A>, f: (x: A) => B): Contract<B> {
  const item = (it: { q: A; reward: A }) => ({ q: f(it.q), reward: f(it.reward) });
  return { period1: c.period1.map(item), period2: c.period2.map((row) => row.map(item)) };
}

/** Exact values of a float market's binary64 numbers. */
export function toExactMarket(m: Market<number>): ExactMarket {
  return mapMarket(m, exactFromNumber);
}

export function toExactContract(c: Contract<number>): ExactContract {
  return mapContract(c, exactFromNumber);
}

/**
 * Exact rational of the shortest decimal that reads back to `x`: the number a JSON writer prints,
 * so a contract evaluated in memory is judged exactly as its written file will be.
 */
export function decimalOf(x: number): Rational {
  return parseExactNumber(String(x));
}

export function toDecimalMarket(m: Market<number>): ExactMarket {
  return mapMarket(m, decimalOf);
}

export function toDecimalContract(c: Contract<number>): ExactContract {
  return mapContract(c, decimalOf);
}

/** Nearest binary64 of each exact number. */
export function toFloatMarket(m: ExactMarket): Market<number> {
  return mapMarket(m, rationalToNumber);
}

export function toFloatContract(c: ExactContract): Contract<number> {
  return mapContract(c, rationalToNumber);
}
