import Fraction from 'fraction.js';
import type { Rational } from './types.js';

/**
 * The arithmetic the model needs, abstracted so that one implementation of the constraints serves
 * both fast float evaluation (learning) and exact rational evaluation (proofs, feasibility).
 * Only field operations appear here: anything transcendental (the valuation ln) is float-only.
 */
export interface Field<N> {
  readonly name: 'float' | 'exact';
  readonly zero: N;
  readonly one: N;
  fromInt(n: number): N;
  add(x: N, y: N): N;
  sub(x: N, y: N): N;
  mul(x: N, y: N): N;
  div(x: N, y: N): N;
  neg(x: N): N;
  /** -1, 0 or 1; NaN compares as 0 for floats, so callers test the wanted relation positively. */
  cmp(x: N, y: N): -1 | 0 | 1;
  lt(x: N, y: N): boolean;
  le(x: N, y: N): boolean;
  gt(x: N, y: N): boolean;
  max(x: N, y: N): N;
  isZero(x: N): boolean;
  /** false for NaN and infinities; always true for rationals */
  isFinite(x: N): boolean;
  toNumber(x: N): number;
}

export const floatField: Field<number> = {
  name: 'float',
  zero: 0,
  one: 1,
  fromInt: (n) => n,
  add: (x, y) => x + y,
  sub: (x, y) => x - y,
  mul: (x, y) => x * y,
  div: (x, y) => x / y,
  neg: (x) => -x,
  cmp: (x, y) => (x < y ? -1 : x > y ? 1 : 0),
  lt: (x, y) => x < y,
  le: (x, y) => x <= y,
  gt: (x, y) => x > y,
  max: (x, y) => Math.max(x, y),
  isZero: (x) => x === 0,
  isFinite: (x) => Number.isFinite(x),
  toNumber: (x) => x,
};

/** Bits of n > 0 (hex text is a quarter of binary text's length, and this runs in optimum's loops). */
function bitLength(n: bigint): number {
  if (n === 0n) return 0;
  const hex = n.toString(16);
  return (hex.length - 1) * 4 + 32 - Math.clz32(Number.parseInt(hex[0]!, 16));
}

/**
 * Nearest binary64 to a rational. fraction.js's valueOf divides Number(n) by Number(d), which turns
 * into NaN once n or d exceed 2^1024 (as the exact value of a tiny double does), so we scale first:
 * an integer quotient of >= 65 bits with a sticky low bit rounds correctly through Number(bigint).
 */
export function rationalToNumber(r: Rational): number {
  return ratioToNumber(r.s < 0n ? -r.n : r.n, r.d);
}

/**
 * Nearest binary64 to numerator / denominator (denominator > 0; neither needs to be reduced): the
 * one rational-to-double of the workspace, for fraction.js values and optimum's lean rationals alike.
 */
export function ratioToNumber(numerator: bigint, d: bigint): number {
  if (numerator === 0n) return 0;
  const sign = numerator < 0n ? -1 : 1;
  const n = numerator < 0n ? -numerator : numerator;
  if (n <= 9007199254740992n && d <= 9007199254740992n) return (sign * Number(n)) / Number(d);
  if (bitLength(n) - bitLength(d) + 1 <= -1021) {
    // |n / d| < 2^-1021, where every double is a multiple of 2^-1074 (subnormals, and the normals of
    // the lowest binade): round once at that ulp, ties to even. The path below would round to 53
    // bits first and then again when scaling into the subnormals (seen: -9.72010112222078e-309).
    const num = n << 1074n;
    let q = num / d;
    const twiceRem = (num % d) * 2n;
    if (twiceRem > d || (twiceRem === d && (q & 1n) === 1n)) q += 1n;
    return sign * Number(q) * Number.MIN_VALUE;
  }
  const k = bitLength(n) - bitLength(d) - 66;
  let q: bigint;
  let rem: bigint;
  if (k >= 0) {
    const den = d << BigInt(k);
    q = n / den;
    rem = n % den;
  } else {
    const num = n << BigInt(-k);
    q = num / d;
    rem = num % d;
  }
  if (rem !== 0n) q |= 1n;
  // Two power-of-two steps keep 2^k representable when k is below the subnormal range.
  const half = Math.trunc(k / 2);
  return sign * Number(q) * 2 ** half * 2 ** (k - half);
}

export const exactField: Field<Rational> = {
  name: 'exact',
  zero: new Fraction(0),
  one: new Fraction(1),
  fromInt: (n) => {
    if (!Number.isSafeInteger(n)) throw new RangeError(`exactField.fromInt: not a safe integer (${n})`);
    return new Fraction(BigInt(n), 1n);
  },
  add: (x, y) => x.add(y),
  sub: (x, y) => x.sub(y),
  mul: (x, y) => x.mul(y),
  div: (x, y) => x.div(y),
  neg: (x) => x.neg(),
  cmp: (x, y) => {
    const c = x.compare(y);
    return c < 0 ? -1 : c > 0 ? 1 : 0;
  },
  lt: (x, y) => x.compare(y) < 0,
  le: (x, y) => x.compare(y) <= 0,
  gt: (x, y) => x.compare(y) > 0,
  max: (x, y) => (x.compare(y) >= 0 ? x : y),
  isZero: (x) => x.n === 0n,
  isFinite: () => true,
  toNumber: rationalToNumber,
};
