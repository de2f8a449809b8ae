import { readFileSync } from 'node:fs';
import type { Market } from '@diffcontract/env';
import { describe, expect, it } from 'vitest';
import { solveOptimum } from './solve.js';

/**
 * Held-out markets solved by an independent method: scipy SLSQP on the problem written in the
 * contract's own variables (q, R), generated once by scripts/independent_optimum.py and committed.
 */
interface Fixture {
  method: string;
  cases: { market: Market<number>; perES: number; maxViolation: number }[];
}

const fixture: Fixture = JSON.parse(
  readFileSync(new URL('../fixtures/independent-optimum.json', import.meta.url), 'utf8'),
);

describe('agreement with an independent solver', () => {
  it('has held-out markets of several sizes', () => {
    const sizes = new Set(fixture.cases.map((c) => c.market.theta.length));
    expect(fixture.cases.length).toBeGreaterThanOrEqual(15);
    expect([...sizes].sort()).toEqual([1, 2, 3, 4]);
  });

  it('matches U*/N to 1e-7 relative on every held-out market', async () => {
    for (const c of fixture.cases) {
      const result = await solveOptimum(c.market);
      expect(Math.abs(result.perES - c.perES)).toBeLessThanOrEqual(1e-7 * Math.abs(c.perES));
      // SLSQP's point is feasible only up to maxViolation, so it may exceed U* by about that much,
      // but never the proven upper bound by more.
      expect(c.perES).toBeLessThanOrEqual(result.upperBound / c.market.esCount + 10 * c.maxViolation + 1e-12);
    }
  });
});
