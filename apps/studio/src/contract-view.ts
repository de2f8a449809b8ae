/** Figures of a contract for tables and charts (floats: display only, never for decisions). */
import { type Contract, floatField, type Market, stageUtility } from '@diffcontract/env';

export interface TypeUtility {
  /** u(theta_i; q1[i], R1[i]) of the truthful period-1 type i */
  period1: number;
  /** sum_j P[i][j] u(theta_j; q2[i][j], R2[i][j]): expected period-2 utility after a truthful report */
  period2: number;
  /** period1 + delta * period2: the type's information rent over both periods */
  total: number;
}

export function typeUtilities(market: Market<number>, contract: Contract<number>): TypeUtility[] {
  const u = (theta: number, item: { q: number; reward: number }) =>
    stageUtility(floatField, theta, market.a, item);
  return market.theta.map((theta, i) => {
    const period1 = u(theta, contract.period1[i]!);
    const period2 = market.transition[i]!.reduce(
      (sum, p, j) => sum + p * u(market.theta[j]!, contract.period2[i]![j]!),
      0,
    );
    return { period1, period2, total: period1 + market.delta * period2 };
  });
}

/** "θ1".."θK" */
export function typeLabels(K: number): string[] {
  return Array.from({ length: K }, (_, k) => `θ${k + 1}`);
}

/** "θ1→θ1", ... in the row-major order of contract.period2 */
export function historyLabels(K: number): string[] {
  const t = typeLabels(K);
  return t.flatMap((a) => t.map((b) => `${a}→${b}`));
}

export function fixed(x: number, digits = 4): string {
  if (!Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e6 || (x !== 0 && Math.abs(x) < 1e-4) ? x.toExponential(3) : x.toFixed(digits);
}
