import { isRational, type Rational } from '@diffcontract/env';
import Fraction from 'fraction.js';

/**
 * How IIC is proved (model.md section 4):
 * - `identity`: prove IC2 first, then IIC against every misreport i' with sigma = identity. The
 *   reduction is sound only when IC2 is proved in the same run, so when IC2 is violated or unknown
 *   the checker falls back to `all` for IIC and records that it did.
 * - `all`: prove IIC against every misreport i' (i' = i included) combined with every period-2
 *   reporting strategy sigma, without relying on IC2. sigma is left symbolic, so the K^K strategies
 *   are never enumerated.
 */
export type IicMethod = 'identity' | 'all';

/** Options of one check. Every field has a documented default (DEFAULT_CHECK_OPTIONS). */
export interface CheckOptions {
  /** z3 timeout per query in milliseconds; a query that hits it makes its family `unknown`. */
  timeoutMs: number;
  /**
   * z3 resource limit per query (its `rlimit`, deterministic units of work), or 0 for none. Unlike the
   * timeout it gives the same verdict on every machine and under any load.
   */
  resourceLimit: number;
  iicMethod: IicMethod;
  /**
   * Relative perturbation EPS (0 <= EPS < 1) of theta_k and a under which the constraints must hold
   * (nonlinear real arithmetic), or null for the contract's market exactly as written.
   */
  robust: Rational | null;
  /**
   * After a violation is found on the nominal market, the checker asks z3 for a larger gain until
   * none exists, so the reported counterexample is the worst one; this bounds the rounds.
   */
  maxGainRounds: number;
  /** significant digits of the rounded decimal shown for a non-terminating exact value */
  decimalDigits: number;
}

export const DEFAULT_CHECK_OPTIONS: Readonly<CheckOptions> = Object.freeze({
  timeoutMs: 10_000,
  resourceLimit: 0,
  iicMethod: 'identity',
  robust: null,
  maxGainRounds: 64,
  decimalDigits: 30,
});

/** Options of the robustness-margin bisection. */
export interface MarginOptions {
  /** the bracket [lo, hi] returned satisfies hi - lo <= tolerance (absolute, in EPS units) */
  tolerance: Rational;
  /** z3 timeout per query in milliseconds */
  timeoutMs: number;
  iicMethod: IicMethod;
}

export const DEFAULT_MARGIN_OPTIONS: Readonly<MarginOptions> = Object.freeze({
  tolerance: new Fraction(1n, 1000n),
  timeoutMs: 10_000,
  iicMethod: 'identity',
});

export function resolveCheckOptions(options: Partial<CheckOptions> = {}): CheckOptions {
  const resolved: CheckOptions = { ...DEFAULT_CHECK_OPTIONS, ...stripUndefined(options, 'options') };
  if (!Number.isInteger(resolved.timeoutMs) || resolved.timeoutMs < 1) {
    throw new RangeError(`timeoutMs must be a positive integer (${resolved.timeoutMs})`);
  }
  if (!Number.isInteger(resolved.resourceLimit) || resolved.resourceLimit < 0) {
    throw new RangeError(`resourceLimit must be an integer >= 0 (${resolved.resourceLimit})`);
  }
  if (resolved.robust !== null) {
    if (!isRational(resolved.robust)) {
      throw new RangeError(
        `robust must be null or an exact number (a Fraction) (${String(resolved.robust)})`,
      );
    }
    assertEps(resolved.robust, 'robust');
  }
  if (!Number.isSafeInteger(resolved.maxGainRounds) || resolved.maxGainRounds < 0) {
    throw new RangeError(`maxGainRounds must be an integer >= 0 (${resolved.maxGainRounds})`);
  }
  if (
    !Number.isInteger(resolved.decimalDigits) ||
    resolved.decimalDigits < 1 ||
    resolved.decimalDigits > 1000
  ) {
    throw new RangeError(`decimalDigits must be an integer from 1 to 1000 (${resolved.decimalDigits})`);
  }
  if (resolved.iicMethod !== 'identity' && resolved.iicMethod !== 'all') {
    throw new RangeError(`iicMethod must be "identity" or "all" (${String(resolved.iicMethod)})`);
  }
  return resolved;
}

export function resolveMarginOptions(options: Partial<MarginOptions> = {}): MarginOptions {
  const resolved: MarginOptions = { ...DEFAULT_MARGIN_OPTIONS, ...stripUndefined(options, 'options') };
  if (!isRational(resolved.tolerance)) {
    throw new RangeError(`tolerance must be an exact number (a Fraction) (${String(resolved.tolerance)})`);
  }
  if (resolved.tolerance.s < 0n || resolved.tolerance.n === 0n || resolved.tolerance.compare(1) >= 0) {
    throw new RangeError(`tolerance must be in (0, 1) (${resolved.tolerance.toFraction()})`);
  }
  resolveCheckOptions({ timeoutMs: resolved.timeoutMs, iicMethod: resolved.iicMethod });
  return resolved;
}

/** EPS must keep every perturbed theta and a positive, hence 0 <= EPS < 1. */
export function assertEps(eps: Rational, name: string): void {
  if (eps.s < 0n && eps.n !== 0n) throw new RangeError(`${name} must be >= 0 (${eps.toFraction()})`);
  if (eps.compare(1) >= 0) throw new RangeError(`${name} must be < 1 (${eps.toFraction()})`);
}

/** Options come from plain JavaScript too: anything but an object (or nothing) is a caller's mistake. */
function stripUndefined<T extends object>(o: Partial<T> | null | undefined, name: string): Partial<T> {
  if (o === undefined) return {};
  if (o === null || typeof o !== 'object' || Array.isArray(o)) {
    throw new TypeError(`${name} must be an object (${o === null ? 'null' : typeof o})`);
  }
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
