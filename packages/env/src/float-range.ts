import { parseExactNumber } from './exact.js';
import { rationalToNumber } from './field.js';
import type { ExactContract, ExactMarket, Rational } from './types.js';
import { ModelError, renderValue } from './validate.js';

/**
 * What the float paths (the optimum's HiGHS LPs, repair, pricing, training) handle reliably, measured
 * with apps/verify/scripts/float-range-scan.mjs (apps/verify/README.md): outside these ranges HiGHS
 * refuses models, stops early, or ends with gaps of 1e-8 .. 0.5 instead of the promised 1e-9; inside
 * them 1 of 600 sampled markets missed the gap (1.3e-8). The exact path (z3 proofs) has no limits.
 *
 * `ratio` bounds s_k = beta theta_k / a: the optimum's contributions depend on a, beta and theta
 * only through s_k (scaling a and beta together scales rewards and nothing else), so its lower end
 * is where the optimal q becomes too small against the LP's tolerances.
 */
export const FLOAT_RANGES = Object.freeze({
  theta: { min: '0.01', max: '100' },
  a: { min: '0.01', max: '100' },
  beta: { min: '1', max: '10000' },
  qMax: { min: '0.01', max: '100' },
  ratio: { min: '0.1', max: '10000' },
  /** delta is 0 (no second period) or at least this: a faint second period (1e-8 .. 0.01) stalls the LPs */
  deltaMin: '0.1',
});

/** Smallest positive normal binary64: below it precision is lost, and it rounds to 0 further down. */
const MIN_NORMAL = 2.2250738585072014e-308;

const bound = (text: string): Rational => parseExactNumber(text);

function outOfRange(path: string, problem: string, value: Rational): never {
  throw new ModelError({ path, problem, value });
}

/** Overflow to Infinity, and underflow of a non-zero value to 0 or to a subnormal, are unfaithful. */
function checkRepresentable(x: Rational, path: string): void {
  const v = Math.abs(rationalToNumber(x));
  if (!Number.isFinite(v)) {
    outOfRange(path, `too large for the float solver (binary64 holds up to ~1.8e308)`, x);
  }
  if (x.n !== 0n && v < MIN_NORMAL) {
    outOfRange(path, `too small for the float solver: non-zero values must be >= ~2.2e-308 or 0`, x);
  }
}

function checkWithin(x: Rational, path: string, range: { min: string; max: string }): void {
  if (x.compare(bound(range.min)) < 0 || x.compare(bound(range.max)) > 0) {
    outOfRange(path, `outside [${range.min}, ${range.max}], the range the float solver supports`, x);
  }
}

/**
 * Refuses, with a ModelError naming the field, the value and the supported range, every number of
 * a (valid) market and contract that the float paths cannot take faithfully: overflow, underflow,
 * and the parameter ranges of FLOAT_RANGES where the solver's accuracy promise does not hold. Run
 * it before solve, repair, certify or evaluation; `check` (exact, z3) needs no such limit.
 */
export function checkFloatRanges(market: ExactMarket, contract?: ExactContract, root = 'market'): void {
  const K = market.theta.length;
  for (let k = 0; k < K; k++) checkRepresentable(market.prior[k]!, `${root}.prior[${k}]`);
  for (let i = 0; i < K; i++) {
    for (let j = 0; j < K; j++)
      checkRepresentable(market.transition[i]![j]!, `${root}.transition[${i}][${j}]`);
  }
  for (let k = 0; k < K; k++) checkWithin(market.theta[k]!, `${root}.theta[${k}]`, FLOAT_RANGES.theta);
  checkWithin(market.a, `${root}.a`, FLOAT_RANGES.a);
  checkWithin(market.beta, `${root}.beta`, FLOAT_RANGES.beta);
  checkWithin(market.qMax, `${root}.qMax`, FLOAT_RANGES.qMax);
  if (market.delta.n !== 0n && market.delta.compare(bound(FLOAT_RANGES.deltaMin)) < 0) {
    outOfRange(
      `${root}.delta`,
      `must be 0 or >= ${FLOAT_RANGES.deltaMin} for the float solver (a tinier second period stalls its LPs)`,
      market.delta,
    );
  }
  const { min, max } = FLOAT_RANGES.ratio;
  for (let k = 0; k < K; k++) {
    const ratio = market.beta.mul(market.theta[k]!).div(market.a);
    if (ratio.compare(bound(min)) < 0 || ratio.compare(bound(max)) > 0) {
      outOfRange(
        `${root}.theta[${k}]`,
        `beta * theta[${k}] / a = ${renderValue(ratio)} is outside [${min}, ${max}], the range the float solver supports`,
        market.theta[k]!,
      );
    }
  }
  if (contract === undefined) return;
  const item = (it: { q: Rational; reward: Rational }, path: string) => {
    checkRepresentable(it.q, `${path}.q`);
    checkRepresentable(it.reward, `${path}.reward`);
  };
  for (const [i, it] of contract.period1.entries()) item(it, `contract.period1[${i}]`);
  for (const [i, row] of contract.period2.entries()) {
    for (const [j, it] of row.entries()) item(it, `contract.period2[${i}][${j}]`);
  }
}
