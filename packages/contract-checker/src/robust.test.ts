import type { Rational } from '@diffcontract/env';
import { validateAgainst } from '@diffcontract/specs';
import { afterAll, describe, expect, it } from 'vitest';
import { checkContract, robustnessMargin, shutdownZ3 } from './index.js';
import { contract, feasibleContract, feasibleMarket, market, x } from './test-fixtures.js';

afterAll(shutdownZ3);

/**
 * theta = (1/2, 1), a = 1, delta = 0, period-2 items all (0, 0) (utility 0 whatever theta' and a').
 * With w_k = a'/theta'_k the period-1 constraints are
 *   IR type 0: 3 >= w_0          IR type 1: 15/2 >= 4 w_1
 *   IC 0 -> 1: w_0 >= 3/2        IC 1 -> 0: w_1 <= 3/2      (reward step 9/2 over q^2 step 3)
 * and over the box w_0 ranges over 2 [(1 - e)/(1 + e), (1 + e)/(1 - e)], w_1 over half of that.
 * IC 0 -> 1 fails first: 2 (1 - e)/(1 + e) >= 3/2 iff e <= 1/7. The others allow e <= 1/5, 1/5,
 * 7/23. So the margin is exactly 1/7 (attained: at e = 1/7 the worst gain is exactly 0).
 */
const marginMarket = market({
  theta: ['1/2', 1],
  prior: ['1/2', '1/2'],
  transition: [
    ['1/2', '1/2'],
    ['1/2', '1/2'],
  ],
  a: 1,
  delta: 0,
});
const marginContract = contract(
  [
    [1, 3],
    [2, '15/2'],
  ],
  [
    [
      [0, 0],
      [0, 0],
    ],
    [
      [0, 0],
      [0, 0],
    ],
  ],
);
const TRUE_MARGIN = x('1/7');

const inBox = (value: Rational, nominal: Rational, eps: Rational) =>
  value.sub(nominal).abs().compare(nominal.mul(eps)) <= 0;

describe('--robust', () => {
  it('certifies a contract whose slack covers the perturbation', async () => {
    const cert = await checkContract(marginMarket, marginContract, { robust: x('0.1') });
    expect(cert.verdict).toBe('certified');
    expect(cert.robust).toEqual({
      eps: { fraction: '1/10', decimal: '0.1', decimalExact: true },
      perturbed: ['theta', 'a'],
    });
    expect(validateAgainst('certificate', JSON.parse(JSON.stringify(cert)))).toEqual([]);
  });

  it('certifies exactly at the hand-computed margin, where the worst gain is 0', async () => {
    const cert = await checkContract(marginMarket, marginContract, { robust: TRUE_MARGIN });
    expect(cert.verdict).toBe('certified');
  });

  it('is violated just beyond the margin, by the IC 0 -> 1 deviation at a perturbed point', async () => {
    for (const eps of [TRUE_MARGIN.add(x('1e-6')), x('1/6')]) {
      const cert = await checkContract(marginMarket, marginContract, { robust: eps });
      expect(cert.verdict).toBe('violated');
      expect(cert.families.IR1.status).toBe('proved');
      expect(cert.families.IR2.status).toBe('proved');
      expect(cert.families.IC2.status).toBe('proved');
      const cx = cert.families.IIC.counterexample!;
      expect(cx).toMatchObject({ family: 'IIC', i: 0, iPrime: 1, exact: true });
      const theta = cx.perturbed!.theta.map((t) => x(t.fraction));
      const a = x(cx.perturbed!.a.fraction);
      expect(inBox(theta[0]!, marginMarket.theta[0]!, eps)).toBe(true);
      expect(inBox(theta[1]!, marginMarket.theta[1]!, eps)).toBe(true);
      expect(inBox(a, marginMarket.a, eps)).toBe(true);
      expect(theta[0]!.compare(theta[1]!)).toBeLessThan(0);
      // gain of type 0 taking (2, 15/2) instead of (1, 3): 9/2 - 3 a'/theta'_0, by hand
      const gain = x('9/2').sub(a.mul(3).div(theta[0]!));
      expect(gain.compare(0)).toBeGreaterThan(0);
      expect(cx.gain.fraction).toBe(gain.toFraction());
    }
  });

  it('is violated by any perturbation of a contract with binding constraints (slack 0)', async () => {
    const nominal = await checkContract(feasibleMarket, feasibleContract());
    expect(nominal.verdict).toBe('certified');
    const cert = await checkContract(feasibleMarket, feasibleContract(), { robust: x('1/1000') });
    expect(cert.verdict).toBe('violated');
    // IR1 binds for type 0: a' > a or theta'_0 < theta_0 makes its period-1 item a loss
    expect(cert.families.IR1.counterexample).toMatchObject({ type: 0, exact: true });
  });
});

describe('--margin', () => {
  it('brackets the hand-computed margin 1/7 within the tolerance', async () => {
    const tolerance = x('1/1000');
    const report = await robustnessMargin(marginMarket, marginContract, { tolerance });
    expect(report.certifiedAtZero).toBe(true);
    const lo = x(report.lo!.fraction);
    const hi = x(report.hi!.fraction);
    expect(lo.compare(TRUE_MARGIN)).toBeLessThanOrEqual(0);
    expect(hi.compare(TRUE_MARGIN)).toBeGreaterThan(0);
    expect(hi.sub(lo).compare(tolerance)).toBeLessThanOrEqual(0);
    expect(report.hiReason).toBe('violated');
    const verdictAt = (v: Rational) => report.steps.find((s) => x(s.eps.fraction).equals(v))?.verdict;
    expect(verdictAt(lo)).toBe('certified');
    expect(verdictAt(hi)).toBe('violated');
    // bisection of [0, 1] down to 1/1000: 10 halvings after the nominal check
    expect(report.steps.length).toBe(11);
  });

  it('has no bracket when the market as written is not certified', async () => {
    const report = await robustnessMargin(feasibleMarket, feasibleContract(['1.999999999999', 5]));
    expect(report).toMatchObject({ certifiedAtZero: false, lo: null, hi: null, hiReason: null });
    expect(report.steps).toEqual([{ eps: expect.objectContaining({ fraction: '0' }), verdict: 'violated' }]);
  });
});
