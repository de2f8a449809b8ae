import { type ExactMarket, type Field, type Rational, ratioToNumber } from '@diffcontract/env';
import Fraction from 'fraction.js';

/**
 * A lean exact rational for the hot loops (closure, vertex solves, feasibility checks).
 * fraction.js normalises every result with a bigint gcd, which dominates the cost on the
 * ~200-bit numbers that exact binary64 inputs produce; Rat normalises only when a denominator grows
 * past REDUCE_ABOVE and otherwise compares by cross-multiplication. Values are converted back
 * to fraction.js (normalised once) at the package boundary.
 */
const REDUCE_ABOVE = 1n << 2048n;
const WORD = 0xffffffffn;

function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}

export class Rat {
  /** denominator always > 0 */
  constructor(
    readonly n: bigint,
    readonly d: bigint,
  ) {}

  static of(f: Rational): Rat {
    return new Rat(f.s < 0n ? -f.n : f.n, f.d);
  }

  static int(k: bigint): Rat {
    return new Rat(k, 1n);
  }

  private static make(n: bigint, d: bigint): Rat {
    // Binary inputs make powers of two the bulk of every denominator; shifting them out is cheap.
    while ((d & WORD) === 0n && (n & WORD) === 0n && d !== 0n) {
      n >>= 32n;
      d >>= 32n;
    }
    while ((d & 1n) === 0n && (n & 1n) === 0n && d !== 0n) {
      n >>= 1n;
      d >>= 1n;
    }
    if (d > REDUCE_ABOVE) {
      const g = gcd(n, d);
      if (g > 1n) return new Rat(n / g, d / g);
    }
    return new Rat(n, d);
  }

  add(o: Rat): Rat {
    if (this.d === o.d) return new Rat(this.n + o.n, this.d);
    return Rat.make(this.n * o.d + o.n * this.d, this.d * o.d);
  }

  sub(o: Rat): Rat {
    if (this.d === o.d) return new Rat(this.n - o.n, this.d);
    return Rat.make(this.n * o.d - o.n * this.d, this.d * o.d);
  }

  mul(o: Rat): Rat {
    return Rat.make(this.n * o.n, this.d * o.d);
  }

  div(o: Rat): Rat {
    if (o.n === 0n) throw new RangeError('Rat.div: division by zero');
    const n = this.n * o.d;
    const d = this.d * o.n;
    return d < 0n ? Rat.make(-n, -d) : Rat.make(n, d);
  }

  neg(): Rat {
    return new Rat(-this.n, this.d);
  }

  sign(): number {
    return this.n > 0n ? 1 : this.n < 0n ? -1 : 0;
  }

  cmp(o: Rat): number {
    if (this.d === o.d) return this.n > o.n ? 1 : this.n < o.n ? -1 : 0;
    const l = this.n * o.d;
    const r = o.n * this.d;
    return l > r ? 1 : l < r ? -1 : 0;
  }

  isZero(): boolean {
    return this.n === 0n;
  }

  toFraction(): Rational {
    return new Fraction(this.n, this.d);
  }
}

export const RAT_ZERO = Rat.int(0n);
export const RAT_ONE = Rat.int(1n);

const sign = (c: number): -1 | 0 | 1 => (c > 0 ? 1 : c < 0 ? -1 : 0);

/** Rat as env's Field, so env's generic model code (and optimum's own rows) run on it unchanged. */
export const ratField: Field<Rat> = {
  name: 'exact',
  zero: RAT_ZERO,
  one: RAT_ONE,
  fromInt: (n) => {
    if (!Number.isSafeInteger(n)) throw new RangeError(`ratField.fromInt: not a safe integer (${n})`);
    return Rat.int(BigInt(n));
  },
  add: (x, y) => x.add(y),
  sub: (x, y) => x.sub(y),
  mul: (x, y) => x.mul(y),
  div: (x, y) => x.div(y),
  neg: (x) => x.neg(),
  cmp: (x, y) => sign(x.cmp(y)),
  lt: (x, y) => x.cmp(y) < 0,
  le: (x, y) => x.cmp(y) <= 0,
  gt: (x, y) => x.cmp(y) > 0,
  max: (x, y) => (x.cmp(y) >= 0 ? x : y),
  isZero: (x) => x.isZero(),
  isFinite: () => true,
  toNumber: (x) => ratToNumber(x),
};

/** Smallest multiple of 1/grid that is >= r. */
export function ceilToGrid(r: Rat, grid: bigint): Rat {
  const num = r.n * grid;
  let k = num / r.d;
  if (k * r.d < num) k += 1n;
  return new Rat(k, grid);
}

/** Nearest multiple of 1/grid (ties up). */
export function roundToGrid(r: Rat, grid: bigint): Rat {
  const num = r.n * grid * 2n + r.d;
  const den = 2n * r.d;
  let k = num / den;
  if (k * den > num) k -= 1n;
  return new Rat(k, grid);
}

/** The exact market in Rat, with 1/theta precomputed. */
export interface RatMarket {
  K: number;
  theta: Rat[];
  cost: Rat[];
  prior: Rat[];
  transition: Rat[][];
  a: Rat;
  delta: Rat;
  qMax: Rat;
}

export function ratMarket(market: ExactMarket): RatMarket {
  const theta = market.theta.map(Rat.of);
  return {
    K: theta.length,
    theta,
    cost: theta.map((t) => RAT_ONE.div(t)),
    prior: market.prior.map(Rat.of),
    transition: market.transition.map((row) => row.map(Rat.of)),
    a: Rat.of(market.a),
    delta: Rat.of(market.delta),
    qMax: Rat.of(market.qMax),
  };
}

/**
 * Nearest binary64 of a Rat (env's ratioToNumber: correctly rounded, for LP data and reporting).
 * Rat itself stays here rather than in env: it is optimum's hot-loop rational (no gcd per operation),
 * which only the closure and vertex solves need; at the package boundary values become env's
 * fraction.js Rationals.
 */
export function ratToNumber(r: Rat): number {
  return ratioToNumber(r.n, r.d);
}
