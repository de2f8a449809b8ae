import { cloudUtility, type Market, sampleMarkets } from '@diffcontract/env';
import { describe, expect, it } from 'vitest';
import { solveOptimum } from './solve.js';
import { staticMenu, staticOptimum } from './static.js';

/** q_k of model.md section 5, written out independently of static.ts: no ironing, no cap. */
function closedFormQ(m: Market<number>): number[] {
  const K = m.theta.length;
  return m.theta.map((t, k) => {
    let above = 0;
    for (let l = k + 1; l < K; l++) above += m.prior[l]!;
    const psi = k + 1 < K ? 1 / t + ((1 / t - 1 / m.theta[k + 1]!) * above) / m.prior[k]! : 1 / t;
    return (-1 + Math.sqrt(1 + (2 * m.beta) / (m.a * psi))) / 2;
  });
}

function isDecreasing(values: number[]): boolean {
  return values.every((v, k) => k === 0 || v < values[k - 1]!);
}

describe('static optimum (delta = 0)', () => {
  // Sampled static markets whose virtual costs are decreasing (regular types) and whose closed-form
  // q stay below qMax: the closed form needs neither ironing nor the cap.
  const regular = sampleMarkets(4242, 40, { overrides: { delta: 0 } })
    .filter((m) => {
      const menu = staticMenu(m.theta, m.prior, m.a, m.beta, m.qMax);
      return isDecreasing(menu.psi) && closedFormQ(m).every((q) => q < m.qMax);
    })
    .slice(0, 6);

  it('has regular sampled markets to test', () => {
    expect(regular.length).toBe(6);
  });

  it('the solver reproduces the closed form q to 1e-6 and its utility', async () => {
    for (const m of regular) {
      const expected = closedFormQ(m);
      const result = await solveOptimum(m);
      result.contract.period1.forEach((item, k) => {
        expect(Math.abs(item.q - expected[k]!)).toBeLessThan(1e-6);
      });
      const closed = staticOptimum(m);
      closed.menu.q.forEach((q, k) => {
        expect(q).toBeCloseTo(expected[k]!, 14);
      });
      // IR binds for theta_1 and downward adjacent IC binds: R_k = R_{k-1} + a (q_k^2 - q_{k-1}^2) / theta_k
      let reward = 0;
      let previous = 0;
      expected.forEach((q, k) => {
        reward += (m.a * (q * q - previous * previous)) / m.theta[k]!;
        previous = q;
        expect(closed.menu.reward[k]).toBeCloseTo(reward, 12);
      });
      expect(Math.abs(result.cloudUtility - closed.cloudUtility)).toBeLessThan(1e-9 * closed.cloudUtility);
    }
  });

  it('irons (pools) types whose virtual cost is not decreasing, and the solver agrees', async () => {
    // A rare middle type: psi_2 = 1/0.6 + (1/0.6 - 1) 0.54 / 0.01 = 37.7 > psi_1 = 5.37.
    const m: Market<number> = {
      theta: [0.3, 0.6, 1.0],
      prior: [0.45, 0.01, 0.54],
      transition: [
        [1, 0, 0],
        [0, 1, 0],
        [0, 0, 1],
      ],
      a: 1,
      beta: 10,
      delta: 0,
      qMax: 10,
      esCount: 10,
    };
    const menu = staticMenu(m.theta, m.prior, m.a, m.beta, m.qMax);
    expect(menu.pools).toEqual([[0, 1]]);
    // pooled block: max (pi_1 + pi_2) v(q) - (pi_1 psi_1 + pi_2 psi_2) a q^2
    const M = m.prior[0]! + m.prior[1]!;
    const C = m.prior[0]! * menu.psi[0]! + m.prior[1]! * menu.psi[1]!;
    const pooled = (-1 + Math.sqrt(1 + (2 * m.beta * M) / (m.a * C))) / 2;
    expect(menu.q[0]).toBeCloseTo(pooled, 14);
    expect(menu.q[1]).toBe(menu.q[0]);
    const result = await solveOptimum(m);
    result.contract.period1.forEach((item, k) => {
      expect(Math.abs(item.q - menu.q[k]!)).toBeLessThan(1e-6);
    });
    expect(result.contract.period1[1]!.q).toBe(result.contract.period1[0]!.q);
    expect(Math.abs(result.cloudUtility - staticOptimum(m).cloudUtility)).toBeLessThan(
      1e-9 * result.cloudUtility,
    );
  });

  it('caps q at qMax', async () => {
    const m: Market<number> = {
      theta: [0.5, 1.0],
      prior: [0.5, 0.5],
      transition: [
        [0.5, 0.5],
        [0.5, 0.5],
      ],
      a: 0.5,
      beta: 12,
      delta: 0,
      qMax: 2,
      esCount: 3,
    };
    // uncapped: q_1 = 1.56 (psi_1 = 3), q_2 = 3 (psi_2 = 1)
    const menu = staticOptimum(m).menu;
    expect(menu.q[1]).toBe(2);
    expect(menu.q[0]).toBeCloseTo((-1 + Math.sqrt(1 + (2 * 12) / (0.5 * 3))) / 2, 14);
    const result = await solveOptimum(m);
    expect(result.contract.period1[1]!.q).toBe(2);
    expect(Math.abs(result.contract.period1[0]!.q - menu.q[0]!)).toBeLessThan(1e-6);
  });

  it('one type: q = (-1 + sqrt(1 + 2 beta theta / a)) / 2 with full extraction', async () => {
    const m: Market<number> = {
      theta: [0.8],
      prior: [1],
      transition: [[1]],
      a: 2,
      beta: 7,
      delta: 0.7,
      qMax: 10,
      esCount: 4,
    };
    const q = (-1 + Math.sqrt(1 + (2 * m.beta * 0.8) / m.a)) / 2;
    const result = await solveOptimum(m);
    expect(Math.abs(result.contract.period1[0]!.q - q)).toBeLessThan(1e-6);
    // IR binds in both periods: the cloud keeps all surplus
    const perPeriod = m.beta * Math.log1p(q) - (m.a * q * q) / 0.8;
    expect(result.perES).toBeCloseTo(perPeriod * (1 + m.delta), 9);
    expect(result.cloudUtility).toBeCloseTo(cloudUtility(m, result.contract), 12);
  });
});
